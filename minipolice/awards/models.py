"""Awards, their certificates, bulk issues and the verification page's rate limit.

An **Award** is what a child was given: `completion` (attendance reached the force's threshold)
or a named special award with a short citation. A **Certificate** is one printing of an award,
with its own verification code. The names printed on it are kept on the certificate (they are
what the paper says), so a name corrected later leaves the old certificate as printed: issuing
again gives a new code and marks the old one `replaced`. At most one certificate of an award is
valid at a time, and at most one completion award exists per child and cohort: both are
database constraints, so two confirmations racing cannot issue twice.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Crockford's base 32 without the letters people misread (no I, L, O, U).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 32**8 ≈ 10**12 codes: guessing one is hopeless at the verify page's rate


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def normalise_code(typed: str) -> str:
    """What a person typed or scanned, as stored: upper case, no spaces or dashes, O as 0."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")[:CODE_LENGTH]


class AwardSettings(models.Model):
    """A force's award rules (the certificate's look lives on Force: name, colour, signature)."""

    DEFAULT_THRESHOLD = 75

    force = models.OneToOneField(
        "organisations.Force", on_delete=models.CASCADE, related_name="award_settings"
    )
    completion_threshold = models.PositiveSmallIntegerField(
        "Attendance needed for a completion certificate (%)",
        default=DEFAULT_THRESHOLD,
        help_text="A child whose attendance reaches this share of the cohort's held sessions "
        "gets a completion certificate.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_threshold__gte=1, completion_threshold__lte=100),
                name="award_threshold_is_a_percentage",
                violation_error_message=_("Enter a percentage from 1 to 100."),
            )
        ]

    def __str__(self):
        return f"Award settings of force {self.force_id}"


class AwardKind(models.TextChoices):
    COMPLETION = "completion", _("Completion")
    SPECIAL = "special", _("Special award")


COMPLETION_TITLE = "Mini Police completion"


class Award(models.Model):
    # "Optionally at an event" (DESIGN.md §2): not recorded on the award yet. An event's bulk
    # issue (BulkIssue.event) gives the child's cohort's completion award, as a cohort's does.
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="awards")
    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.PROTECT, related_name="awards"
    )
    kind = models.CharField(max_length=12, choices=AwardKind.choices)
    title = models.CharField(max_length=80)
    citation = models.CharField(max_length=200, blank=True)
    awarded_on = models.DateField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-awarded_on", "-id"]
        indexes = [models.Index(fields=["cohort", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "cohort"],
                condition=Q(kind="completion"),
                name="award_one_completion_per_cohort",
            )
        ]

    def __str__(self):
        return f"{self.title} for child {self.child_id}"

    def get_absolute_url(self):
        return reverse("awards:award_detail", args=[self.pk])


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REPLACED = "replaced", _("Replaced")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    status = models.CharField(
        max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    # What the certificate says, as printed (cleared when the child is anonymised).
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    unit_name = models.CharField(max_length=160)
    school_name = models.CharField(max_length=160)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_reason = models.CharField(max_length=200, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award"], condition=Q(status="valid"), name="certificate_one_valid"
            )
        ]

    def __str__(self):
        return f"Certificate {self.code} ({self.status})"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class BulkIssue(models.Model):
    """One run of "issue the completion certificates" for a source: a cohort, or (once the
    events app exists) an event. The row holds the task's progress and the combined PDF.

    The combined PDF holds children's names: it is kept as bytes in this row (never as a public
    media file), served only through the job's page to those who may see the cohort, and
    dropped when any child in it is anonymised.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Issuing")
        DONE = "done", _("Issued")
        FAILED = "failed", _("Failed")

    force = models.ForeignKey("organisations.Force", on_delete=models.CASCADE, related_name="+")
    # The source: a cohort, or an event (the children checked in there, with their cohort).
    # Exactly one is set (see children_of_source).
    cohort = models.ForeignKey(
        "organisations.Cohort",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bulk_issues",
    )
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bulk_issues",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued_count = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # The site's address the QR codes link to, as the confirming request saw it.
    base_url = models.CharField(max_length=200)
    certificates = models.ManyToManyField(Certificate, blank=True, related_name="bulk_issues")
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One running job per source: a second confirmation finds the first one's job.
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(status__in=["queued", "running"]),
                name="bulk_issue_one_active_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status__in=["queued", "running"]),
                name="bulk_issue_one_active_per_event",
            ),
            models.CheckConstraint(
                condition=Q(cohort__isnull=False, event__isnull=True)
                | Q(cohort__isnull=True, event__isnull=False),
                name="bulk_issue_one_source",
                violation_error_message="A bulk issue is for a cohort or for an event.",
            ),
        ]

    def __str__(self):
        source = f"event {self.event_id}" if self.event_id else f"cohort {self.cohort_id}"
        return f"Bulk issue {self.pk} for {source} ({self.status})"

    def get_absolute_url(self):
        return reverse("awards:bulk_issue_progress", args=[self.pk])

    @property
    def source_name(self) -> str:
        """What the job is for, as its pages title it (cohort or event loaded)."""
        return self.event.title if self.event_id else self.cohort.name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0


class VerificationLookup(models.Model):
    """One look-up on the public verification page, counted to rate-limit it by IP address.

    Keeps a keyed hash of the address (consent.portal.ip_digest), never the address; pruned
    after a day.
    """

    at = models.DateTimeField()
    ip_digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["ip_digest", "at"])]

    def __str__(self):
        return f"Verification look-up at {self.at:%Y-%m-%d %H:%M}"
