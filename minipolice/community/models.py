"""Community actions: what a unit did in its neighbourhood, who took part and what it reached."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from minipolice.lib.validators import validate_date_in_range


class ActionKind(models.TextChoices):
    LEAFLET_DROP = "leaflet_drop", "Leaflet drop"
    LITTER_PICK = "litter_pick", "Litter pick"
    PARKING_AWARENESS = "parking_awareness", "Parking awareness"
    SPEED_WATCH = "speed_watch", "Speed watch"
    OTHER = "other", "Other"


# The reach measures, in the order pages show them, with the words for a total.
MEASURES = {
    "homes_reached": "homes reached",
    "leaflets_delivered": "leaflets delivered",
    "bags_collected": "bags of litter collected",
    "vehicles_checked": "vehicles checked",
    "vehicles_over_limit": "vehicles over the limit",
    "drivers_spoken_to": "drivers spoken to",
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
    place = models.CharField(max_length=160, help_text="For example, the streets or estate.")
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Optional map point, for example 51.12345",
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Optional, for example -2.98765",
    )
    partners = models.CharField(
        max_length=255, blank=True, help_text="Who worked with the unit, for example the council."
    )
    homes_reached = _count("Homes reached")
    leaflets_delivered = _count("Leaflets delivered")
    bags_collected = _count("Bags of litter collected")
    vehicles_checked = _count("Vehicles checked")
    vehicles_over_limit = _count("Vehicles over the limit")
    drivers_spoken_to = _count("Drivers spoken to")
    outcome = models.TextField(
        "Outcome", blank=True, help_text="What happened, in a sentence or two."
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
                violation_error_message="Vehicles over the limit cannot be more than vehicles checked.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="action_map_point_complete",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%-d %B %Y}"

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
