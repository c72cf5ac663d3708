"""Sessions, registers, school holidays and calendar feeds."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from minipolice.lib.tokens import new_token as new_feed_token  # noqa: F401  (migration 0001)
from minipolice.lib.validators import validate_date_in_range

# A register changed later than this many days after its session is a late edit (audited so).
LATE_AFTER_DAYS = 2


class SchoolHoliday(models.Model):
    """Dates sessions are not planned on: a force's or one area's holidays and closures."""

    force = models.ForeignKey(
        "organisations.Force", on_delete=models.CASCADE, related_name="school_holidays"
    )
    area = models.ForeignKey(
        "organisations.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="school_holidays",
        help_text=gettext_lazy("Leave empty when the dates apply to every area of the force."),
    )
    name = models.CharField(
        max_length=120, help_text=gettext_lazy('For example "Autumn half term"')
    )
    start_date = models.DateField(gettext_lazy("First day"), validators=[validate_date_in_range])
    end_date = models.DateField(gettext_lazy("Last day"), validators=[validate_date_in_range])

    class Meta:
        ordering = ["start_date", "name"]
        indexes = [models.Index(fields=["force", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="holiday_ends_after_start",
                violation_error_message=gettext_lazy(
                    "The last day must be on or after the first day."
                ),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.start_date:%-d %b} to {self.end_date:%-d %b %Y})"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("a session", "Planned")
    CANCELLED = "cancelled", pgettext_lazy("a session", "Cancelled")


class Session(models.Model):
    """One meeting of a cohort. Whether it was delivered follows from its date and register."""

    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(validators=[validate_date_in_range])
    start_time = models.TimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(max_length=160, blank=True)
    module = models.ForeignKey(
        "programme.Module",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancelled_reason = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)
    leaders_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sessions_led"
    )

    class Meta:
        ordering = ["date", "start_time", "id"]
        indexes = [
            models.Index(fields=["cohort", "date"]),
            models.Index(fields=["date", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=600), name="session_minutes_sensible"
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | ~Q(cancelled_reason=""),
                name="session_cancelled_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.cohort.name} on {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("delivery:session_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def ends_at(self) -> datetime.datetime:
        return self.starts_at() + datetime.timedelta(minutes=self.minutes)

    @property
    def title(self) -> str:
        return self.module.title if self.module_id else _("Session")

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    def is_late_edit(self, today: datetime.date) -> bool:
        return today > self.date + datetime.timedelta(days=LATE_AFTER_DAYS)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("register mark", "Present")
    ABSENT = "absent", pgettext_lazy("register mark", "Absent")
    EXCUSED = "excused", pgettext_lazy("register mark", "Excused")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "child"], name="attendance_unique")
        ]
        # Counts of marks by status per session (registers, dashboards) read the index alone.
        indexes = [
            models.Index(fields=["session", "status", "child"], name="attendance_session_status")
        ]

    def __str__(self):
        return f"{self.child_id} {self.status} at session {self.session_id}"


class CalendarFeed(models.Model):
    """A secret address for a calendar app: one user's feed of one unit's sessions, or (with no
    unit) of the sessions of every unit they lead.

    The feed shows only what its owner may still see, checked on every request, so a leader who
    leaves a unit stops getting its sessions. Revoking gives a new token: the old address stops
    working at once. Only the token's hash is stored: the address is shown once, when it is
    made, and a lost one is replaced by a new one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="calendar_feed_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(unit__isnull=True), name="calendar_feed_one_personal"
            ),
        ]

    def __str__(self):
        return f"Calendar of {self.user_id} for {self.unit_id or 'their units'}"


def calendar_feed_path(raw_token: str) -> str:
    return reverse("delivery:calendar_feed", args=[raw_token])
