"""Every write to sessions, registers, school holidays and calendar feeds.

Registers hold children's personal data: every change is audited, and a change made more than
two days after the session is flagged `late: true` in the audit entry.
"""

import datetime
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.audit.services import record_audit
from minipolice.consent.enforcement import attendance_decisions
from minipolice.delivery.models import (
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    SchoolHoliday,
    Session,
    SessionStatus,
)
from minipolice.delivery.selectors import (
    holidays_for_cohort,
    may_see_session_notes,
    register_children,
)
from minipolice.lib.tokens import hash_token, new_token
from minipolice.lib.users import signed_in_or_none
from minipolice.organisations.models import Cohort
from minipolice.people.models import Child

SESSION_FIELDS = ["date", "start_time", "minutes", "place", "module"]
HOLIDAY_FIELDS = ["name", "area", "start_date", "end_date"]
WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


# Planning ------------------------------------------------------------------------------------
ALREADY_HAS_SESSION = gettext_lazy("already has a session")
IN_THE_PAST = gettext_lazy("in the past")


@dataclass(frozen=True)
class Plan:
    """The dates a template lands on: one per module, and the dates skipped (for a school
    holiday, a session the cohort already has that day, or a day already gone)."""

    weeks: list[tuple[datetime.date, object]]  # (date, module)
    skipped: list[tuple[datetime.date, str]]  # (date, reason: holiday name, or why)
    beyond_end: int  # modules with no date before the cohort ends
    holidays_in_period: bool = True  # a school holiday falls between the first and last week

    @property
    def period(self) -> tuple[datetime.date, datetime.date] | None:
        return (self.weeks[0][0], self.weeks[-1][0]) if self.weeks else None

    @property
    def warn_no_holidays(self) -> bool:
        return bool(self.weeks) and not self.holidays_in_period


def plan_dates(
    *,
    cohort: Cohort,
    template,
    first_date: datetime.date,
    weekday: int,
    today: datetime.date | None = None,
) -> Plan:
    """One session a week on `weekday`, from the first such day on or after `first_date`,
    skipping the school holidays of the cohort's force and area, the days the cohort already
    has a session (cancelled or not), and days before today."""
    today = today or timezone.localdate()
    _check_template_fits(cohort, template)
    _check_in_cohort(cohort, first_date, "first_date")
    holidays = list(holidays_for_cohort(cohort))
    taken = set(cohort.sessions.filter(date__gte=first_date).values_list("date", flat=True))
    modules = [item.module for item in template.items.select_related("module").order_by("position")]
    day = first_date + datetime.timedelta(days=(weekday - first_date.weekday()) % 7)
    weeks, skipped = [], []
    for module in modules:
        while day <= cohort.end_date:
            reason = _skip_reason(day, holidays, taken, today)
            if reason is None:
                break
            skipped.append((day, reason))
            day += datetime.timedelta(days=7)
        if day > cohort.end_date:
            break
        weeks.append((day, module))
        day += datetime.timedelta(days=7)
    in_period = bool(weeks) and any(
        h.start_date <= weeks[-1][0] and h.end_date >= weeks[0][0] for h in holidays
    )
    return Plan(
        weeks=weeks,
        skipped=skipped,
        beyond_end=len(modules) - len(weeks),
        holidays_in_period=in_period,
    )


def _skip_reason(day: datetime.date, holidays, taken: set, today: datetime.date) -> str | None:
    if day < today:
        return IN_THE_PAST
    if day in taken:
        return ALREADY_HAS_SESSION
    holiday = next((h for h in holidays if h.start_date <= day <= h.end_date), None)
    return holiday.name if holiday is not None else None


def _check_template_fits(cohort: Cohort, template) -> None:
    force_id = cohort.unit.school.area.force_id
    if template.force_id not in (None, force_id):
        raise ValidationError({"template": _("Choose a national template or one of your force's.")})


def _check_in_cohort(cohort: Cohort, day: datetime.date, field: str = "date") -> None:
    if not cohort.start_date <= day <= cohort.end_date:
        raise ValidationError(
            {
                field: _("The date must be within the cohort: %(start)s to %(end)s.")
                % {
                    "start": format_date(cohort.start_date, "j F Y"),
                    "end": format_date(cohort.end_date, "j F Y"),
                }
            }
        )


