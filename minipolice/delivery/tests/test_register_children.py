"""Who is on a register: the children enrolled on the session's date, and anyone already marked
on it (a child who left later still shows where they were marked), found through one IN over a
UNION so that PostgreSQL reads a register's children by their ids, not every child in the
country (bench/RESULTS.md, load test: a register tap took 600 ms at national scale)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.delivery import selectors, services
from minipolice.delivery.tests.helpers import add_children, session_on
from minipolice.organisations import services as org
from minipolice.people import services as people
from minipolice.people.models import Enrolment


def test_register_lists_the_enrolled_and_those_marked_before_they_left(world):
    today = timezone.localdate()
    cohort = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Spring",
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=60),
    )
    stays, leaves, left_before = add_children(cohort, 3)
    earlier = session_on(cohort, today - datetime.timedelta(days=7))
    services.record_register(
        acting_user=world.users["leader"], session=earlier, marks=[(leaves.pk, "present")]
    )
    for child in (leaves, left_before):
        people.leave_cohort(
            acting_user=None,
            enrolment=Enrolment.objects.get(child=child, cohort=cohort),
            left=today - datetime.timedelta(days=3),
        )
    later = session_on(cohort, today)

    with CaptureQueriesContext(connection) as queries:
        on_earlier = {c.pk: c.register_status for c in selectors.register_children(earlier)}
    assert on_earlier == {stays.pk: None, leaves.pk: "present", left_before.pk: None}
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert sql.count('"people_child"."id" IN (') == 1 and "UNION" in sql
    assert {c.pk for c in selectors.register_children(later)} == {stays.pk}
    assert selectors.register_summary(earlier) == {
        "total": 3, "unmarked": 2, "present": 1, "absent": 0, "excused": 0
    }  # fmt: skip
