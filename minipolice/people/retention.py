"""The retention rule: who is anonymised, and when.

A child's personal data is kept while their last cohort ended on or after the same date
`retention_months` ago (their force's setting, 12 by default); from the day after that it is
due for anonymisation. Their guardians are due with them when they have no other child whose
data is kept. Children still in, or waiting for, a cohort that has not ended are never due.

The anonymising itself is `people.services.apply_retention`; the schedule is people/tasks.py
(or a cron line: docs/retention.md).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Max, Q

from minipolice.organisations.models import Force
from minipolice.people.models import Child, Guardian


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier; the month's last day when that day does not exist
    (31 March minus one month is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def keep_from(force: Force, today: datetime.date) -> datetime.date:
    """Children whose last cohort ended on or after this date are kept."""
    return months_before(today, force.retention_months)


def children_due(today: datetime.date, force_ids=None):
    """Children not yet anonymised whose last cohort ended before their force's keep-from date,
    annotated with `last_cohort_ended`."""
    forces = Force.objects.all()
    if force_ids is not None:
        forces = forces.filter(pk__in=sorted(force_ids))
    due = Q(pk__in=[])
    for force in forces:
        due |= Q(force_id=force.pk, last_cohort_ended__lt=keep_from(force, today))
    return (
        Child.objects.filter(anonymised_at__isnull=True)
        .annotate(last_cohort_ended=Max("enrolments__cohort__end_date"))
        .filter(due)
    )


def guardians_left_without_children(children):
    """Guardians of `children` (a queryset) who have no other child whose data is kept."""
    kept = Child.objects.filter(anonymised_at__isnull=True).exclude(pk__in=children.values("pk"))
    return (
        Guardian.objects.filter(anonymised_at__isnull=True, guardianships__child__in=children)
        .exclude(guardianships__child__in=kept)
        .distinct()
    )


@dataclass
class RetentionPlan:
    today: datetime.date
    children: list
    guardians: list


def plan(today: datetime.date, force_ids=None) -> RetentionPlan:
    """The dry run: who the rule would anonymise on `today`."""
    children = children_due(today, force_ids)
    return RetentionPlan(
        today=today,
        children=list(
            children.select_related("force").order_by("last_cohort_ended", "last_name", "pk")
        ),
        guardians=list(
            guardians_left_without_children(children_due(today, force_ids))
            .select_related("force")
            .order_by("name", "pk")
        ),
    )
