"""Dates are typed as the GOV.UK date input (Day, Month, Year boxes) and times as 24-hour text,
in every form; one YYYY-MM-DD value is still read for a date (older posts, hidden fields)."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from minipolice.community.models import CommunityAction
from minipolice.delivery.models import Session
from minipolice.delivery.tests.helpers import add_children, grant_participation, session_on
from minipolice.organisations import services as org
from minipolice.organisations.models import Cohort
from minipolice.programme.models import ProgrammeTemplate
from minipolice.public import services as public

DATE_HINT = "For example, 27 3 2026"
TIME_HINT = "For example, 14:30"


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def parts(name: str, day: datetime.date | None = None, **typed) -> dict:
    """The three boxes of the date input `name`, filled with `day` or with what was typed."""
    values = [day.day, day.month, day.year] if day else [typed.get(p, "") for p in "dmy"]
    return {f"{name}_{i}": str(value) for i, value in enumerate(values)}


@pytest.fixture
def coordinator(world, client_for):
    return client_for(world.users["coordinator"])


def cohort_post(**dates):
    return {"name": "Spring", **dates}


# Dates -----------------------------------------------------------------------------------------
def test_a_date_typed_as_day_month_year_saves(world, coordinator):
    response = coordinator.post(
        f"/units/{world.unit.pk}/cohorts/new/",
        cohort_post(
            **parts("start_date", datetime.date(2026, 3, 27)),
            **parts("end_date", d="17", m="7", y="2026"),
        ),
    )

    assert response.status_code == 302
    cohort = Cohort.objects.get(unit=world.unit, name="Spring")
    assert (cohort.start_date, cohort.end_date) == (
        datetime.date(2026, 3, 27),
        datetime.date(2026, 7, 17),
    )


def test_a_month_may_be_typed_as_its_name(world, coordinator):
    coordinator.post(
        f"/units/{world.unit.pk}/cohorts/new/",
        cohort_post(
            **parts("start_date", d="1", m="Sept", y="2026"),
            **parts("end_date", d="20", m="dec", y="2026"),
        ),
    )

    cohort = Cohort.objects.get(unit=world.unit, name="Spring")
    assert cohort.start_date == datetime.date(2026, 9, 1)
    assert cohort.end_date == datetime.date(2026, 12, 20)


def test_a_date_without_a_month_says_so_beside_the_field(world, coordinator):
    page = _page(
        coordinator.post(
            f"/units/{world.unit.pk}/cohorts/new/",
            cohort_post(
                **parts("start_date", d="27", y="2026"),
                **parts("end_date", datetime.date(2026, 7, 17)),
            ),
        )
    )

    beside = re.search(r'<p class="govuk-error-message" id="id_start_date-error">(.*?)</p>', page)
    assert beside and "The date must include a month" in beside[1]
    assert '<a href="#id_start_date_0">The date must include a month</a>' in page
    # Only the box left empty is marked; what was typed is kept.
    month = re.search(r'<input[^>]*id="id_start_date_1"[^>]*>', page)[0]
    day = re.search(r'<input[^>]*id="id_start_date_0"[^>]*>', page)[0]
    assert "govuk-input--error" in month
    assert "govuk-input--error" not in day and 'value="27"' in day
    assert not Cohort.objects.filter(name="Spring").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({}, "Enter the date the cohort starts"),
        ({"d": "31", "m": "2", "y": "2026"}, "Enter a real date"),
        ({"d": "1", "m": "13", "y": "2026"}, "Enter a real date"),
        ({"d": "x", "m": "3", "y": "2026"}, "Enter a real date"),
        ({"d": "27", "m": "3", "y": "26"}, "The year must include 4 numbers"),
        ({"m": "3"}, "The date must include a day and year"),
        ({"d": "1", "m": "1", "y": "1999"}, "Enter a date between 2000 and 2100"),
    ],
)
def test_a_date_that_is_missing_or_wrong_says_what_to_fix(world, coordinator, typed, message):
    page = _page(
        coordinator.post(
            f"/units/{world.unit.pk}/cohorts/new/",
            cohort_post(
                **parts("start_date", **typed), **parts("end_date", datetime.date(2026, 7, 17))
            ),
        )
    )

    assert f'<a href="#id_start_date_0">{message}</a>' in page
    assert "govuk-form-group--error" in page


def test_a_single_iso_date_is_still_read(world, coordinator):
    response = coordinator.post(
        f"/units/{world.unit.pk}/cohorts/new/",
        cohort_post(start_date="2026-03-27", end_date="2026-07-17"),
    )

    assert response.status_code == 302
    assert Cohort.objects.get(name="Spring").start_date == datetime.date(2026, 3, 27)


def test_an_edit_form_shows_the_saved_date_in_its_three_boxes(world, coordinator):
    org.update_cohort(acting_user=None, cohort=world.cohort, start_date=datetime.date(2026, 3, 7))

    page = _page(coordinator.get(f"/cohorts/{world.cohort.pk}/edit/"))

    for box, value in (("0", "7"), ("1", "3"), ("2", "2026")):
        tag = re.search(rf'<input[^>]*id="id_start_date_{box}"[^>]*>', page)[0]
        assert f'value="{value}"' in tag and 'inputmode="numeric"' in tag


def test_a_planned_start_date_typed_in_boxes_survives_the_preview(world, client_for):
    today = timezone.localdate()
    start = today + datetime.timedelta(days=14 - today.weekday())
    cohort = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Autumn",
        start_date=start,
        end_date=start + datetime.timedelta(days=120),
    )
    template = ProgrammeTemplate.objects.get(force=None, name="Standard 8-week programme")
    client = client_for(world.users["leader"])
    url = f"/cohorts/{cohort.pk}/sessions/plan/"
    data = {
        "template": template.pk,
        **parts("first_date", start),
        "weekday": "2",
        "start_time": "1600",
        "minutes": "60",
    }

    preview = _page(client.post(url, data))
    assert "Check the dates" in preview
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview))
    assert hidden["first_date_0"] == str(start.day) and hidden["first_date_2"] == str(start.year)

    response = client.post(url, {**hidden, "confirm": "1"})

    assert response.status_code == 302
    sessions = Session.objects.filter(cohort=cohort)
    assert sessions.count() == 8
    assert {s.start_time for s in sessions} == {datetime.time(16, 0)}
    assert sessions.order_by("date").first().date == start + datetime.timedelta(days=2)


def test_an_action_dated_in_boxes_offers_the_children_of_that_day(world, client_for):
    """The children who may be ticked are those in cohorts running on the typed date."""
    today = timezone.localdate()
    ended = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Ended",
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=280),
    )
    child = add_children(ended, 1, first="Earlier")[0]
    client = client_for(world.users["leader"])
    day = today - datetime.timedelta(days=300)

    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick",
        {**parts("date", day), "place": "Park", "bags_collected": "3", "participants": [child.pk]},
    )

    assert response.status_code == 302, _page(response)
    action = CommunityAction.objects.get(unit=world.unit)
    assert action.date == day
    assert list(action.participations.values_list("child", flat=True)) == [child.pk]


# Times -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["14:30", "1430", "14.30", "14 30", "2:30 pm", "2.30PM"])
def test_a_start_time_is_read_as_24_hour_hours_and_minutes(world, client_for, typed):
    grant_participation(world.child)
    client = client_for(world.users["leader"])

    response = client.post(
        f"/cohorts/{world.cohort.pk}/sessions/new/",
        {**parts("date", timezone.localdate()), "start_time": typed, "minutes": "60"},
    )

    assert response.status_code == 302, _page(response)
    assert Session.objects.get(cohort=world.cohort).start_time == datetime.time(14, 30)


@pytest.mark.parametrize("typed", ["2:30", "0230", "9:05"])
def test_a_time_without_am_or_pm_is_a_24_hour_time(world, client_for, typed):
    client = client_for(world.users["leader"])

    client.post(
        f"/cohorts/{world.cohort.pk}/sessions/new/",
        {**parts("date", timezone.localdate()), "start_time": typed, "minutes": "60"},
    )

    hours, minutes = (2, 30) if typed != "9:05" else (9, 5)
    assert Session.objects.get(cohort=world.cohort).start_time == datetime.time(hours, minutes)


@pytest.mark.parametrize("typed", ["25:00", "14:75", "13:30 pm", "half two", "14:3"])
def test_a_time_that_is_not_one_says_how_to_write_it(world, client_for, typed):
    client = client_for(world.users["leader"])

    page = _page(
        client.post(
            f"/cohorts/{world.cohort.pk}/sessions/new/",
            {**parts("date", timezone.localdate()), "start_time": typed, "minutes": "60"},
        )
    )

    assert '<a href="#id_start_time">Enter the start time as hours and minutes' in page
    assert not Session.objects.exists()


def test_a_session_edit_shows_its_time_in_24_hours(world, client_for):
    session = session_on(world.cohort, start_time=datetime.time(15, 45))
    page = _page(client_for(world.users["leader"]).get(f"/sessions/{session.pk}/edit/"))

    tag = re.search(r'<input[^>]*id="id_start_time"[^>]*>', page)[0]
    assert 'type="text"' in tag and 'value="15:45"' in tag and 'inputmode="numeric"' in tag
    assert TIME_HINT in page


# Every form page ---------------------------------------------------------------------------------
def form_pages(world) -> dict[str, tuple[str, ...]]:
    """Each page with a date or time question, and the date fields it asks."""
    session = session_on(world.cohort)
    story = public.create_story(acting_user=None, unit=world.unit, title="Litter pick", body="Hi")
    action = CommunityAction.objects.create(
        unit=world.unit,
        kind="litter_pick",
        date=timezone.localdate(),
        place="Park",
        recorded_at=timezone.now(),
    )
    leader = world.users["leader"]
    return {
        f"/units/{world.unit.pk}/cohorts/new/": ("start_date", "end_date"),
        f"/cohorts/{world.cohort.pk}/edit/": ("start_date", "end_date"),
        f"/units/{world.unit.pk}/status/": ("changed_on",),
        f"/children/{world.child.pk}/leave/": ("left",),
        f"/cohorts/{world.cohort.pk}/sessions/new/": ("date",),
        f"/sessions/{session.pk}/edit/": ("date",),
        f"/cohorts/{world.cohort.pk}/sessions/plan/": ("first_date",),
        "/school-holidays/new/": ("start_date", "end_date"),
        f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick": ("date",),
        f"/community-actions/{action.pk}/edit/": ("date",),
        "/community-totals/": ("start", "end"),
        f"/consent/children/{world.child.pk}/record/": ("given_on", "expires"),
        f"/leaders/{leader.pk}/vetting/new/": ("granted", "expires"),
        f"/leaders/{leader.pk}/training/new/": ("completed", "expires"),
        "/stories/new/": ("happened_on",),
        f"/stories/{story.pk}/edit/": ("happened_on",),
    }


def test_no_form_page_uses_the_browsers_own_date_or_time_input(world, coordinator):
    for url, fields in form_pages(world).items():
        page = _page(coordinator.get(url))
        assert not re.search(r'type="(date|time|datetime-local)"', page), url
        assert page.count(DATE_HINT) == len(fields), url
        for name in fields:
            assert f'<div class="govuk-date-input" id="id_{name}">' in page, (url, name)
            for box, label, width in (("0", "Day", 2), ("1", "Month", 2), ("2", "Year", 4)):
                assert (
                    f'<label class="govuk-label govuk-date-input__label" for="id_{name}_{box}">{label}</label>'
                    in page
                ), (url, name)
                tag = re.search(rf'<input[^>]*id="id_{name}_{box}"[^>]*>', page)[0]
                assert 'type="text"' in tag and 'inputmode="numeric"' in tag, (url, tag)
                assert f"govuk-date-input__input govuk-input--width-{width}" in tag, (url, tag)
        if "sessions/" in url and "plan" not in url or url.endswith("/plan/"):
            assert TIME_HINT in page, url


def test_every_date_error_links_to_its_day_box(world, coordinator):
    """A date without its month on each form: said beside the field, linked to the Day box."""
    for url, fields in form_pages(world).items():
        data = {"level": "unit"}
        for name in fields:
            data |= parts(name, d="1", y="2026")
        if url == "/community-totals/":
            page = _page(coordinator.get(url, data))
        else:
            page = _page(coordinator.post(url, data))
        for name in fields:
            assert f'<a href="#id_{name}_0">The date must include a month</a>' in page, (url, name)
            assert f'id="id_{name}-error"' in page, (url, name)