@transaction.atomic
def plan_sessions(
    *,
    acting_user,
    cohort: Cohort,
    template,
    first_date: datetime.date,
    weekday: int,
    start_time: datetime.time,
    minutes: int,
    place: str = "",
    today: datetime.date | None = None,
) -> list[Session]:
    """Create the cohort's sessions from a programme template, on the dates `plan_dates`
    gives: never on a day the cohort already has a session, nor on a day before `today`
    (the real today, unless back-filling, as the demo data does)."""
    # One plan at a time per cohort, so a double tap cannot create the sessions twice.
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    plan = plan_dates(
        cohort=cohort, template=template, first_date=first_date, weekday=weekday, today=today
    )
    if not plan.weeks:
        raise ValidationError(_("No week of this template fits before the cohort ends."))
    if plan.beyond_end:
        raise ValidationError(
            _(
                "Only %(fit)s of the %(weeks)s weeks fit before the cohort ends on %(end)s. "
                "Start earlier, or choose a shorter template and add the rest by hand."
            )
            % {
                "fit": len(plan.weeks),
                "weeks": len(plan.weeks) + plan.beyond_end,
                "end": format_date(cohort.end_date, "j F Y"),
            }
        )
    sessions = [
        Session(
            cohort=cohort,
            date=day,
            start_time=start_time,
            minutes=minutes,
            place=place,
            module=module,
        )
        for day, module in plan.weeks
    ]
    for session in sessions:
        session.full_clean()
    if cohort.programme_template_id is None:
        cohort.programme_template = template
        cohort.save(update_fields=["programme_template"])
    return Session.objects.bulk_create(sessions)


@transaction.atomic
def add_session(
    *,
    acting_user,
    cohort: Cohort,
    date: datetime.date,
    start_time: datetime.time,
    minutes: int,
    place: str = "",
    module=None,
) -> Session:
    _check_in_cohort(cohort, date)
    session = Session(
        cohort=cohort, date=date, start_time=start_time, minutes=minutes, place=place, module=module
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def update_session(*, acting_user, session: Session, **changes) -> Session:
    """Move a session (date, time, length, place) or change its module."""
    for name, value in changes.items():
        if name in SESSION_FIELDS:
            setattr(session, name, value)
    _check_in_cohort(session.cohort, session.date)
    session.full_clean()
    session.save(update_fields=[name for name in SESSION_FIELDS if name in changes])
    return session


@transaction.atomic
def cancel_session(*, acting_user, session: Session, reason: str) -> Session:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    if session.is_cancelled:
        raise ValidationError(_("This session is already cancelled."))
    if session.attendances.exists():
        raise ValidationError(
            _(
                "Children have been marked on this session's register, so it went ahead. "
                "Change the register instead of cancelling the session."
            )
        )
    session.status = SessionStatus.CANCELLED
    session.cancelled_reason = reason[:255]
    session.full_clean()
    session.save(update_fields=["status", "cancelled_reason"])
    return session


@transaction.atomic
def reinstate_session(*, acting_user, session: Session) -> Session:
    session.status = SessionStatus.PLANNED
    session.cancelled_reason = ""
    session.save(update_fields=["status", "cancelled_reason"])
    return session


@transaction.atomic
def record_session_details(
    *, acting_user, session: Session, leaders, notes: str | None = None
) -> Session:
    """Who led the session (their hours count as volunteer hours) and the leaders' notes.

    `notes=None` keeps the notes as they are. Notes may name children, so only a user cleared to
    read them may change them (a lapsed leader may still record who was present).
    """
    if (
        notes is not None
        and acting_user is not None
        and not may_see_session_notes(acting_user, session)
    ):
        raise PermissionDenied(_("Your vetting or safeguarding training is not in date."))
    if notes is None:
        notes = session.notes
    if session.is_cancelled and leaders:
        raise ValidationError(
            {"leaders_present": _("Nobody can be present at a cancelled session.")}
        )
    before = set(session.leaders_present.values_list("pk", flat=True))
    leaders = list(leaders)
    changes = {}
    if {leader.pk for leader in leaders} != before:
        changes["leaders_present"] = [sorted(before), sorted(leader.pk for leader in leaders)]
    if notes != session.notes:
        # Notes may mention children: record that they changed, not what they say.
        changes["notes"] = "(changed)"
    session.leaders_present.set(leaders)
    session.notes = notes
    session.save(update_fields=["notes"])
    if changes:
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=session,
            force=session.cohort.unit.school.area.force,
            fields=changes,
        )
    return session


