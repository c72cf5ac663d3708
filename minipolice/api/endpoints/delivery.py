"""Sessions and their registers, read through delivery.selectors and written through
delivery.services (built by the delivery app; nothing about sessions is decided here)."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from minipolice.accounts.permissions import Perm
from minipolice.api.common import (
    WRITE_ERRORS,
    Date,
    Id,
    In,
    IsoDate,
    Page,
    PageQuery,
    Text,
    paginate,
    require,
    responses,
)
from minipolice.api.references import resolve
from minipolice.api.selectors import sessions_with_register
from minipolice.delivery import selectors, services
from minipolice.organisations.selectors import visible_cohorts
from minipolice.programme.selectors import visible_modules

router = Router(tags=["sessions"])

SessionStatusName = Literal["planned", "cancelled"]
Mark = Literal["present", "absent", "excused"]
Minutes = Field(60, ge=5, le=600, description="How long the session lasts")
# Local (UK) clock time as HH:MM. Not JSON Schema's "time" format, which needs a UTC offset:
# sessions start at a time of the school day, whatever the offset that day.
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["14:30"])]


def _time(value: str | None) -> datetime.time | None:
    return None if value is None else datetime.time.fromisoformat(value)


class SessionOut(Schema):
    id: int
    cohort: int
    unit: int
    date: datetime.date
    start_time: ClockTime
    minutes: int
    place: str
    module: int | None
    title: str
    status: SessionStatusName
    cancelled_reason: str
    notes: str | None = Field(
        description="The leaders' notes; null when your clearance does not cover them"
    )
    leaders_present: list[int] = Field(description="Users recorded as leading the session")
    marked: int = Field(description="Children marked on the register")
    present: int = Field(description="Children marked present")

    @staticmethod
    def resolve_cohort(obj):
        return obj.cohort_id

    @staticmethod
    def resolve_unit(obj):
        return obj.cohort.unit_id

    @staticmethod
    def resolve_start_time(obj):
        return obj.start_time.strftime("%H:%M")

    @staticmethod
    def resolve_module(obj):
        return obj.module_id

    @staticmethod
    def resolve_notes(obj):
        return obj.notes if obj.notes_visible else None

    @staticmethod
    def resolve_leaders_present(obj):
        return [leader.pk for leader in obj.leaders_present.all()]


class SessionFilters(FilterSchema):
    cohort: Annotated[Id | None, FilterLookup("cohort_id")] = None
    unit: Annotated[Id | None, FilterLookup("cohort__unit_id")] = None
    status: SessionStatusName | None = None
    date_from: Annotated[IsoDate | None, FilterLookup("date__gte")] = Field(
        None, alias="from", description="On or after"
    )
    date_to: Annotated[IsoDate | None, FilterLookup("date__lte")] = Field(
        None, alias="to", description="On or before"
    )


class SessionIn(In):
    cohort: Id
    date: Date
    start_time: ClockTime
    minutes: int = Minutes
    place: Text(160) = ""
    module: Id | None = Field(None, description="A module of the national library or your force's")


class SessionPatch(In):
    date: Date | None = None
    start_time: ClockTime | None = None
    minutes: int | None = Field(None, ge=5, le=600)
    place: Text(160) | None = None
    module: Id | None = None


class CancelIn(In):
    reason: Text(255, 1)


class DetailsIn(In):
    leaders_present: list[Id] = Field(
        default_factory=list, max_length=50, description="Users who led it (the unit's leaders)"
    )
    notes: Text(5000) | None = Field(
        None, description="Leave out (or null) to keep the notes; needs in-date clearance"
    )


def _session(user, pk, perm=Perm.SESSION_READ):
    return get_object_or_404(sessions_with_register(user, perm), pk=pk)


def _module(user, cohort, pk):
    if pk is None:
        return None
    force_id = cohort.unit.school.area.force_id
    modules = visible_modules(user).filter(Q(force__isnull=True) | Q(force_id=force_id))
    return resolve(modules, pk, "module")


@router.get("/sessions", response=responses({200: Page[SessionOut]}))
def list_sessions(request, page: Query[PageQuery], filters: Query[SessionFilters]):
    require(request, Perm.SESSION_READ)
    sessions = filters.filter(sessions_with_register(request.user))
    return paginate(sessions, page, "date", "start_time")


@router.post("/sessions", response=responses({201: SessionOut}, WRITE_ERRORS))
def create_session(request, payload: SessionIn):
    require(request, Perm.SESSION_MANAGE)
    cohort = resolve(visible_cohorts(request.user, Perm.SESSION_MANAGE), payload.cohort, "cohort")
    session = services.add_session(
        acting_user=request.user,
        cohort=cohort,
        date=payload.date,
        start_time=_time(payload.start_time),
        minutes=payload.minutes,
        place=payload.place,
        module=_module(request.user, cohort, payload.module),
    )
    return Status(201, _session(request.user, session.pk))


@router.get("/sessions/{session_id}", response=responses({200: SessionOut}))
def get_session(request, session_id: Id):
    require(request, Perm.SESSION_READ)
    return _session(request.user, session_id)


@router.patch("/sessions/{session_id}", response=responses({200: SessionOut}, WRITE_ERRORS))
def update_session(request, session_id: Id, payload: SessionPatch):
    """Move a session (date, time, length, place) or change its module."""
    require(request, Perm.SESSION_MANAGE)
    session = selectors.get_session_for_user(request.user, session_id, Perm.SESSION_MANAGE)
    changes = payload.dict(exclude_unset=True)
    for key in ("date", "start_time", "minutes", "place"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    if "start_time" in changes:
        changes["start_time"] = _time(changes["start_time"])
    if "module" in changes:
        changes["module"] = _module(request.user, session.cohort, changes["module"])
    services.update_session(acting_user=request.user, session=session, **changes)
    return _session(request.user, session.pk)


@router.post("/sessions/{session_id}/cancel", response=responses({200: SessionOut}, WRITE_ERRORS))
def cancel_session(request, session_id: Id, payload: CancelIn):
    """Cancel a session that did not happen. A session with a register cannot be cancelled."""
    require(request, Perm.SESSION_MANAGE)
    session = selectors.get_session_for_user(request.user, session_id, Perm.SESSION_MANAGE)
    services.cancel_session(acting_user=request.user, session=session, reason=payload.reason)
    return _session(request.user, session.pk)


@router.post(
    "/sessions/{session_id}/reinstate", response=responses({200: SessionOut}, WRITE_ERRORS)
)
def reinstate_session(request, session_id: Id):
    require(request, Perm.SESSION_MANAGE)
    session = selectors.get_session_for_user(request.user, session_id, Perm.SESSION_MANAGE)
    services.reinstate_session(acting_user=request.user, session=session)
    return _session(request.user, session.pk)


@router.post("/sessions/{session_id}/details", response=responses({200: SessionOut}, WRITE_ERRORS))
def record_session_details(request, session_id: Id, payload: DetailsIn):
    """Who led the session (their time counts as volunteer hours) and the leaders' notes.
    Replaces the leaders recorded before."""
    require(request, Perm.SESSION_MANAGE)
    session = selectors.get_session_for_user(request.user, session_id, Perm.SESSION_MANAGE)
    candidates = selectors.leader_candidates(session, request.user)
    wanted = sorted(set(payload.leaders_present))
    leaders = list(candidates.filter(pk__in=wanted))
    unknown = sorted(set(wanted) - {leader.pk for leader in leaders})
    if unknown:
        raise ValidationError(
            {"leaders_present": f"Not a leader of this unit: {', '.join(map(str, unknown))}."}
        )
    services.record_session_details(
        acting_user=request.user, session=session, leaders=leaders, notes=payload.notes
    )
    return _session(request.user, session.pk)


# The register ---------------------------------------------------------------------------------
class RegisterRowOut(Schema):
    child: int
    first_name: str
    last_name: str
    status: Mark | None = Field(description="null: not marked yet")
    may_be_present: bool = Field(description="Participation consent allows marking present")
    reason: str = Field(description="Why the child may not be marked present, if so")


class RegisterOut(Schema):
    session: int
    date: datetime.date
    open: bool = Field(description="Marks can be recorded (not cancelled, not in the future)")
    rows: list[RegisterRowOut]
    total: int
    present: int
    absent: int
    excused: int
    unmarked: int


class MarkIn(In):
    child: Id
    status: Mark


class RegisterIn(In):
    marks: list[MarkIn] = Field(max_length=200)
    mark_rest_absent: bool = Field(
        False, description="Then mark every child still unmarked absent (finish the register)"
    )


def _register(session) -> dict:
    rows = selectors.register_rows(session)
    summary = selectors.register_summary(session, rows)
    return {
        "session": session.pk,
        "date": session.date,
        "open": not session.is_cancelled and session.date <= timezone.localdate(),
        "rows": [
            {
                "child": row.child.pk,
                "first_name": row.child.first_name,
                "last_name": row.child.last_name,
                "status": row.status,
                "may_be_present": bool(row.decision),
                "reason": row.decision.reason,
            }
            for row in rows
        ],
        **{key: summary[key] for key in ("total", "present", "absent", "excused", "unmarked")},
    }


@router.get("/sessions/{session_id}/attendance", response=responses({200: RegisterOut}))
def get_register(request, session_id: Id):
    """The register: every child on it, their mark, and whether consent lets them be present."""
    require(request, Perm.REGISTER_TAKE)
    session = selectors.get_session_for_user(request.user, session_id, Perm.REGISTER_TAKE)
    return _register(session)


@router.put(
    "/sessions/{session_id}/attendance", response=responses({200: RegisterOut}, WRITE_ERRORS)
)
def replace_register(request, session_id: Id, payload: RegisterIn):
    """Record the register in one go: each child listed gets the mark given (a child not listed
    keeps their mark; marks are never deleted, only changed). With `mark_rest_absent`, every
    child still unmarked is then marked absent. All or nothing: one refused mark (for example
    present without participation consent) changes nothing, and the reasons are listed per
    mark under `errors["marks.N"]`."""
    require(request, Perm.REGISTER_TAKE)
    session = selectors.get_session_for_user(request.user, session_id, Perm.REGISTER_TAKE)
    services.record_register(
        acting_user=request.user,
        session=session,
        marks=[(mark.child, mark.status) for mark in payload.marks],
        finish=payload.mark_rest_absent,
    )
    return _register(session)
