"""Community actions: what a unit did in its neighbourhood, who took part and what it reached."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.lib.validators import validate_date_in_range


class ActionKind(models.TextChoices):
    LEAFLET_DROP = "leaflet_drop", gettext_lazy("Leaflet drop")
    LITTER_PICK = "litter_pick", gettext_lazy("Litter pick")
    PARKING_AWARENESS = "parking_awareness", gettext_lazy("Parking awareness")
    SPEED_WATCH = "speed_watch", gettext_lazy("Speed watch")
    OTHER = "other", gettext_lazy("Other")


# The reach measures, in the order pages show them, with the words for a total.
MEASURES = {
    "homes_reached": gettext_lazy("homes reached"),
    "leaflets_delivered": gettext_lazy("leaflets delivered"),
    "bags_collected": gettext_lazy("bags of litter collected"),
    "vehicles_checked": gettext_lazy("vehicles checked"),
    "vehicles_over_limit": gettext_lazy("vehicles over the limit"),
    "drivers_spoken_to": gettext_lazy("drivers spoken to"),
}

# Which measures fit each kind of action (the free-text outcome fits every kind).
KIND_MEASURES = {
    ActionKind.LEAFLET_DROP: ["homes_reached", "leaflets_delivered"],
    ActionKind.LITTER_PICK: ["bags_collected"],
    ActionKind.PARKING_AWARENESS: ["vehicles_checked", "drivers_spoken_to", "leaflets_delivered"],
    ActionKind.SPEED_WATCH: ["vehicles_checked", "vehicles_over_limit", "drivers_spoken_to"],
    ActionKind.OTHER: ["homes_reached", "leaflets_delivered"],
}


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class CommunityAction(models.Model):
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="community_actions"
    )
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    date = models.DateField(validators=[validate_date_in_range])
    place = models.CharField(
        max_length=160, help_text=gettext_lazy("For example, the streets or estate.")
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=gettext_lazy("Optional map point, for example 51.12345"),
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=gettext_lazy("Optional, for example -2.98765"),
    )
    partners = models.CharField(
        max_length=255,
        blank=True,
        help_text=gettext_lazy("Who worked with the unit, for example the council."),
    )
    homes_reached = _count(gettext_lazy("Homes reached"))
    leaflets_delivered = _count(gettext_lazy("Leaflets delivered"))
    bags_collected = _count(gettext_lazy("Bags of litter collected"))
    vehicles_checked = _count(gettext_lazy("Vehicles checked"))
    vehicles_over_limit = _count(gettext_lazy("Vehicles over the limit"))
    drivers_spoken_to = _count(gettext_lazy("Drivers spoken to"))
    outcome = models.TextField(
        gettext_lazy("Outcome"),
        blank=True,
        help_text=gettext_lazy("What happened, in a sentence or two."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(vehicles_over_limit__isnull=True)
                | Q(vehicles_checked__isnull=True)
                | Q(vehicles_over_limit__lte=F("vehicles_checked")),
                name="action_over_limit_within_checked",
                violation_error_message=gettext_lazy(
                    "Vehicles over the limit cannot be more than vehicles checked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="action_map_point_complete",
                violation_error_message=gettext_lazy(
                    "Give both latitude and longitude, or neither."
                ),
            ),
        ]

    def __str__(self):
        return _("%(kind)s on %(date)s") % {
            "kind": self.get_kind_display(),
            "date": format_date(self.date, "j F Y"),
        }

    def get_absolute_url(self):
        return reverse("community:action_detail", args=[self.pk])

    def reach(self) -> list[tuple[str, int]]:
        """The measures recorded for this action, as (words, number)."""
        return [
            (words, getattr(self, name))
            for name, words in MEASURES.items()
            if getattr(self, name) is not None
        ]


class Participation(models.Model):
    action = models.ForeignKey(
        CommunityAction, on_delete=models.CASCADE, related_name="participations"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, related_name="participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "child"], name="participation_unique")
        ]

    def __str__(self):
        return f"{self.child_id} in action {self.action_id}"
