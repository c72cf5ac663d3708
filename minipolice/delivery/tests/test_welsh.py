"""The delivery pages in Welsh: a browser asking for Welsh gets Welsh, with no English left."""

from minipolice.delivery.tests.helpers import add_children, session_on

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def test_register_is_shown_in_welsh_with_no_english_sentence_left(world, client_for):
    session = session_on(world.cohort)
    add_children(world.cohort, 2)
    client = client_for(world.users["leader"])

    page = client.get(f"/sessions/{session.pk}/", **WELSH).content.decode()

    assert 'lang="cy"' in page
    for welsh in ["Cofrestr", "Presennol", "Absennol", "Wedi’i esgusodi", "Heb ei farcio", "Pryd"]:
        assert welsh in page, welsh
    for english in ["Leaders present", "Not marked", ">Present<", "Move or change the session"]:
        assert english not in page, english
    assert 'id="mark-' in page and "mp-mark-button" in page  # the markup is the same


def test_a_tap_on_the_register_answers_in_welsh(world, client_for):
    session = session_on(world.cohort)
    [child] = add_children(world.cohort, 1)
    client = client_for(world.users["leader"])

    response = client.post(
        f"/sessions/{session.pk}/register/{child.pk}/",
        {"status": "absent"},
        HTTP_HX_REQUEST="true",
        **WELSH,
    )

    page = response.content.decode()
    assert "absennol" in page and "1 yn absennol" in page
    assert "absent," not in page


def test_sessions_timeline_and_holidays_pages_are_in_welsh(world, client_for):
    session_on(world.cohort)
    leader = client_for(world.users["leader"])
    coordinator = client_for(world.users["coordinator"])

    assert "Fy sesiynau" in leader.get("/my-sessions/", **WELSH).content.decode()
    timeline = leader.get(f"/units/{world.unit.pk}/timeline/", **WELSH).content.decode()
    assert "Llinell amser" in timeline and "Gweithredoedd cymunedol" in timeline
    cohort = coordinator.get(f"/cohorts/{world.cohort.pk}/sessions/", **WELSH).content.decode()
    assert "Cynllunio sesiynau o dempled" in cohort
    holidays = coordinator.get("/school-holidays/", **WELSH).content.decode()
    assert "Gwyliau ysgol" in holidays and "School holidays" not in holidays


def test_english_stays_the_default(world, client_for):
    session = session_on(world.cohort)
    page = client_for(world.users["leader"]).get(f"/sessions/{session.pk}/").content.decode()
    assert "Leaders present" in page and "Cofrestr" not in page


def test_calendar_feed_titles_follow_the_language_and_stay_valid(world, client):
    from minipolice.delivery import services
    from minipolice.delivery.models import calendar_feed_path

    session_on(world.cohort)
    _feed, raw = services.renew_calendar_feed(acting_user=world.users["leader"], unit=world.unit)

    body = client.get(calendar_feed_path(raw), **WELSH).content.decode()

    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "X-WR-CALNAME:Heddlu Bach: " in body and "SUMMARY:Heddlu Bach: Sesiwn" in body
