"""Aggregate reports for funders, national viewers and coordinators (no child is named)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from minipolice.accounts.permissions import Perm
from minipolice.api.common import Id, IsoDate, require, responses
from minipolice.impact import selectors as reports

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


@router.get("/reports/summary", response=responses({200: SummaryOut}))
def report_summary(request, query: Query[SummaryQuery]):
    """A force's figures for a period. Cells describing fewer than 5 children are null, and
    counts of children are rounded to the nearest 5, so that periods a day apart cannot be
    subtracted to find a hidden count."""
    require(request, Perm.AGGREGATES_READ)
    force = get_object_or_404(reports.forces_for_aggregates(request.user), pk=query.force)
    return reports.summary(force, query.date_from, query.date_to)