# The register --------------------------------------------------------------------------------
def _check_register_open(session: Session, today: datetime.date) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled, so it has no register."))
    if session.date > today:
        raise ValidationError(
            _("The register opens on the day of the session, %(date)s.")
            % {"date": format_date(session.date, "j F Y")}
        )


@transaction.atomic
def record_attendance(
    *, acting_user, session: Session, child, status: str, today: datetime.date | None = None
) -> Attendance:
    """Mark one child present, absent or excused. Present needs participation consent."""
    today = today or timezone.localdate()
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present, absent or excused."))
    _check_register_open(session, today)
    if not register_children(session).filter(pk=child.pk).exists():
        raise ValidationError(_("%(child)s is not on this session's register.") % {"child": child})
    if status == AttendanceStatus.PRESENT:
        decision = attendance_decisions([child.pk], today=session.date).get(child.pk)
        if not decision:
            reason = decision.reason if decision is not None else _("No consent recorded")
            raise ValidationError(
                _("%(child)s cannot be marked present: %(reason)s.")
                % {"child": child, "reason": reason}
            )
    now = timezone.now()
    recorder = signed_in_or_none(acting_user)
    attendance, created = _upsert_attendance(
        session=session, child=child, status=status, recorder=recorder, now=now
    )
    before = None if created else attendance.status
    if not created and before == status:
        return attendance
    if not created:
        attendance.status, attendance.recorded_by, attendance.recorded_at = status, recorder, now
        attendance.save(update_fields=["status", "recorded_by", "recorded_at"])
    record_audit(
        acting_user=acting_user,
        action="create" if created else "update",
        obj=attendance,
        force=child.force,
        fields={
            "status": [before, status],
            "session": session.pk,
            "session_date": str(session.date),
            "late": session.is_late_edit(today),
        },
    )
    return attendance


def _upsert_attendance(*, session, child, status, recorder, now) -> tuple[Attendance, bool]:
    """The child's mark for the session, locked, and whether this call created it.

    Two first marks of one child at once (two phones, a double tap) both find no row; the
    second INSERT then waits for the first transaction and fails on the unique constraint. Its
    savepoint is rolled back and it takes the row the other one wrote, to update it as a
    change. (On SQLite, BEGIN IMMEDIATE already lets only one writer in at a time.)
    """
    found = Attendance.objects.select_for_update().filter(session=session, child=child).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            created = Attendance.objects.create(
                session=session, child=child, status=status, recorded_by=recorder, recorded_at=now
            )
        return created, True
    except IntegrityError:
        found = Attendance.objects.select_for_update().filter(session=session, child=child).first()
        if found is None:
            raise  # not the race: some other constraint failed
        return found, False


@transaction.atomic
def mark_rest_absent(*, acting_user, session: Session, today: datetime.date | None = None) -> int:
    """Finish the register: every child not yet marked is marked absent. Returns how many."""
    today = today or timezone.localdate()
    _check_register_open(session, today)
    unmarked = list(
        register_children(session).filter(register_status__isnull=True).select_related("force")
    )
    now = timezone.now()
    recorder = signed_in_or_none(acting_user)
    late = session.is_late_edit(today)
    marked = 0
    for child in unmarked:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    session=session,
                    child=child,
                    status=AttendanceStatus.ABSENT,
                    recorded_by=recorder,
                    recorded_at=now,
                )
        except IntegrityError:
            continue  # marked by someone else a moment ago: their mark stands
        marked += 1
        record_audit(
            acting_user=acting_user,
            action="create",
            obj=attendance,
            force=child.force,
            fields={
                "status": [None, AttendanceStatus.ABSENT],
                "session": session.pk,
                "session_date": str(session.date),
                "late": late,
            },
        )
    return marked


NOT_ON_REGISTER = gettext_lazy("This child is not on this session's register.")
LISTED_TWICE = gettext_lazy("This child is listed twice.")


@dataclass(frozen=True)
class SavedRegister:
    marks: list[tuple[Child, Attendance]]  # each mark given, in the order given
    marked_absent: int  # children still unmarked, then marked absent (finish)


