"""What the surveys issue calls done, in a real browser: the class took the "before" round, a
leader runs the "after" round in classroom mode on a tablet, the teacher gives feedback, a
parent answers in the portal from an emailed link, and the coordinator reads the cohort's
results: the distributions, the change with n, the benchmark and the quotes, with no child's
name. axe checks every page on the way (the `page` helper does, on each load)."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.core import mail
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD
from minipolice.impact import services
from minipolice.impact.models import ChildResponse, Feedback, SurveyRound
from minipolice.organisations import services as org
from minipolice.programme.models import ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE
from tests.browser.test_classroom_journey import (
    TABLET,
    answer_as_one_child,
    press,
    survey_library,  # noqa: F401 (a fixture this test uses)
    wait_for_upload,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("survey_library")]
PHONE = (375, 812)


def choose(page, question: str, answer: str) -> None:
    """Tick the answer of a question by clicking its label, as a thumb would."""
    label = page.driver.find_element(
        "xpath",
        f"//fieldset[.//legend[contains(normalize-space(), {question!r})]]"
        f"//label[normalize-space()={answer!r}]",
    )
    label.click()


def test_before_and_after_with_feedback_from_teacher_and_parent(page, live_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = live_world
    standard = ProgrammeTemplate.objects.get(force=None, name=DEFAULT_TEMPLATE)
    org.update_cohort(acting_user=None, cohort=world.cohort, programme_template=standard)
    # The "before" round was taken at the start (the classroom journey shows how): six children.
    before = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    trust = before.version.questions.get(key="trust_police")
    pcso = before.version.questions.get(key="know_pcso")
    for face in (2, 3, 3, 4, 4, 5):
        services.record_child_response(
            survey_round=before,
            client_key=uuid.uuid4(),
            answers={trust.pk: face, pcso.pk: 1 if face < 4 else 3},
        )
    services.close_round(acting_user=None, survey_round=before)

    # The leader runs the "after" round on the class tablet: five children.
    page.sign_in(world.users["leader"])
    page.visit(f"/cohorts/{world.cohort.pk}/surveys/")
    press(page, "Start classroom mode")
    after = SurveyRound.objects.get(cohort=world.cohort, phase="post")
    page.driver.set_window_size(*TABLET)
    for number, face in enumerate((5, 4, 5, 4, 3), start=1):
        answer_as_one_child(page, face=face)
        wait_for_upload(page, after, number)
        page.driver.find_element("css selector", "[data-start]").click()
    page.check()
    page.visit(f"/cohorts/{world.cohort.pk}/")
    assert page.heading == "Leave classroom mode"
    page.driver.find_element("name", "password").send_keys(PASSWORD)
    press(page, "Finish the round and leave")
    assert "5 on the tablet, 0 on paper" in page.text
    page.driver.set_window_size(1280, 1024)
    page.driver.delete_all_cookies()  # the next person signs in on their own device

    # The teacher gives feedback: it opened when the "after" round started.
    page.sign_in(world.users["teacher"])
    page.visit(f"/cohorts/{world.cohort.pk}/")
    page.click_link("Give your feedback on the programme")
    choose(page, "behaviour has improved", "Agree")
    choose(page, "grown in confidence", "Strongly agree")
    page.driver.find_element("xpath", "//textarea[1]").send_keys(
        "Ada Lovelace led the leaflet drop and the class followed her."
    )
    page.driver.find_element("name", "may_quote").click()
    press(page, "Send your feedback")
    assert "You gave feedback on" in page.text
    page.driver.delete_all_cookies()  # the next person signs in on their own device

    # A parent on a phone opens an emailed sign-in link and answers in the portal.
    page.driver.set_window_size(*PHONE)
    page.visit("/portal/link/")
    mail.outbox.clear()
    page.submit_form(email=world.guardian.email)
    link = re.search(r"https?://\S+/portal/sign-in/\S+/", mail.outbox[0].body).group(0)
    page.visit(urlsplit(link).path)
    press(page, "Continue")
    page.visit("/portal/feedback/")
    page.click_link(f"{world.unit.name} ({world.school.name})")
    choose(page, "talked about Mini Police at home", "Often")
    choose(page, "more confident", "Agree")
    page.driver.find_element("xpath", "//textarea[1]").send_keys(
        "She tells us about her PCSO every week."
    )
    page.driver.find_element("name", "may_quote").click()
    press(page, "Send your feedback")
    assert "You gave feedback on" in page.text
    assert Feedback.objects.filter(cohort=world.cohort).count() == 2
    page.driver.set_window_size(1280, 1024)
    page.driver.delete_all_cookies()  # the next person signs in on their own device

    # The coordinator reads what changed, at desk width and on a phone.
    page.sign_in(world.users["coordinator"])
    page.visit(f"/cohorts/{world.cohort.pk}/")
    page.click_link("Survey results: what changed")
    text = page.text
    assert "I trust the police." in text
    assert "50% → 80% (+30 points), n = 6 before, 5 after" in text
    assert "National benchmark: 75% of 10-year-olds" in text
    assert "Crime Survey for England and Wales, 2012/13" in text
    assert "[name removed] led the leaflet drop" in text
    assert "She tells us about her PCSO every week." in text
    assert "Lovelace" not in text and "Ada" not in text
    page.driver.set_window_size(*PHONE)
    page.visit(f"/cohorts/{world.cohort.pk}/results/")
    WebDriverWait(page.driver, 5).until(lambda driver: "What changed" in page.text)
    assert ChildResponse.objects.filter(round__cohort=world.cohort).count() == 11
