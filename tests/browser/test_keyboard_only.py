"""The register, the parent's consent form and classroom mode, done with the keyboard alone:
Tab and Shift+Tab to move, Space and the arrow keys to choose, Enter to press. Nothing is
clicked. After every key the focused element must show the focus colour (`page.press` and
`page.tab_to` fail otherwise), and what was chosen must be saved."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from minipolice.consent import enforcement
from minipolice.delivery.models import Attendance
from minipolice.delivery.tests.helpers import add_children, grant_participation, session_on
from minipolice.impact.models import ChildResponse, SurveyRound
from tests.browser.test_classroom_journey import (
    survey_library,  # noqa: F401 (a fixture a test here uses)
    wait_for_upload,
)

pytestmark = pytest.mark.browser
PHONE = (375, 812)


def wait_pressed(page, button_id):
    # htmx swaps the row in, so the button may go stale while it is read.
    WebDriverWait(page.driver, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: driver.find_element("id", button_id).get_attribute("aria-pressed") == "true"
    )


def test_leader_takes_a_register_with_the_keyboard_alone(page, live_world):
    world = live_world
    grant_participation(world.child)
    kids = [world.child, *add_children(world.cohort, 2)]
    session = session_on(world.cohort)
    page.sign_in(world.users["leader"])
    page.driver.set_window_size(*PHONE)
    page.visit(f"/sessions/{session.pk}/")

    marks = {kids[0]: "present", kids[1]: "absent", kids[2]: "present"}
    for child, status in marks.items():
        button = f"mark-{child.pk}-{status}"
        page.tab_to(f"#{button}")
        page.press(Keys.SPACE if status == "present" else Keys.ENTER)
        wait_pressed(page, button)
        # htmx swapped the child's row; the focus stays on the button just pressed.
        assert page.focused.get_attribute("id") == button
        assert page.focus_problem() is None
    page.check()

    # Shift+Tab back up the list: the first child was excused after all.
    page.tab_to(f"#mark-{kids[0].pk}-excused", backwards=True)
    page.press(Keys.ENTER)
    wait_pressed(page, f"mark-{kids[0].pk}-excused")
    saved = dict(Attendance.objects.filter(session=session).values_list("child_id", "status"))
    assert saved == {kids[0].pk: "excused", kids[1].pk: "absent", kids[2].pk: "present"}
    assert "1 present, 1 absent, 1 excused" in page.text
    page.check()
    page.driver.set_window_size(1280, 1024)


def test_parent_answers_the_consent_form_and_a_trip_with_the_keyboard_alone(
    page, live_world, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = live_world
    page.driver.set_window_size(*PHONE)
    page.visit("/portal/link/")
    mail.outbox.clear()
    page.tab_to("input[name=email]")
    page.press(*world.guardian.email)
    page.press_and_follow(Keys.ENTER)  # Enter in the field sends the form
    link = re.search(r"https?://\S+/portal/sign-in/\S+/", mail.outbox[0].body).group(0)
    page.visit(urlsplit(link).path)
    page.tab_to("main button[type=submit]")
    page.press_and_follow(Keys.ENTER)
    assert page.heading == "Your children in Mini Police"

    page.tab_to(f"main a[href$='/portal/children/{world.child.pk}/']")
    page.press_and_follow(Keys.ENTER)
    assert page.heading == "Consent for Ada"
    # Taking part: Tab to the first answer, Space ticks Yes; the arrows move to No and back.
    page.tab_to("#id_participation_0")
    page.press(Keys.SPACE, Keys.ARROW_RIGHT)
    assert page.focused.get_attribute("id") == "id_participation_1"
    page.press(Keys.ARROW_LEFT)
    assert page.driver.find_element("id", "id_participation_0").is_selected()
    # Photos: Yes reveals where they may be used; tick two of the places with Space.
    page.tab_to("#id_media_0")
    page.press(Keys.SPACE)
    page.tab_to("#id_media_uses_0")
    page.press(Keys.SPACE, Keys.TAB, Keys.SPACE)
    page.tab_to("main button[type=submit]")
    page.press_and_follow(Keys.ENTER)
    assert page.path == "/portal/"
    assert "Your answers for Ada are saved" in page.text
    assert enforcement.may_attend(world.child)
    assert enforcement.may_use_media(world.child, "internal")
    assert enforcement.may_use_media(world.child, "school_newsletter")
    assert not enforcement.may_use_media(world.child, "press")
    page.driver.set_window_size(1280, 1024)


def test_leader_runs_classroom_mode_with_the_keyboard_alone(page, live_world, survey_library):  # noqa: F811
    world = live_world
    page.sign_in(world.users["leader"])
    page.visit(f"/cohorts/{world.cohort.pk}/surveys/")
    page.tab_to("main button[type=submit]")
    page.press_and_follow(Keys.ENTER)
    survey_round = SurveyRound.objects.get(cohort=world.cohort, phase="pre")
    assert page.path == f"/surveys/rounds/{survey_round.pk}/classroom/"

    chosen = {}
    questions = page.driver.find_elements("css selector", "[data-question]")
    for number, question in enumerate(questions, start=1):
        key = question.get_attribute("data-question")
        # The first answer with Space, then one step right with the arrow key: the second.
        page.tab_to(f"[data-question='{key}'] input[type=radio]")
        page.press(Keys.SPACE, Keys.ARROW_RIGHT)
        chosen[int(key)] = int(page.focused.get_attribute("value"))
        page.tab_to("[data-next]")
        page.press(Keys.ENTER)
        if number < len(questions):
            assert page.focused.tag_name == "legend"  # the next statement, read out first
    assert page.driver.find_element("css selector", "[data-next-child]").is_displayed()
    wait_for_upload(page, survey_round, 1)
    response = ChildResponse.objects.get(round=survey_round)
    assert dict(response.answers.values_list("question_id", "value")) == chosen
    page.tab_to("[data-start]")
    page.press(Keys.ENTER)
    assert page.focused.tag_name == "legend"
    page.check()
