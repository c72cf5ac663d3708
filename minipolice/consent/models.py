from django.conf import settings
from django.db import models


class ConsentKind(models.TextChoices):
    PARTICIPATION = "participation", "Taking part"
    MEDIA = "media", "Photos and stories"
    TRIP = "trip", "Trip or outing"


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentMethod(models.TextChoices):
    PAPER = "paper", "Paper form (recorded by staff)"
    PORTAL = "portal", "Parent portal"


class MediaUse(models.TextChoices):
    INTERNAL = "internal", "Inside the programme (displays, certificates)"
    SCHOOL_NEWSLETTER = "school_newsletter", "School newsletter"
    FORCE_WEBSITE = "force_website", "Force website and social media"
    PRESS = "press", "Press"


class Consent(models.Model):
    """One consent decision. Never edited: a new decision is a new row; the latest one wins.

    Trip consents name their outing in `trip_reference` (e.g. "event:12") so that events,
    when they arrive, own their trip consents without a change of shape.
    """

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    trip_reference = models.CharField(max_length=40, blank=True, default="")
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    media_uses = models.JSONField(default=list, blank=True)
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    given_by = models.ForeignKey(
        "people.Guardian",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents_given",
    )
    given_by_name = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField()
    expires = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["child", "kind", "trip_reference", "-given_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="trip") | models.Q(trip_reference=""),
                name="consent_trip_reference_only_for_trips",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="trip") | ~models.Q(trip_reference=""),
                name="consent_trip_needs_reference",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()} for {self.child_id}"
