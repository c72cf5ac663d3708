"""The timeline and a cohort's session list say how complete each register is, counted in SQL."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.delivery.tests.helpers import add_children, session_on
from minipolice.organisations import services as org

TIMELINE_QUERIES = 9  # the same as before registers were told apart


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def cohort_with_children(world, n=3):
    cohort = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Spring",
        start_date=days(-60),
        end_date=days(60),
    )
    return cohort, add_children(cohort, n)


def three_registers(world, client):
    """One session partly marked, one complete, one not taken."""
    cohort, children = cohort_with_children(world)
    partly, complete = session_on(cohort, days(-3)), session_on(cohort, days(-2))
    client.post(f"/sessions/{partly.pk}/register/{children[0].pk}/", {"status": "present"})
    client.post(f"/sessions/{complete.pk}/register/{children[0].pk}/", {"status": "present"})
    client.post(f"/sessions/{complete.pk}/register/finish/")
    untaken = session_on(cohort, days(-1))
    return cohort, partly, complete, untaken


def line_of(html, session):
    return html.split(f'href="/sessions/{session.pk}/"')[1].split("</li>")[0]


def test_timeline_says_partly_taken_taken_or_not_taken(world, client_for):
    client = client_for(world.users["leader"])
    cohort, partly, complete, untaken = three_registers(world, client)

    html = client.get(f"/units/{world.unit.pk}/timeline/").content.decode()

    assert "Register partly taken: 1 present, 2 not marked" in line_of(html, partly)
    assert "Register taken: 1 present" in line_of(html, complete)
    assert "Register not taken" in line_of(html, untaken)


def test_cohort_sessions_say_partly_taken_taken_or_not_taken(world, client_for):
    client = client_for(world.users["leader"])
    cohort, partly, complete, untaken = three_registers(world, client)

    html = client.get(f"/cohorts/{cohort.pk}/sessions/").content.decode()

    assert "Register partly taken: 1 present, 2 not marked" in line_of(html, partly)
    assert "Register taken: 1 present" in line_of(html, complete)
    assert "Register not taken" in line_of(html, untaken)


def test_a_child_who_left_before_the_session_does_not_count_as_not_marked(world, client_for):
    client = client_for(world.users["leader"])
    cohort, children = cohort_with_children(world, 2)
    session = session_on(cohort, days(-1))
    client.post(f"/sessions/{session.pk}/register/{children[0].pk}/", {"status": "present"})
    children[1].enrolments.update(left=days(-5))

    html = client.get(f"/cohorts/{cohort.pk}/sessions/").content.decode()
    assert "Register taken: 1 present" in line_of(html, session)


def test_timeline_costs_the_same_for_1_and_30_partly_taken_registers(world, client_for):
    client = client_for(world.users["leader"])
    client.get("/")
    cohort, children = cohort_with_children(world, 2)
    url = f"/units/{world.unit.pk}/timeline/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = session_on(cohort, days(-1))
    client.post(f"/sessions/{first.pk}/register/{children[0].pk}/", {"status": "present"})
    one = count()
    for n in range(2, 31):
        session = session_on(cohort, days(-n))
        client.post(f"/sessions/{session.pk}/register/{children[0].pk}/", {"status": "present"})
    assert one == count() == TIMELINE_QUERIES
