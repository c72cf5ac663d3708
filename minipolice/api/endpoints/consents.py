"""Consent decisions: the history per child, and recording a new decision.

Recording goes through consent.services.record_consent (a new row each time; the latest wins).
"""

import datetime
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, field_validator

from minipolice.accounts.permissions import Perm
from minipolice.api.common import (
    WRITE_ERRORS,
    Date,
    Id,
    In,
    Page,
    PageQuery,
    Text,
    paginate,
    require,
    responses,
)
from minipolice.api.references import resolve
from minipolice.consent.selectors import visible_consents
from minipolice.consent.services import record_consent
from minipolice.people.selectors import visible_children, visible_guardians

router = Router()

Kind = Literal["participation", "media", "trip"]
Decision = Literal["granted", "refused", "withdrawn"]
Method = Literal["paper", "portal"]
MediaUseName = Literal["internal", "school_newsletter", "force_website", "press"]


class ConsentOut(Schema):
    id: int
    child: int
    kind: Kind
    status: Decision
    media_uses: list[MediaUseName]
    method: Method
    given_by: int | None = Field(description="The guardian who gave it, when recorded")
    given_by_name: str
    given_at: datetime.datetime
    expires: datetime.date | None
    trip_reference: str
    note: str

    @staticmethod
    def resolve_child(obj):
        return obj.child_id

    @staticmethod
    def resolve_given_by(obj):
        return obj.given_by_id


class ConsentFilters(FilterSchema):
    child: Annotated[Id | None, FilterLookup("child_id")] = None
    kind: Kind | None = None


class ConsentIn(In):
    child: Id
    kind: Kind
    status: Decision
    # Only a guardian in the parent portal records a portal consent: staff and partners send
    # what reached them on paper, so the record always says truthfully how it was given.
    method: Literal["paper"] = Field(
        "paper", description="How the decision reached us: a paper form"
    )
    given_by: Id | None = Field(None, description="The guardian who decided")
    given_by_name: Text(120) = ""
    given_at: AwareDatetime | None = Field(None, description="When it was given; defaults to now")
    expires: Date | None = None
    media_uses: list[MediaUseName] = Field(
        default_factory=list, max_length=4, description="For media consent: the uses it covers"
    )
    trip_reference: Text(40) = Field("", description='For trip consent, e.g. "event:12"')
    note: Text(255) = ""

    @field_validator("given_at")
    @classmethod
    def not_in_the_future(cls, value):
        if value is not None:
            if value.year < 2000:
                raise ValueError("Give a date from 2000 onwards.")
            if value > timezone.now() + datetime.timedelta(minutes=5):
                raise ValueError("A consent cannot be given in the future.")
        return value


@router.get("/consents", response=responses({200: Page[ConsentOut]}), tags=["consents"])
def list_consents(request, page: Query[PageQuery], filters: Query[ConsentFilters]):
    """Every consent decision of the children you may see, newest first; filter by child."""
    require(request, Perm.CHILDREN_READ)
    return paginate(filters.filter(visible_consents(request.user)), page, "-given_at")


@router.post("/consents", response=responses({201: ConsentOut}, WRITE_ERRORS), tags=["consents"])
def create_consent(request, payload: ConsentIn):
    """Record a consent decision (granted, refused or withdrawn) for a child."""
    require(request, Perm.CHILDREN_MANAGE)
    child = resolve(visible_children(request.user, Perm.CHILDREN_MANAGE), payload.child, "child")
    given_by = None
    if payload.given_by is not None:
        given_by = resolve(
            visible_guardians(request.user, Perm.CHILDREN_MANAGE), payload.given_by, "given_by"
        )
    consent = record_consent(
        acting_user=request.user,
        child=child,
        kind=payload.kind,
        status=payload.status,
        method=payload.method,
        given_by=given_by,
        given_by_name=payload.given_by_name,
        given_at=payload.given_at,
        expires=payload.expires,
        media_uses=list(dict.fromkeys(payload.media_uses)),
        trip_reference=payload.trip_reference,
        note=payload.note,
    )
    return Status(201, consent)


@router.get("/consents/{consent_id}", response=responses({200: ConsentOut}), tags=["consents"])
def get_consent(request, consent_id: Id):
    require(request, Perm.CHILDREN_READ)
    return get_object_or_404(visible_consents(request.user), pk=consent_id)
