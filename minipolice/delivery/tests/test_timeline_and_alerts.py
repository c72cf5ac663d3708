import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.delivery import services
from minipolice.delivery.tests.helpers import grant_participation, session_on
from minipolice.organisations import services as org

TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def running_cohort(world):
    """The world's cohort has run for 30 days; one that started 8 weeks ago runs too."""
    return org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Since September",
        start_date=days(-56),
        end_date=days(100),
    )


def test_timeline_shows_delivered_cancelled_and_coming_next(world, client_for):
    cohort = running_cohort(world)
    grant_participation(world.child)
    delivered = session_on(cohort, days(-14))
    cancelled = session_on(cohort, days(-7))
    services.cancel_session(acting_user=None, session=cancelled, reason="Snow closure")
    upcoming = session_on(cohort, days(7))
    client = client_for(world.users["teacher"])

    page = client.get(f"/units/{world.unit.pk}/timeline/").content.decode()

    coming, rest = page.split('<h2 class="govuk-heading-m">Delivered</h2>')
    done, gone = rest.split('<h2 class="govuk-heading-m">Cancelled</h2>')
    assert f"/sessions/{upcoming.pk}/" in coming
    assert f"/sessions/{delivered.pk}/" in done and "Register not taken" in done
    assert f"/sessions/{cancelled.pk}/" in gone and "Snow closure" in gone


def test_home_warns_of_a_unit_with_no_session_in_three_weeks_of_term(world, client_for):
    running_cohort(world)
    session_on(world.cohort, days(-25))
    client = client_for(world.users["leader"])

    page = client.get("/").content.decode()
    assert "Units with no session in the last 3 weeks" in page
    assert f"/units/{world.unit.pk}/timeline/" in page

    session_on(world.cohort, days(-3))
    assert f"/units/{world.unit.pk}/timeline/" not in client.get("/").content.decode()


def test_no_warning_about_quiet_units_during_a_school_holiday(world, client_for):
    running_cohort(world)
    services.create_holiday(
        acting_user=None, force=world.force, name="Christmas", start_date=days(-2), end_date=days(5)
    )
    page = client_for(world.users["coordinator"]).get("/").content.decode()
    assert "Every running unit has met in the last 3 weeks of term." in page


def test_coordinator_home_lists_registers_not_taken_within_two_days(world, client_for):
    overdue = session_on(world.cohort, days(-3))
    recent = session_on(world.cohort, days(-2))
    client = client_for(world.users["coordinator"])

    def not_taken_section():
        page = client.get("/").content.decode()
        return page.split('<h2 class="govuk-heading-m">Registers not taken</h2>')[1]

    assert f"/sessions/{overdue.pk}/#register" in not_taken_section()
    assert f"/sessions/{recent.pk}/#register" not in not_taken_section()

    grant_participation(world.child)
    client.post(f"/sessions/{overdue.pk}/register/{world.child.pk}/", {"status": "present"})
    assert f"/sessions/{overdue.pk}/#register" not in not_taken_section()


def test_timeline_costs_the_same_queries_for_1_and_30_sessions(world, client_for):
    client = client_for(world.users["coordinator"])
    client.get("/")
    session_on(world.cohort, days(-1))
    url = f"/units/{world.unit.pk}/timeline/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for n in range(2, 31):
        session_on(world.cohort, days(-n if n % 2 else n))
    assert one == count() == 7
