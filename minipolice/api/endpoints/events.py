"""Events and reward visits: read through events.selectors and created through events.services.

Funders and national viewers read the same list with counts only, rounded as on the pages
(lib.disclosure), and never a named place; `places` lists only children the caller may see.
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
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
from minipolice.api.selectors import events_with_places
from minipolice.events import services
from minipolice.events.models import EventKind, GuestRole
from minipolice.events.selectors import units_counted_exactly
from minipolice.lib.disclosure import rounded_children
from minipolice.organisations.selectors import visible_areas, visible_forces, visible_units

router = Router(tags=["events"])

Kind = Literal[tuple(EventKind.values)]
Role = Literal[tuple(GuestRole.values)]


class ProgrammeItemOut(Schema):
    time: datetime.time
    title: str


class GuestOut(Schema):
    name: str
    role: Role


class PlaceOut(Schema):
    child: int
    unit: int
    status: Literal["place", "waiting"]
    checked_in: bool
    arrived_late: bool
    collected_early: bool


class EventOut(Schema):
    id: int
    kind: Kind
    title: str
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    venue: str
    address: str
    capacity: int
    status: Literal["draft", "confirmed", "cancelled"]
    force: int
    area: int | None
    unit: int | None = Field(description="The unit whose reward visit this is")
    transport_notes: str
    what_to_bring: str
    programme: list[ProgrammeItemOut]
    guests: list[GuestOut]
    invited_units: list[int]
    places_count: int | None = Field(
        description="Children with a place; for aggregate roles rounded to 5, null for 1 to 4"
    )
    waiting_count: int | None
    checked_in_count: int | None
    places: list[PlaceOut] = Field(description="The places of children you may see")


class EventFilters(FilterSchema):
    date_from: Annotated[IsoDate | None, FilterLookup("date__gte")] = Field(
        None, alias="from", description="On or after"
    )
    date_to: Annotated[IsoDate | None, FilterLookup("date__lte")] = Field(
        None, alias="to", description="On or before"
    )


class ProgrammeItemIn(In):
    time: datetime.time
    title: Text(160, 1)


class GuestIn(In):
    name: Text(120, 1)
    role: Role


class EventIn(In):
    kind: Kind
    title: Text(160, 1)
    date: Date
    start_time: datetime.time
    end_time: datetime.time
    venue: Text(160, 1)
    address: Text(255) = ""
    capacity: int = Field(ge=1, le=5000)
    transport_notes: Text(5000) = ""
    what_to_bring: Text(5000) = ""
    area: Id | None = Field(None, description="For an area's celebration day")
    unit: Id | None = Field(None, description="For a unit's reward visit (required for one)")
    programme: list[ProgrammeItemIn] = Field(default_factory=list, max_length=50)
    guests: list[GuestIn] = Field(default_factory=list, max_length=50)


def _out(event, exact: bool) -> dict:
    counts = {n: getattr(event, n) for n in ("places_count", "waiting_count", "checked_in_count")}
    if not exact:
        counts = {n: rounded_children(v) for n, v in counts.items()}
    return {
        **{
            name: getattr(event, name)
            for name in (
                "id",
                "kind",
                "title",
                "date",
                "start_time",
                "end_time",
                "venue",
                "address",
                "capacity",
                "status",
                "transport_notes",
                "what_to_bring",
            )
        },
        "force": event.force_id,
        "area": event.area_id,
        "unit": event.unit_id,
        "programme": [{"time": i.time, "title": i.title} for i in event.programme.all()],
        "guests": [{"name": g.name, "role": g.role} for g in event.guests.all()],
        "invited_units": sorted(i.unit_id for i in event.invitations.all()),
        **counts,
        "places": [
            {
                "child": p.child_id,
                "unit": p.invitation.unit_id,
                "status": p.status,
                "checked_in": p.checked_in_at is not None,
                "arrived_late": p.arrived_late,
                "collected_early": p.collected_early_at is not None,
            }
            for p in event.visible_places
        ],
    }


def _exactness(user, events) -> dict[int, bool]:
    """Per event, whether its counts may be exact: the user may read every child they cover
    (the invited units' children); else they are rounded, as on the pages."""
    may_read = get_scope(user).has(Perm.EVENT_READ)
    invited = {event.pk: {i.unit_id for i in event.invitations.all()} for event in events}
    readable = units_counted_exactly(user, set().union(*invited.values())) if may_read else set()
    return {pk: may_read and units <= readable for pk, units in invited.items()}


@router.get("/events", response=responses({200: Page[EventOut]}))
def list_events(request, page: Query[PageQuery], filters: Query[EventFilters]):
    require(request, Perm.EVENT_COUNTS)
    answer = paginate(filters.filter(events_with_places(request.user)), page, "-date")
    exact = _exactness(request.user, answer["items"])
    answer["items"] = [_out(event, exact[event.pk]) for event in answer["items"]]
    return answer


@router.get("/events/{event_id}", response=responses({200: EventOut}))
def get_event(request, event_id: Id):
    require(request, Perm.EVENT_COUNTS)
    event = events_with_places(request.user).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return _out(event, _exactness(request.user, [event])[event.pk])


@router.post("/events", response=responses({201: EventOut}, WRITE_ERRORS))
def create_event(request, payload: EventIn):
    """Plan a celebration day (the force's, or an area's with `area`) or a unit's reward visit
    (with `unit`). Coordinators plan the force's days, area leads their areas', and leaders
    their units' reward visits."""
    require(request, Perm.EVENT_MANAGE)
    user = request.user
    force = area = unit = None
    if payload.unit is not None:
        unit = resolve(visible_units(user, Perm.EVENT_MANAGE), payload.unit, "unit")
    elif payload.area is not None:
        area = resolve(visible_areas(user, Perm.EVENT_MANAGE), payload.area, "area")
        force = area.force
    else:
        forces = sorted(get_scope(user).ids(Perm.EVENT_MANAGE, "force"))
        if not forces:
            if get_scope(user).ids(Perm.EVENT_MANAGE, "area"):
                raise ValidationError({"area": "Give the area whose celebration day it is."})
            raise PermissionDenied
        force = visible_forces(user, Perm.EVENT_MANAGE).get(pk=forces[0])
    details = payload.dict(exclude={"area", "unit", "programme", "guests"})
    event = services.create_event(
        acting_user=user,
        force=force,
        area=area,
        unit=unit,
        programme=[(item.time, item.title) for item in payload.programme],
        guests=[(guest.name, guest.role) for guest in payload.guests],
        **details,
    )
    created = events_with_places(user).get(pk=event.pk)
    return Status(201, _out(created, _exactness(user, [created])[created.pk]))
