"""Events: a force's or area's celebration day and a unit's reward visit, one model with a kind.

Event ──< ProgrammeItem, Guest; Event ── RiskAssessment; Event ──< Invitation(unit)
──< EventPlace(child: place or waiting, check-in, late, early collection).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from minipolice.lib.validators import validate_date_in_range


class EventKind(models.TextChoices):
    CELEBRATION = "celebration", gettext_lazy("Celebration day")
    DOG_UNIT = "dog_unit", gettext_lazy("Reward visit: dog unit")
    CONTROL_ROOM = "control_room", gettext_lazy("Reward visit: control room")
    STABLES = "stables", gettext_lazy("Reward visit: police horses and stables")
    FIRE_STATION = "fire_station", gettext_lazy("Reward visit: fire station")
    CUSTODY_SUITE = "custody_suite", gettext_lazy("Reward visit: custody suite tour")
    OTHER_VISIT = "other_visit", gettext_lazy("Reward visit: other")


REWARD_VISITS = [kind for kind in EventKind.values if kind != EventKind.CELEBRATION]


class EventStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Being planned")
    CONFIRMED = "confirmed", pgettext_lazy("an event", "Confirmed")
    CANCELLED = "cancelled", pgettext_lazy("an event", "Cancelled")


class Event(models.Model):
    """A celebration day (the force's, or one area's: `area` set) or a unit's reward visit
    (`unit` set). `force` is always the force it belongs to."""

    force = models.ForeignKey("organisations.Force", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "organisations.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reward_visits",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=160)
    date = models.DateField(validators=[validate_date_in_range])
    start_time = models.TimeField()
    end_time = models.TimeField()
    venue = models.CharField(
        max_length=160, help_text=gettext_lazy("For example, Police headquarters.")
    )
    address = models.CharField(max_length=255, blank=True)
    capacity = models.PositiveIntegerField(
        help_text=gettext_lazy("How many children can have a place.")
    )
    transport_notes = models.TextField(
        blank=True, help_text=gettext_lazy("How the children get there and back.")
    )
    what_to_bring = models.TextField(
        blank=True, help_text=gettext_lazy("Shown to parents and carers.")
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="events_attending"
    )
    status = models.CharField(max_length=10, choices=EventStatus.choices, default="draft")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Told to the parents of the children who had a place: no child's name in it.
    cancelled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["force", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="event_ends_after_start",
                violation_error_message=gettext_lazy("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(kind="celebration", unit__isnull=True)
                | (~Q(kind="celebration") & Q(unit__isnull=False, area__isnull=True)),
                name="event_kind_matches_scope",
                violation_error_message=gettext_lazy(
                    "A celebration day belongs to a force or an area; a reward visit to a unit."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} on {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])

    @property
    def is_reward_visit(self) -> bool:
        return self.kind != EventKind.CELEBRATION

    @property
    def trip_reference(self) -> str:
        """How trip consents name this event (consent.Consent.trip_reference)."""
        return f"event:{self.pk}"

    @property
    def organiser(self) -> str:
        if self.unit_id:
            return self.unit.name
        if self.area_id:
            return _("%(area)s area") % {"area": self.area.name}
        return self.force.name


class ProgrammeItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    time = models.TimeField()
    title = models.CharField(max_length=160)

    class Meta:
        ordering = ["time", "id"]

    def __str__(self):
        return f"{self.time:%H:%M} {self.title}"


class GuestRole(models.TextChoices):
    CHIEF_CONSTABLE = "chief_constable", gettext_lazy("Chief Constable")
    PCC = "pcc", gettext_lazy("Police and Crime Commissioner")
    LORD_LIEUTENANT = "lord_lieutenant", gettext_lazy("Lord Lieutenant")
    PRESS = "press", gettext_lazy("Press")
    OTHER = "other", gettext_lazy("Other guest")


class Guest(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=GuestRole.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class RiskAssessment(models.Model):
    """The event's risk assessment. Any change after sign-off needs signing off again."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="risk_assessment")
    hazards = models.TextField()
    controls = models.TextField()
    first_aider = models.CharField(gettext_lazy("Named first-aider"), max_length=120)
    adults = models.PositiveIntegerField(
        gettext_lazy("Adults attending"),
        help_text=gettext_lazy("Leaders, teachers and helpers who will be with the children."),
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Risk assessment of event {self.event_id}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class InvitationStatus(models.TextChoices):
    INVITED = "invited", gettext_lazy("Invited")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    DECLINED = "declined", gettext_lazy("Declined")


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="event_invitations"
    )
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default="invited")
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "unit"], name="invitation_unique_unit")
        ]

    def __str__(self):
        return f"Invitation of unit {self.unit_id} to event {self.event_id}"

    def get_absolute_url(self):
        return reverse("events:invitation_detail", args=[self.pk])


class PlaceStatus(models.TextChoices):
    PLACE = "place", gettext_lazy("Has a place")
    WAITING = "waiting", gettext_lazy("On the waiting list")
    RELEASED = "released", gettext_lazy("Place given up")


class EventPlace(models.Model):
    """A child's place on an event, or their turn on its waiting list (by `requested_at`)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="places")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="places")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="event_places")
    status = models.CharField(max_length=10, choices=PlaceStatus.choices)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    arrived_late = models.BooleanField(default=False)
    collected_early_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = "event place"
        constraints = [
            models.UniqueConstraint(fields=["event", "child"], name="event_place_unique_child")
        ]
        indexes = [models.Index(fields=["event", "status", "requested_at"])]

    def __str__(self):
        return f"Place of child {self.child_id} on event {self.event_id}"


class EventEmail(models.Model):
    """Which event an email of the outbox (consent.EmailDelivery) is about: its calendar."""

    delivery = models.OneToOneField(
        "consent.EmailDelivery", on_delete=models.CASCADE, related_name="event_email"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="emails")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return f"Email {self.delivery_id} about event {self.event_id}"
