import datetime

from django.utils import timezone

from minipolice.delivery import services
from minipolice.delivery.models import Session
from minipolice.delivery.tests.helpers import grant_participation, session_on
from minipolice.organisations import services as org
from minipolice.programme.models import ProgrammeTemplate

DEFAULT = "Standard 8-week programme"


def long_cohort(world, start):
    return org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Autumn",
        start_date=start,
        end_date=start + datetime.timedelta(days=120),
    )


def coming_monday(weeks_ahead=2):
    """A Monday a couple of weeks ahead, so planned dates are never in the past."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 * weeks_ahead - today.weekday())


def plan_data(template, first_date, **extra):
    return {
        "template": template.pk,
        "first_date": first_date.isoformat(),
        "weekday": "2",  # Wednesday
        "start_time": "14:00",
        "minutes": "60",
        "place": "School hall",
        **extra,
    }


def test_leader_plans_an_8_week_cohort_skipping_school_holidays(world, client_for):
    start = coming_monday()
    week = datetime.timedelta(days=7)
    cohort = long_cohort(world, start)
    services.create_holiday(
        acting_user=None,
        force=world.force,
        name="Autumn half term",
        start_date=start + 7 * week,
        end_date=start + 7 * week + datetime.timedelta(days=4),
    )
    template = ProgrammeTemplate.objects.get(force=None, name=DEFAULT)
    client = client_for(world.users["leader"])
    url = f"/cohorts/{cohort.pk}/sessions/plan/"

    form = client.get(url).content.decode()
    assert DEFAULT in form

    preview = client.post(url, plan_data(template, start))
    html = preview.content.decode()
    assert "Check the dates" in html
    half_term_wednesday = start + 7 * week + datetime.timedelta(days=2)
    assert f"{half_term_wednesday:%a %-d %b %Y}: Autumn half term" in html
    assert not Session.objects.exists()

    response = client.post(url, plan_data(template, start, confirm="1"))
    assert response.status_code == 302
    dates = list(Session.objects.filter(cohort=cohort).values_list("date", flat=True))
    assert len(dates) == 8
    assert all(day.weekday() == 2 for day in dates)
    assert dates[0] == start + datetime.timedelta(days=2)
    assert half_term_wednesday not in dates
    assert dates[-1] == half_term_wednesday + week
    modules = [s.module.title for s in Session.objects.filter(cohort=cohort)]
    assert modules[0] == "Police procedures and the law" and modules[-1] == "Closing ceremony"


def test_a_holiday_of_another_area_does_not_move_sessions(world):
    other_area = org.create_area(acting_user=None, force=world.force, name="South")
    services.create_holiday(
        acting_user=None,
        force=world.force,
        area=other_area,
        name="South closure",
        start_date=coming_monday() + datetime.timedelta(days=7),
        end_date=coming_monday() + datetime.timedelta(days=11),
    )
    cohort = long_cohort(world, coming_monday())
    template = ProgrammeTemplate.objects.get(force=None, name=DEFAULT)
    plan = services.plan_dates(
        cohort=cohort, template=template, first_date=cohort.start_date, weekday=2
    )
    assert plan.skipped == []
    assert plan.weeks[1][0] == coming_monday() + datetime.timedelta(days=9)


def test_a_template_that_does_not_fit_before_the_cohort_ends_is_refused(world, client_for):
    start = timezone.localdate()
    cohort = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Short",
        start_date=start,
        end_date=start + datetime.timedelta(days=20),
    )
    template = ProgrammeTemplate.objects.get(force=None, name=DEFAULT)
    client = client_for(world.users["leader"])
    url = f"/cohorts/{cohort.pk}/sessions/plan/"

    preview = client.post(url, plan_data(template, start)).content.decode()
    assert "weeks fit before the cohort ends" in preview
    assert "Create " not in preview
    response = client.post(url, plan_data(template, start, confirm="1"))
    assert "govuk-error-summary" in response.content.decode()
    assert not Session.objects.exists()


def test_teacher_cannot_plan_sessions(world, client_for):
    assert (
        client_for(world.users["teacher"])
        .get(f"/cohorts/{world.cohort.pk}/sessions/plan/")
        .status_code
        == 403
    )


def test_a_session_is_moved_cancelled_with_a_reason_and_added_by_hand(world, client_for):
    session = session_on(world.cohort)
    client = client_for(world.users["leader"])
    new_day = timezone.localdate() + datetime.timedelta(days=1)

    client.post(
        f"/sessions/{session.pk}/edit/",
        {"date": new_day.isoformat(), "start_time": "15:30", "minutes": "45", "place": "Library"},
    )
    session.refresh_from_db()
    assert (session.date, session.start_time, session.place) == (
        new_day,
        datetime.time(15, 30),
        "Library",
    )

    no_reason = client.post(f"/sessions/{session.pk}/cancel/", {"reason": ""})
    assert "govuk-error-summary" in no_reason.content.decode()
    client.post(f"/sessions/{session.pk}/cancel/", {"reason": "School trip"})
    session.refresh_from_db()
    assert session.is_cancelled and session.cancelled_reason == "School trip"
    client.post(f"/sessions/{session.pk}/reinstate/")
    session.refresh_from_db()
    assert not session.is_cancelled

    response = client.post(
        f"/cohorts/{world.cohort.pk}/sessions/new/",
        {"date": new_day.isoformat(), "start_time": "10:00", "minutes": "120", "place": "HQ"},
    )
    assert response.status_code == 302
    assert Session.objects.filter(cohort=world.cohort).count() == 2


def test_a_session_outside_the_cohort_dates_is_refused(world, client_for):
    client = client_for(world.users["leader"])
    too_late = world.cohort.end_date + datetime.timedelta(days=1)
    response = client.post(
        f"/cohorts/{world.cohort.pk}/sessions/new/",
        {"date": too_late.isoformat(), "start_time": "10:00", "minutes": "60"},
    )
    assert "The date must be within the cohort" in response.content.decode()


def test_a_session_whose_register_was_taken_cannot_be_cancelled(world, client_for):
    grant_participation(world.child)
    session = session_on(world.cohort)
    client = client_for(world.users["leader"])
    client.post(f"/sessions/{session.pk}/register/{world.child.pk}/", {"status": "present"})

    response = client.post(f"/sessions/{session.pk}/cancel/", {"reason": "Oops"})

    assert "Change the register instead" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_cancelled


def test_leaders_present_count_toward_volunteer_hours(world, client_for):
    leader = world.users["leader"]
    session = session_on(world.cohort, minutes=90)
    client = client_for(leader)

    client.post(
        f"/sessions/{session.pk}/details/", {"leaders_present": [leader.pk], "notes": "Went well"}
    )

    assert list(session.leaders_present.all()) == [leader]
    page = client.get("/my-sessions/").content.decode()
    assert "1.5" in page
    assert "PCSO Pat" in client.get(f"/sessions/{session.pk}/").content.decode()


def test_only_the_units_leaders_or_the_recorder_can_be_ticked_present(world, client_for):
    session = session_on(world.cohort)
    client = client_for(world.users["leader"])
    response = client.post(
        f"/sessions/{session.pk}/details/",
        {"leaders_present": [world.users["outsider"].pk]},
    )
    assert "govuk-error-summary" in response.content.decode()
    assert not session.leaders_present.exists()


def test_cohort_sessions_page_costs_the_same_for_1_and_30_sessions(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["leader"])
    client.get("/")
    session_on(world.cohort)
    url = f"/cohorts/{world.cohort.pk}/sessions/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for days in range(1, 30):
        session_on(world.cohort, timezone.localdate() + datetime.timedelta(days=days))
    assert one == count() == 7  # 8 before "may manage" came from the scope


def test_planning_cannot_start_outside_the_cohort(world, client_for):
    template = ProgrammeTemplate.objects.get(force=None, name=DEFAULT)
    too_early = world.cohort.start_date - datetime.timedelta(days=7)
    response = client_for(world.users["leader"]).post(
        f"/cohorts/{world.cohort.pk}/sessions/plan/", plan_data(template, too_early)
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html and "The date must be within the cohort" in html
    assert not Session.objects.exists()


def test_my_sessions_costs_the_same_for_1_and_30_sessions(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = world.users["leader"]
    client = client_for(leader)
    client.get("/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/my-sessions/").status_code == 200
        return len(queries)

    first = session_on(world.cohort)
    first.leaders_present.add(leader)
    one = count()
    for n in range(1, 30):
        session_on(world.cohort, timezone.localdate() + datetime.timedelta(days=n))
    for n in range(1, 20):  # past sessions with a register to take
        session_on(world.cohort, timezone.localdate() - datetime.timedelta(days=n))
    assert one == count() == 9


# Planning never lands on a day already gone or a day the cohort already has a session, and
# warns when no school holiday is recorded in the planned weeks.
WEEK = datetime.timedelta(days=7)


def template():
    return ProgrammeTemplate.objects.get(force=None, name=DEFAULT)


def shows_date(html: str, day: datetime.date) -> bool:
    """The Start from date input holds `day` in its Day, Month and Year boxes."""
    boxes = (day.day, day.month, day.year)
    return all(f'name="first_date_{i}" value="{v}"' in html for i, v in enumerate(boxes))


def test_plan_form_starts_from_today_when_the_cohort_began_in_the_past(world, client_for):
    today = timezone.localdate()
    assert world.cohort.start_date < today
    page = client_for(world.users["leader"]).get(f"/cohorts/{world.cohort.pk}/sessions/plan/")
    html = page.content.decode()
    assert shows_date(html, today)
    assert not shows_date(html, world.cohort.start_date)


def test_plan_form_starts_from_the_cohort_start_when_it_is_still_to_come(world, client_for):
    cohort = long_cohort(world, coming_monday())
    html = client_for(world.users["leader"]).get(f"/cohorts/{cohort.pk}/sessions/plan/")
    assert shows_date(html.content.decode(), cohort.start_date)


def test_planning_twice_skips_the_dates_that_already_have_a_session(world, client_for):
    start = coming_monday()
    cohort = long_cohort(world, start)
    services.create_holiday(
        acting_user=None,
        force=world.force,
        name="Christmas",
        start_date=start + 20 * WEEK,
        end_date=start + 21 * WEEK,
    )
    client = client_for(world.users["leader"])
    url = f"/cohorts/{cohort.pk}/sessions/plan/"
    client.post(url, plan_data(template(), start, confirm="1"))
    first_dates = set(Session.objects.filter(cohort=cohort).values_list("date", flat=True))
    assert len(first_dates) == 8

    preview = client.post(url, plan_data(template(), start)).content.decode()
    first_wednesday = start + datetime.timedelta(days=2)
    assert f"{first_wednesday:%a %-d %b %Y}: already has a session" in preview

    client.post(url, plan_data(template(), start, confirm="1"))
    dates = list(Session.objects.filter(cohort=cohort).values_list("date", flat=True))
    assert len(dates) == 16 and len(set(dates)) == 16  # no day has two sessions
    assert min(set(dates) - first_dates) > max(first_dates)


def test_planning_from_a_past_date_skips_the_days_already_gone(world, client_for):
    today = timezone.localdate()
    cohort = long_cohort(world, today - 3 * WEEK)
    client = client_for(world.users["leader"])
    url = f"/cohorts/{cohort.pk}/sessions/plan/"
    weekday = today.weekday() if today.weekday() < 5 else 0

    preview = client.post(
        url, plan_data(template(), cohort.start_date, weekday=str(weekday))
    ).content.decode()
    assert "in the past" in preview

    client.post(url, plan_data(template(), cohort.start_date, weekday=str(weekday), confirm="1"))
    dates = list(Session.objects.filter(cohort=cohort).values_list("date", flat=True))
    assert len(dates) == 8 and min(dates) >= today


def test_an_existing_session_today_is_skipped_but_today_can_be_planned(world):
    today = timezone.localdate()
    cohort = long_cohort(world, today)
    session_on(cohort, today + WEEK)
    plan = services.plan_dates(
        cohort=cohort, template=template(), first_date=today, weekday=today.weekday()
    )
    assert plan.weeks[0][0] == today
    assert (today + WEEK, services.ALREADY_HAS_SESSION) in plan.skipped
    assert plan.weeks[1][0] == today + 2 * WEEK


def test_preview_warns_when_no_school_holiday_is_recorded_in_the_planned_weeks(world, client_for):
    start = coming_monday()
    cohort = long_cohort(world, start)
    client = client_for(world.users["leader"])
    url = f"/cohorts/{cohort.pk}/sessions/plan/"

    preview = client.post(url, plan_data(template(), start)).content.decode()
    first, last = start + datetime.timedelta(days=2), start + datetime.timedelta(days=51)
    assert (
        f"No school holidays are recorded between {first:%-d %B %Y} and {last:%-d %B %Y}: "
        "check the dates before you create the sessions" in preview
    )

    services.create_holiday(
        acting_user=None,
        force=world.force,
        name="Half term",
        start_date=start + 3 * WEEK,
        end_date=start + 3 * WEEK + datetime.timedelta(days=4),
    )
    preview = client.post(url, plan_data(template(), start)).content.decode()
    assert "No school holidays are recorded" not in preview


# Each required field of the planning and session forms says what is missing.
def test_an_empty_plan_says_which_fields_are_missing(world, client_for):
    response = client_for(world.users["leader"]).post(
        f"/cohorts/{world.cohort.pk}/sessions/plan/", {"place": ""}
    )
    html = response.content.decode()
    for message in (
        "Select a programme template",
        "Enter the date to start planning from",
        "Select the day of the week the sessions are on",
        "Enter the start time",
        "Enter the length of the session in minutes",
    ):
        assert message in html
    assert "This field is required." not in html


def test_an_empty_session_says_which_fields_are_missing(world, client_for):
    response = client_for(world.users["leader"]).post(
        f"/cohorts/{world.cohort.pk}/sessions/new/", {"minutes": "2"}
    )
    html = response.content.decode()
    assert "Enter the date of the session" in html
    assert "Enter the start time" in html
    assert "The session must be 5 minutes or longer" in html
    assert "This field is required." not in html


def test_cancelling_without_a_reason_asks_for_one(world, client_for):
    session = session_on(world.cohort)
    html = client_for(world.users["leader"]).post(f"/sessions/{session.pk}/cancel/", {"reason": ""})
    assert "Enter why the session is cancelled" in html.content.decode()
