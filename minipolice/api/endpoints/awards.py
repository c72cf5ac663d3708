"""Awards and their certificates: read through awards.selectors, written through
awards.services. Funders and national viewers get counts only (/awards/totals), never a
named award."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minipolice.accounts.permissions import Perm
from minipolice.api.common import (
    WRITE_ERRORS,
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
from minipolice.awards import selectors, services
from minipolice.organisations.selectors import visible_cohorts
from minipolice.people.selectors import visible_children

router = Router(tags=["awards"])

Kind = Literal["completion", "special"]


class CertificateOut(Schema):
    code: str = Field(description="The verification code (the public page is /verify/{code}/)")
    status: Literal["valid", "replaced", "revoked"]
    issued_at: datetime.datetime


class AwardOut(Schema):
    id: int
    child: int
    cohort: int
    unit: int
    kind: Kind
    title: str
    citation: str
    awarded_on: datetime.date
    certificate: CertificateOut | None = Field(description="The valid certificate, if any")

    @staticmethod
    def resolve_child(obj):
        return obj.child_id

    @staticmethod
    def resolve_cohort(obj):
        return obj.cohort_id

    @staticmethod
    def resolve_unit(obj):
        return obj.cohort.unit_id

    @staticmethod
    def resolve_certificate(obj):
        return next(iter(obj.valid_certificates), None)


class AwardFilters(PageQuery):
    cohort: Id | None = None
    child: Id | None = None
    kind: Kind | None = None


class SpecialAwardIn(In):
    child: Id
    cohort: Id
    title: Text(80, 1)
    citation: Text(200) = ""


class TotalOut(Schema):
    force: str
    kind: Kind
    title: str
    awards: int | None = Field(description="Rounded to 5; null for 1 to 4")
    children: int | None = Field(description="Rounded to 5; null for 1 to 4")


@router.get("/awards", response=responses({200: Page[AwardOut]}))
def list_awards(request, filters: Query[AwardFilters]):
    require(request, Perm.AWARDS_READ)
    awards = selectors.visible_awards(request.user)
    if filters.cohort:
        awards = awards.filter(cohort_id=filters.cohort)
    if filters.child:
        awards = awards.filter(child_id=filters.child)
    if filters.kind:
        awards = awards.filter(kind=filters.kind)
    return paginate(awards, filters, "-awarded_on")


@router.get("/awards/totals", response=responses({200: list[TotalOut]}))
def award_totals(request):
    """Awards by force and title, counted in SQL and rounded: no child is named."""
    require(request, Perm.AWARDS_TOTALS)
    return selectors.award_totals(request.user)


@router.get("/awards/{award_id}", response=responses({200: AwardOut}))
def get_award(request, award_id: Id):
    require(request, Perm.AWARDS_READ)
    return get_object_or_404(selectors.visible_awards(request.user), pk=award_id)


@router.post("/awards", response=responses({201: AwardOut}, WRITE_ERRORS))
def create_award(request, payload: SpecialAwardIn):
    """Give a named special award (with its certificate) to a child of the cohort. Completion
    awards are issued in bulk, from the cohort's awards page."""
    require(request, Perm.AWARDS_GIVE)
    cohort = resolve(visible_cohorts(request.user, Perm.AWARDS_GIVE), payload.cohort, "cohort")
    child = resolve(visible_children(request.user), payload.child, "child")
    award = services.give_special_award(
        acting_user=request.user,
        child=child,
        cohort=cohort,
        title=payload.title,
        citation=payload.citation,
    )
    return Status(201, get_object_or_404(selectors.visible_awards(request.user), pk=award.pk))
