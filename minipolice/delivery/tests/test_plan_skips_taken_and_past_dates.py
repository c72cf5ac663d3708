"""Planning never lands on a day already gone or a day the cohort already has a session, and
warns when no school holiday is recorded in the planned weeks."""

import datetime

from django.utils import timezone

from minipolice.delivery import services
from minipolice.delivery.models import Session
from minipolice.delivery.tests.helpers import session_on
from minipolice.delivery.tests.test_planning import DEFAULT, coming_monday, long_cohort, plan_data
from minipolice.programme.models import ProgrammeTemplate

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
