"""Aggregate reports for funders, national viewers and coordinators (no child is named)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import model_validator

from minipolice.accounts.permissions import Perm
from minipolice.api.common import Id, IsoDate, require, responses
from minipolice.impact.selectors import forces_for_aggregates
from minipolice.lib.disclosure import BASE
from minipolice.reports import selectors as reports

router = Router(tags=["reports"])


class SummaryQuery(Schema):
    force: Id
    date_from: IsoDate = Field(alias="from", description="First day of the period")
    date_to: IsoDate = Field(alias="to", description="Last day of the period")

    @model_validator(mode="after")
    def ordered(self):
        if self.date_to < self.date_from:
            raise ValueError("The period must end on or after the day it starts.")
        return self


class SummaryOut(Schema):
    force: int
    period_from: datetime.date
    period_to: datetime.date
    suppressed_below: int = Field(
        description="Figures describing fewer children than this are null"
    )
    children_rounded_to: int = Field(
        description="Counts of children are rounded to the nearest multiple of this"
    )
    units_by_status: dict[str, int] = Field(description="Units by their status on the last day")
    children_enrolled: int | None = Field(
        description="Children enrolled at some time in the period, rounded to the nearest 5; "
        "null when fewer than 5"
    )
    sessions_delivered: int | None
    sessions_cancelled: int | None
    attendance_rate: float | None = Field(description="Share of register marks that were present")
    volunteer_hours: float | None
    homes_reached: int | None
    community_actions: int | None
    certificates_issued: int | None = Field(
        description="Awards with a certificate issued in the period, rounded like children"
    )
    events_held: int | None = Field(description="Events held (not cancelled) in the period")
    event_children: int | None = Field(
        description="Children checked in at an event in the period, rounded like children"
    )


class NationalQuery(Schema):
    date_from: IsoDate = Field(alias="from", description="First day of the period")
    date_to: IsoDate = Field(alias="to", description="Last day of the period")

    @model_validator(mode="after")
    def ordered(self):
        if self.date_to < self.date_from:
            raise ValueError("The period must end on or after the day it starts.")
        return self


class ForceFiguresOut(Schema):
    force: int | None = Field(description="The force's id; null for the total of every force")
    force_name: str
    units_by_status: dict[str, int]
    children_enrolled: int | None
    sessions_delivered: int | None
    sessions_cancelled: int | None
    attendance_rate: float | None
    volunteer_hours: float | None
    homes_reached: int | None
    community_actions: int | None
    certificates_issued: int | None
    events_held: int | None
    event_children: int | None


class NationalOut(Schema):
    period_from: datetime.date
    period_to: datetime.date
    suppressed_below: int
    children_rounded_to: int
    forces: list[ForceFiguresOut]
    total: ForceFiguresOut


@router.get("/reports/summary", response=responses({200: SummaryOut}))
def report_summary(request, query: Query[SummaryQuery]):
    """A force's figures for a period. Cells describing fewer than 5 children are null, and
    counts of children are rounded to the nearest 5, so that periods a day apart cannot be
    subtracted to find a hidden count."""
    require(request, Perm.AGGREGATES_READ)
    force = get_object_or_404(forces_for_aggregates(request.user), pk=query.force)
    return reports.summary(force, query.date_from, query.date_to)


@router.get("/reports/national", response=responses({200: NationalOut}))
def report_national(request, query: Query[NationalQuery]):
    """Every force's figures for a period side by side, with the total, for national viewers
    (others get 403). Suppressed and rounded as reports/summary is."""
    require(request, Perm.AGGREGATES_READ)
    if not reports.may_compare_forces(request.user):
        raise HttpError(403, "Only national viewers compare every force.")
    comparison = reports.national_comparison(query.date_from, query.date_to, exact=False)
    return {
        "period_from": query.date_from,
        "period_to": query.date_to,
        "suppressed_below": BASE,
        "children_rounded_to": BASE,
        "forces": [row.summary() for row in comparison["rows"]],
        "total": comparison["total"].summary(),
    }
