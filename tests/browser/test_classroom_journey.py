"""A leader runs a pre round in classroom mode: children answer by tapping faces on a phone
and on a tablet, one child answers while the Wi-Fi is gone and is counted once it returns,
and the leader leaves classroom mode with their password. axe checks every page, the
classroom page after the taps too."""

import importlib

import pytest
from django.apps import apps
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD
from minipolice.impact.models import ChildResponse, RoundStatus, SurveyRound

pytestmark = pytest.mark.browser
PHONE = (375, 812)
TABLET = (1024, 768)


@pytest.fixture
def survey_library(transactional_db):
    """Browser tests flush the database between tests, which removes what the migrations
    seeded (the curriculum's national library, then the questionnaires, whose knowledge
    questions point at its modules); seed them again the same way."""
    if not apps.get_model("programme", "ProgrammeTemplate").objects.filter(force=None).exists():
        importlib.import_module("minipolice.programme.migrations.0002_national_library").seed(
            apps, None
        )
    if not apps.get_model("impact", "InstrumentVersion").objects.exists():
        importlib.import_module("minipolice.impact.migrations.0002_national_library").seed(
            apps, None
        )


def press(page, text):
    page._follow(page._find("xpath", f"//button[starts-with(normalize-space(), '{text}')]"))


def visible_question(page):
    return page.driver.execute_script(
        "return [...document.querySelectorAll('[data-question]')].find((f) => !f.hidden)"
    )


def progress(page) -> str:
    return page.driver.execute_script(
        "return document.querySelector('[data-progress-text]').textContent"
    )


def answer_as_one_child(page, face=4):
    """Tap a face (or the first answer) for every statement, then wait for the thank-you."""
    total = len(page.driver.find_elements("css selector", "[data-question]"))
    for number in range(1, total + 1):
        assert progress(page) == f"Question {number} of {total}"
        fieldset = visible_question(page)
        labels = fieldset.find_elements("css selector", ".mp-answer__label")
        target = labels[face - 1] if len(labels) == 5 else labels[0]
        size = page.driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", target
        )
        assert size[0] >= 64 and size[1] >= 64, f"an answer is only {size} px"
        target.click()
        if number < total:
            WebDriverWait(page.driver, 5).until(
                lambda driver, n=number: progress(page) == f"Question {n + 1} of {total}"
            )
    WebDriverWait(page.driver, 5).until(
        lambda driver: driver.find_element("css selector", "[data-next-child]").is_displayed()
    )
    assert "Pass the tablet to the next person" in page.text


def waiting_text(page) -> str:
    return page.driver.execute_script(
        "return document.querySelector('[data-queue-status]').textContent"
    )


def wait_for_upload(page, survey_round, count, timeout=20):
    WebDriverWait(page.driver, timeout).until(
        lambda driver: (
            ChildResponse.objects.filter(round=survey_round).count() >= count
            and waiting_text(page) == ""
        )
    )
    assert ChildResponse.objects.filter(round=survey_round).count() == count


def test_leader_runs_a_pre_round_in_classroom_mode(page, live_world, survey_library):
    world = live_world
    page.sign_in(world.users["leader"])
    page.visit(f"/cohorts/{world.cohort.pk}/")
    page.click_link("Surveys: before and after")
    assert page.heading == "Children’s surveys"
    press(page, "Start classroom mode")
    survey_round = SurveyRound.objects.get(cohort=world.cohort, phase="pre")
    assert page.path == f"/surveys/rounds/{survey_round.pk}/classroom/"
    assert page.heading == "Tap a face"
    assert not page.driver.find_elements("css selector", ".govuk-header")

    # Read aloud speaks the statement in a British voice.
    page.driver.execute_script(
        "window.spoken = [];"
        "window.speechSynthesis.speak = (u) => window.spoken.push([u.lang, u.text]);"
    )
    visible_question(page).find_element("css selector", "[data-read-aloud]").click()
    lang, text = page.driver.execute_script("return window.spoken[0]")
    assert lang == "en-GB"
    assert "Yes, a lot" in text

    # The first child on a phone, the second on a tablet.
    page.driver.set_window_size(*PHONE)
    answer_as_one_child(page, face=5)
    wait_for_upload(page, survey_round, 1)
    page.driver.find_element("css selector", "[data-start]").click()
    page.driver.set_window_size(*TABLET)
    assert progress(page).startswith("Question 1 of")
    page.check()
    answer_as_one_child(page, face=2)
    wait_for_upload(page, survey_round, 2)

    # The Wi-Fi goes: the third child's answers wait in the tablet, then upload once.
    page.driver.find_element("css selector", "[data-start]").click()
    page.driver.execute_cdp_cmd("Network.enable", {})
    page.driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    answer_as_one_child(page, face=3)
    WebDriverWait(page.driver, 5).until(
        lambda driver: waiting_text(page) == "1 answer waiting to upload"
    )
    assert ChildResponse.objects.filter(round=survey_round).count() == 2
    page.driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    wait_for_upload(page, survey_round, 3)
    # The failed uploads were logged while offline, as they should be; nothing else.
    offline_errors = [e for e in page.driver.get_log("browser") if e["level"] == "SEVERE"]
    assert all("ERR_INTERNET_DISCONNECTED" in e["message"] for e in offline_errors)
    page.driver.find_element("css selector", "[data-start]").click()
    page.check()  # axe on the classroom page after all the taps

    # Any other address leads to the leave page; the password finishes the round.
    page.visit(f"/cohorts/{world.cohort.pk}/")
    assert page.path == f"/surveys/rounds/{survey_round.pk}/classroom/leave/"
    assert page.heading == "Leave classroom mode"
    page.driver.find_element("name", "password").send_keys("not my password")
    press(page, "Finish the round and leave")
    assert "The password is not right" in page.text
    page.driver.find_element("name", "password").send_keys(PASSWORD)
    press(page, "Finish the round and leave")
    assert page.path == f"/cohorts/{world.cohort.pk}/surveys/"
    assert "You have left classroom mode" in page.text
    assert "3 on the tablet, 0 on paper" in page.text
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.CLOSED

    # The "after" round on paper: too many answers for the children is an error, then saved.
    press(page, "Enter paper tallies")
    post = SurveyRound.objects.get(cohort=world.cohort, phase="post")
    assert page.path == f"/surveys/rounds/{post.pk}/paper/"
    trust = post.version.questions.get(key="trust_police")
    page.submit_form(children="1", **{f"q{trust.pk}_5": "2"})
    assert "There is a problem" in page.text
    assert "has 2 answers but only 1 child answered on paper" in page.text
    page.submit_form(children="2")
    assert page.path == f"/cohorts/{world.cohort.pk}/surveys/"
    assert "0 on the tablet, 2 on paper" in page.text
    page.driver.set_window_size(1280, 1024)
