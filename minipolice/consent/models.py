from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsentKind(models.TextChoices):
    PARTICIPATION = "participation", _("Taking part")
    MEDIA = "media", _("Photos and stories")
    TRIP = "trip", _("Trip or outing")


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Paper form (recorded by staff)")
    PORTAL = "portal", _("Parent portal")


class MediaUse(models.TextChoices):
    INTERNAL = "internal", _("Inside the programme (displays, certificates)")
    SCHOOL_NEWSLETTER = "school_newsletter", _("School newsletter")
    FORCE_WEBSITE = "force_website", _("Force website and social media")
    PRESS = "press", pgettext_lazy("newspapers and broadcasters", "Press")


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
    given_by_email = models.EmailField(
        blank=True,
        help_text="For answers in the parent portal: the confirmed address whose sign-in gave it.",
    )
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

    @property
    def use_labels(self) -> list[str]:
        return [str(MediaUse(use).label) for use in MediaUse.values if use in self.media_uses]


class ConsentRequest(models.Model):
    """Staff asked a guardian, by email, to answer the consents of their children in a cohort."""

    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.CASCADE, related_name="consent_requests"
    )
    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.CASCADE, related_name="consent_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    delivery = models.ForeignKey(
        "consent.EmailDelivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["cohort", "guardian", "-requested_at"])]

    def __str__(self):
        return f"Consent request to guardian {self.guardian_id} for cohort {self.cohort_id}"


class EmailDelivery(models.Model):
    """One email to a parent or carer, sent by a background task: the outbox coordinators see.

    Nothing secret is stored: an email carrying a sign-in link gets a fresh link each time the
    task tries to send it, and only a hash of that link is kept (PortalToken).

    queued -> sending (claimed by one worker, attempts + 1) -> sent, or back to queued for a
    retry, or failed. A worker killed while sending leaves it "sending": after SENDING_TIMEOUT it
    counts as interrupted (nobody knows whether the mail server took it), is never sent again by
    itself, and a coordinator may send it again.
    """

    MAX_ATTEMPTS = 3
    SENDING_TIMEOUT = settings.TASK_INTERRUPTED_AFTER  # 15 minutes unless set otherwise

    class Kind(models.TextChoices):
        PORTAL_LINK = "portal_link", _("Sign-in link to the parent portal")
        CONSENT_REQUEST = "consent_request", _("Request to answer consent questions")
        EMAIL_CONFIRMATION = "email_confirmation", _("Link to confirm a new email address")
        EMAIL_CHANGE_NOTICE = "email_change_notice", _("Notice that the email address is changing")
        EVENT_PLACE = "event_place", _("A child's place at an event, with its calendar")
        EVENT_CANCELLED = "event_cancelled", _("Notice that an event with a child's place is off")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    force = models.ForeignKey("organisations.Force", on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(
        "people.Guardian",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="email_deliveries",
    )
    cohort = models.ForeignKey(
        "organisations.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    to_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=200)
    base_url = models.URLField(help_text="Where the links in the email point: the site's address.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it to send: the last attempt began."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["force", "-created_at"]),
            models.Index(fields=["status"]),
        ]
        verbose_name_plural = "email deliveries"

    def __str__(self):
        return f"{self.get_kind_display()} to guardian {self.guardian_id} ({self.status})"

    @property
    def outbox_status(self) -> str:
        """The status, with an email "sending" for longer than SENDING_TIMEOUT as interrupted."""
        stale_from = timezone.now() - self.SENDING_TIMEOUT
        if self.status == self.Status.SENDING and self.claimed_at and self.claimed_at < stale_from:
            return self.Status.INTERRUPTED
        return self.status

    @property
    def outbox_status_label(self) -> str:
        return str(self.Status(self.outbox_status).label)

    @property
    def may_send_again(self) -> bool:
        return self.outbox_status in (self.Status.FAILED, self.Status.INTERRUPTED)


class PortalToken(models.Model):
    """A single-use sign-in link for a guardian. Only the SHA-256 hash of the token is stored."""

    LIFETIME_HOURS = 72

    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.CASCADE, related_name="portal_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    delivery = models.ForeignKey(
        EmailDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="tokens"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Portal link for guardian {self.guardian_id}"


class EmailConfirmation(models.Model):
    """A single-use link, emailed to a guardian's pending new address, that confirms it.

    Only the SHA-256 hash of the token is stored; the token is made when the email is sent.
    """

    LIFETIME_HOURS = 72

    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.CASCADE, related_name="email_confirmations"
    )
    email = models.EmailField(help_text="The address this link confirms.")
    token_hash = models.CharField(max_length=64, unique=True)
    delivery = models.ForeignKey(
        EmailDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Email confirmation for guardian {self.guardian_id}"


class PortalLinkRequest(models.Model):
    """Someone asked for a new sign-in link: counted to rate-limit requests.

    Stores keyed hashes of the email address and IP address, never the addresses themselves,
    and is pruned after a day.
    """

    at = models.DateTimeField(db_index=True)
    email_digest = models.CharField(max_length=64)
    ip_digest = models.CharField(max_length=64)
    link_sent = models.BooleanField(
        default=False, help_text="A link was sent: only these count for the address's cool-down."
    )

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "at"]),
            models.Index(fields=["ip_digest", "at"]),
        ]

    def __str__(self):
        return f"Link request at {self.at:%Y-%m-%d %H:%M}"
