"""A leader's own sessions: the home page's "Your sessions" and the registers still to take on
"My sessions"."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.delivery import services
from minipolice.delivery.tests.helpers import grant_participation, session_on


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def section(html, heading, next_heading="<h2"):
    return html.split(heading, 1)[1].split(next_heading, 1)[0]


def test_leader_home_shows_the_next_session_and_the_registers_to_take(world, client_for):
    grant_participation(world.child)
    later = session_on(world.cohort, days(9))
    soonest = session_on(world.cohort, days(2))
    cancelled = session_on(world.cohort, days(1))
    services.cancel_session(acting_user=None, session=cancelled, reason="Snow")
    to_take = session_on(world.cohort, days(-1))
    taken = session_on(world.cohort, days(-3))
    too_old = session_on(world.cohort, days(-29))
    client = client_for(world.users["leader"])
    client.post(f"/sessions/{taken.pk}/register/{world.child.pk}/", {"status": "present"})

    html = section(client.get("/").content.decode(), "Your sessions")

    nxt = section(html, "Next session", "</div>")
    assert f'href="/sessions/{soonest.pk}/"' in nxt and world.unit.name in nxt
    registers = section(html, "Registers to take", "</ul>")
    assert f"/sessions/{to_take.pk}/#register" in registers
    for session in (taken, too_old, later, cancelled):
        assert f"/sessions/{session.pk}/#register" not in registers


def test_home_of_someone_who_leads_no_unit_has_no_your_sessions(world, client_for):
    session_on(world.cohort, days(-1))
    for persona in ("coordinator", "teacher", "area_lead"):
        html = client_for(world.users[persona]).get("/").content.decode()
        assert "Your sessions" not in html, persona


def test_a_leader_with_nothing_to_do_is_told_so(world, client_for):
    html = client_for(world.users["leader"]).get("/").content.decode()
    assert "None planned" in html
    assert "Every register of your sessions in the last 4 weeks is complete." in html


def test_leader_home_costs_the_same_for_1_and_30_sessions(world, client_for):
    client = client_for(world.users["leader"])
    client.get("/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    session_on(world.cohort, days(-1))
    session_on(world.cohort, days(1))
    one = count()
    for n in range(2, 16):
        session_on(world.cohort, days(-n))
        session_on(world.cohort, days(n))
    assert one == count() == 14  # "Your sessions" is two of them


def test_my_sessions_lists_registers_to_take_of_the_last_4_weeks_first(world, client_for):
    grant_participation(world.child)
    coming = session_on(world.cohort, days(3))
    to_take = session_on(world.cohort, days(-2))
    taken = session_on(world.cohort, days(-5))
    too_old = session_on(world.cohort, days(-29))
    client = client_for(world.users["leader"])
    client.post(f"/sessions/{taken.pk}/register/{world.child.pk}/", {"status": "present"})

    html = client.get("/my-sessions/").content.decode()

    assert html.index("Registers to take") < html.index("Coming up in your units")
    registers = section(html, "Registers to take")
    assert f"/sessions/{to_take.pk}/#register" in registers
    assert "Register not taken" in registers
    for session in (taken, too_old, coming):
        assert f"/sessions/{session.pk}/" not in registers
    assert f"/sessions/{coming.pk}/" in section(html, "Coming up in your units")


def test_my_sessions_has_no_registers_to_take_for_a_leader_without_vetting(world, client_for):
    session_on(world.cohort, days(-2))
    html = client_for(world.users["lapsed_leader"]).get("/my-sessions/").content.decode()
    assert "Registers to take" not in html
