import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.lib.validators import validate_date_in_range, validate_name, validate_phone


class YearGroup(models.IntegerChoices):
    YEAR_5 = 5, gettext_lazy("Year 5")
    YEAR_6 = 6, gettext_lazy("Year 6")


class Child(models.Model):
    """A child in the programme. No date of birth and no address: the school holds those."""

    force = models.ForeignKey("organisations.Force", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=60, validators=[validate_name])
    last_name = models.CharField(max_length=60, validators=[validate_name])
    year_group = models.PositiveSmallIntegerField(choices=YearGroup.choices)
    leader_notes = models.TextField(
        gettext_lazy("Notes for leaders"),
        blank=True,
        help_text=gettext_lazy(
            "Additional needs leaders should know. Seen only by unit leaders and coordinators."
        ),
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["force", "last_name", "first_name"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("people:child_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Guardian(models.Model):
    force = models.ForeignKey("organisations.Force", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120, validators=[validate_name])
    email = models.EmailField(blank=True)
    # A new address staff entered, waiting to be confirmed from that address (people.services
    # .update_guardian); until then sign-in links go to `email`.
    pending_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[validate_phone])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian_profile",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["force", "email"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:guardian_detail", args=[self.pk])


class Guardianship(models.Model):
    class Relationship(models.TextChoices):
        PARENT = "parent", gettext_lazy("Parent")
        CARER = "carer", gettext_lazy("Carer")
        GRANDPARENT = "grandparent", gettext_lazy("Grandparent")
        OTHER = "other", gettext_lazy("Other")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.PARENT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="guardianship_unique")
        ]

    def __str__(self):
        return f"{self.guardian} ({self.get_relationship_display()}) of {self.child}"


class Enrolment(models.Model):
    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.PROTECT, related_name="enrolments"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    joined = models.DateField(validators=[validate_date_in_range])
    left = models.DateField(null=True, blank=True, validators=[validate_date_in_range])

    class Meta:
        ordering = ["joined", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "child"], name="enrolment_unique"),
        ]

    def __str__(self):
        return f"{self.child} in {self.cohort}"

    @property
    def is_current(self) -> bool:
        return self.left is None


class Vetting(models.Model):
    class Level(models.TextChoices):
        NPPV1 = "nppv1", gettext_lazy("NPPV level 1")
        NPPV2 = "nppv2", gettext_lazy("NPPV level 2")
        NPPV3 = "nppv3", gettext_lazy("NPPV level 3")
        ENHANCED_DBS = "enhanced_dbs", gettext_lazy("Enhanced DBS")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vettings"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    granted = models.DateField()
    expires = models.DateField()

    class Meta:
        ordering = ["-expires"]
        indexes = [models.Index(fields=["user", "expires"])]

    def __str__(self):
        return f"{self.get_level_display()} until {self.expires}"

    def clean(self):
        _expires_after(
            self.granted, self.expires, _("The expiry date must be after the date it was granted.")
        )


class SafeguardingTraining(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safeguarding_trainings"
    )
    completed = models.DateField()
    expires = models.DateField()

    class Meta:
        ordering = ["-expires"]
        indexes = [models.Index(fields=["user", "expires"])]

    def __str__(self):
        return f"Safeguarding training until {self.expires}"

    def clean(self):
        _expires_after(
            self.completed,
            self.expires,
            _("The expiry date must be after the date it was completed."),
        )


def _expires_after(start, expires, message: str) -> None:
    """The one rule for vetting and training dates: they cannot expire before they began."""
    if start is not None and expires is not None and expires < start:
        raise ValidationError({"expires": message})


class ClassListImport(models.Model):
    """A checked class list waiting for the uploader to confirm it (people.classlist_views).

    Why a table and not the session or memory: web processes are stateless and may be many, so
    the preview must live in the database; a row names its cohort and its uploader, so a user can
    only ever confirm their own import of a cohort they may still manage (both are checked again
    on confirm), and a status lets a double-clicked "Confirm" apply the list once. The rows hold
    children's and guardians' details, so they are kept only as long as needed: cleared once
    applied, deleted on cancel, and previews older than LIFETIME are refused and purged.

    Confirming queues a background task (people.tasks.apply_class_list_import): the row then
    also holds the task's progress (rows_done of rows_total, status queued, running, applied or
    failed) for the page that shows it, and what went wrong if it failed.
    """

    LIFETIME = datetime.timedelta(hours=1)

    class Status(models.TextChoices):
        PREVIEWED = "previewed", gettext_lazy("Previewed")
        QUEUED = "queued", gettext_lazy("Waiting to start")
        RUNNING = "running", gettext_lazy("Importing")
        APPLIED = "applied", gettext_lazy("Imported")
        FAILED = "failed", gettext_lazy("Failed")

    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.CASCADE, related_name="class_list_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    rows = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Class list for {self.cohort_id} by {self.uploaded_by_id} ({self.status})"

    def is_expired(self, now: datetime.datetime) -> bool:
        return self.created_at < now - self.LIFETIME

    @property
    def is_started(self) -> bool:
        return self.status != self.Status.PREVIEWED

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.APPLIED, self.Status.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.APPLIED:
            return 100
        return self.rows_done * 100 // self.rows_total if self.rows_total else 0


class RetentionRun(models.Model):
    """One real run of the retention rule (people.retention, run by
    services.apply_retention): what it anonymised, by force.

    Holds record ids and counts only, never names.
    """

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    today = models.DateField(help_text="The date the rule was applied for.")
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    children_count = models.PositiveIntegerField(default=0)
    guardians_count = models.PositiveIntegerField(default=0)
    by_force = models.JSONField(default=dict, blank=True)
    child_ids = models.JSONField(default=list, blank=True)
    guardian_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Retention run for {self.today}"
