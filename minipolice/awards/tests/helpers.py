"""Builders shared by the awards tests: held sessions and registers, through the services."""

import datetime

from django.utils import timezone

from minipolice.delivery import services as delivery
from minipolice.delivery.tests.helpers import grant_participation, session_on
from minipolice.people import services as people


def held_sessions(cohort, count=4):
    """`count` sessions on past days of the cohort (a week apart, ending yesterday)."""
    today = timezone.localdate()
    return [
        session_on(cohort, today - datetime.timedelta(days=1 + 7 * (count - 1 - i)))
        for i in range(count)
    ]


def attend(sessions, child, present: int):
    """Mark `child` present at the first `present` sessions and absent at the rest."""
    grant_participation(child)
    for index, session in enumerate(sessions):
        delivery.record_attendance(
            acting_user=None,
            session=session,
            child=child,
            status="present" if index < present else "absent",
            today=session.date,
        )


def add_child(cohort, first, last="Tester"):
    return people.add_child_to_cohort(
        acting_user=None,
        cohort=cohort,
        first_name=first,
        last_name=last,
        year_group=5,
        joined=cohort.start_date,
    )