def record_register(
    *,
    acting_user,
    session: Session,
    marks: Sequence[tuple[int, str]] = (),
    finish: bool = False,
    today: datetime.date | None = None,
) -> SavedRegister:
    """Save marks on a session's register: a tap on the page (one mark), finishing it, or a
    whole register from the API.

    Each (child id, status) gives that child the mark (through record_attendance: consent and
    the register's dates are checked there); a child not listed keeps their mark. With
    `finish`, every child still unmarked is then marked absent (mark_rest_absent). All or nothing: when
    any mark is refused nothing changes, and the reasons are raised per mark, keyed by its
    position: "marks.0", "marks.1", ...
    """
    errors: dict[str, list[str]] = {}
    seen = set()
    for index, (child_id, _status) in enumerate(marks):
        if child_id in seen:
            errors[f"marks.{index}"] = [LISTED_TWICE]
        seen.add(child_id)
    if errors:
        raise ValidationError(errors)
    # One write is atomic by itself; a savepoint around it would cost every tap two queries.
    steps = len(marks) + bool(finish)
    with transaction.atomic() if steps > 1 else nullcontext():
        children = {}
        if marks:
            on_register = register_children(session).select_related("force")
            children = {child.pk: child for child in on_register.filter(pk__in=seen)}
        saved = []
        for index, (child_id, status) in enumerate(marks):
            child = children.get(child_id)
            if child is None:
                errors[f"marks.{index}"] = [NOT_ON_REGISTER]
                continue
            try:
                attendance = record_attendance(
                    acting_user=acting_user,
                    session=session,
                    child=child,
                    status=status,
                    today=today,
                )
            except ValidationError as error:
                errors[f"marks.{index}"] = list(error.messages)
            else:
                saved.append((child, attendance))
        if errors:
            raise ValidationError(errors)
        marked_absent = 0
        if finish:
            marked_absent = mark_rest_absent(acting_user=acting_user, session=session, today=today)
    return SavedRegister(marks=saved, marked_absent=marked_absent)


# School holidays -----------------------------------------------------------------------------
@transaction.atomic
def create_holiday(
    *, acting_user, force, name: str, start_date, end_date, area=None
) -> SchoolHoliday:
    if area is not None and area.force_id != force.pk:
        raise ValidationError({"area": _("Choose an area of your force.")})
    holiday = SchoolHoliday(
        force=force, area=area, name=name, start_date=start_date, end_date=end_date
    )
    holiday.full_clean()
    holiday.save()
    return holiday


@transaction.atomic
def update_holiday(*, acting_user, holiday: SchoolHoliday, **changes) -> SchoolHoliday:
    for name, value in changes.items():
        if name in HOLIDAY_FIELDS:
            setattr(holiday, name, value)
    if holiday.area is not None and holiday.area.force_id != holiday.force_id:
        raise ValidationError({"area": _("Choose an area of your force.")})
    holiday.full_clean()
    holiday.save(update_fields=[name for name in HOLIDAY_FIELDS if name in changes])
    return holiday


@transaction.atomic
def delete_holiday(*, acting_user, holiday: SchoolHoliday) -> None:
    holiday.delete()


# Calendar feeds ------------------------------------------------------------------------------
@transaction.atomic
def renew_calendar_feed(*, acting_user, unit=None) -> tuple[CalendarFeed, str]:
    """The user's feed (of one unit, or of the units they lead) with a new secret token: the
    feed is created the first time; afterwards the old address stops working.

    Returns the feed and the raw token, which is stored nowhere: show it once."""
    raw = new_token()
    feed = CalendarFeed.objects.select_for_update().filter(user=acting_user, unit=unit).first()
    if feed is None:
        feed = CalendarFeed.objects.create(
            user=acting_user, unit=unit, token_hash=hash_token(raw), created_at=timezone.now()
        )
        return feed, raw
    feed.token_hash = hash_token(raw)
    feed.created_at = timezone.now()
    feed.save(update_fields=["token_hash", "created_at"])
    return feed, raw


@transaction.atomic
def delete_calendar_feed(*, acting_user, unit=None) -> None:
    CalendarFeed.objects.filter(user=acting_user, unit=unit).delete()
