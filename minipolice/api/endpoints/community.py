"""Community actions (leaflet drops, litter picks, speed watches...): read through
community.selectors and written through community.services."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from minipolice.accounts.permissions import Perm
from minipolice.api.common import (
    WRITE_ERRORS,
    Date,
    Id,
    In,
    IsoDate,
    Latitude,
    Longitude,
    Page,
    PageQuery,
    Text,
    coordinate,
    paginate,
    require,
    responses,
)
from minipolice.api.references import resolve
from minipolice.api.selectors import actions_with_participants
from minipolice.community import selectors, services
from minipolice.community.models import MEASURES
from minipolice.organisations.selectors import visible_units
from minipolice.people.selectors import visible_children

router = Router(tags=["community actions"])

Kind = Literal["leaflet_drop", "litter_pick", "parking_awareness", "speed_watch", "other"]
Count = Field(None, ge=0, le=10_000_000)


class ActionOut(Schema):
    id: int
    unit: int
    kind: Kind
    date: datetime.date
    place: str
    latitude: float | None
    longitude: float | None
    partners: str
    homes_reached: int | None
    leaflets_delivered: int | None
    bags_collected: int | None
    vehicles_checked: int | None
    vehicles_over_limit: int | None
    drivers_spoken_to: int | None
    outcome: str
    children_count: int = Field(description="How many children took part")
    participants: list[int] = Field(description="The children taking part whom you may see")

    @staticmethod
    def resolve_unit(obj):
        return obj.unit_id

    @staticmethod
    def resolve_participants(obj):
        return [participation.child_id for participation in obj.visible_participations]


class ActionFilters(FilterSchema):
    unit: Annotated[Id | None, FilterLookup("unit_id")] = None
    kind: Kind | None = None
    date_from: Annotated[IsoDate | None, FilterLookup("date__gte")] = Field(
        None, alias="from", description="On or after"
    )
    date_to: Annotated[IsoDate | None, FilterLookup("date__lte")] = Field(
        None, alias="to", description="On or before"
    )


class ActionIn(In):
    unit: Id
    kind: Kind
    date: Date
    place: Text(160, 1)
    latitude: float | None = Latitude
    longitude: float | None = Longitude
    partners: Text(255) = ""
    homes_reached: int | None = Count
    leaflets_delivered: int | None = Count
    bags_collected: int | None = Count
    vehicles_checked: int | None = Count
    vehicles_over_limit: int | None = Count
    drivers_spoken_to: int | None = Count
    outcome: Text(5000) = ""
    participants: list[Id] = Field(
        default_factory=list, max_length=200, description="Children who took part"
    )


class ActionPatch(In):
    kind: Kind | None = None
    date: Date | None = None
    place: Text(160, 1) | None = None
    latitude: float | None = Latitude
    longitude: float | None = Longitude
    partners: Text(255) | None = None
    homes_reached: int | None = Count
    leaflets_delivered: int | None = Count
    bags_collected: int | None = Count
    vehicles_checked: int | None = Count
    vehicles_over_limit: int | None = Count
    drivers_spoken_to: int | None = Count
    outcome: Text(5000) | None = None
    participants: list[Id] | None = Field(
        None, max_length=200, description="Replaces the children taking part whom you may see"
    )


DETAILS = ["date", "place", "latitude", "longitude", "partners", "outcome", *MEASURES]
CLEARABLE = {*MEASURES, "latitude", "longitude"}  # null clears these; other nulls are ignored


def _children(user, ids):
    """The children named by `ids`, each of whom the user must be able to see (else a 400)."""
    wanted = sorted(set(ids))
    found = list(visible_children(user).filter(pk__in=wanted))
    missing = sorted(set(wanted) - {child.pk for child in found})
    if missing:
        raise ValidationError(
            {"participants": f"No child you can see has id {', '.join(map(str, missing))}."}
        )
    return found


@router.get("/community-actions", response=responses({200: Page[ActionOut]}))
def list_community_actions(request, page: Query[PageQuery], filters: Query[ActionFilters]):
    require(request, Perm.COMMUNITY_READ)
    return paginate(filters.filter(actions_with_participants(request.user)), page, "-date")


@router.post("/community-actions", response=responses({201: ActionOut}, WRITE_ERRORS))
def create_community_action(request, payload: ActionIn):
    """Record an action. Measures that do not fit its kind are not kept (for example bags of
    litter on a leaflet drop). Children taking part need participation consent."""
    require(request, Perm.COMMUNITY_MANAGE)
    unit = resolve(visible_units(request.user, Perm.COMMUNITY_MANAGE), payload.unit, "unit")
    details = {name: getattr(payload, name) for name in DETAILS}
    details["latitude"] = coordinate(payload.latitude)
    details["longitude"] = coordinate(payload.longitude)
    action = services.record_action(
        acting_user=request.user,
        unit=unit,
        kind=payload.kind,
        participants=_children(request.user, payload.participants),
        **details,
    )
    return Status(201, get_object_or_404(actions_with_participants(request.user), pk=action.pk))


@router.get("/community-actions/{action_id}", response=responses({200: ActionOut}))
def get_community_action(request, action_id: Id):
    require(request, Perm.COMMUNITY_READ)
    return get_object_or_404(actions_with_participants(request.user), pk=action_id)


@router.patch("/community-actions/{action_id}", response=responses({200: ActionOut}, WRITE_ERRORS))
def update_community_action(request, action_id: Id, payload: ActionPatch):
    """Change the fields given. `participants` replaces the children you may see; children
    you cannot see stay as they are."""
    require(request, Perm.COMMUNITY_MANAGE)
    action = selectors.get_action_for_user(request.user, action_id, Perm.COMMUNITY_MANAGE)
    changes = payload.dict(exclude_unset=True)
    details = {name: getattr(action, name) for name in DETAILS}
    for name in DETAILS:
        if name in changes and (changes[name] is not None or name in CLEARABLE):
            details[name] = changes[name]
    for name in ("latitude", "longitude"):
        if name in changes:
            details[name] = coordinate(changes[name])
    taking_part = list(selectors.action_participants(request.user, action))  # those you see
    if changes.get("participants") is not None:
        participants = _children(request.user, changes["participants"])
    else:
        participants = taking_part
    services.update_action(
        acting_user=request.user,
        action=action,
        kind=changes.get("kind") or action.kind,
        participants=participants,
        editable_ids=sorted({child.pk for child in [*taking_part, *participants]}),
        **details,
    )
    return get_object_or_404(actions_with_participants(request.user), pk=action.pk)
