"""Each required field of the delivery forms says what is missing."""

from minipolice.delivery.tests.helpers import session_on


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


def test_an_empty_school_holiday_says_which_fields_are_missing(world, client_for):
    coordinator = client_for(world.users["coordinator"]).post("/school-holidays/new/", {"name": ""})
    html = coordinator.content.decode()
    assert "Enter the name of the holiday" in html
    assert "Enter the first day of the holiday" in html
    assert "Enter the last day of the holiday" in html

    area_lead = client_for(world.users["area_lead"]).post("/school-holidays/new/", {"name": ""})
    assert "Select the area these dates apply to" in area_lead.content.decode()
