"""A unit leader plans an 8-week cohort, then on a phone (375 px) takes every register, logs a
leaflet drop to 150 homes and sees the totals. Every page (and the first and last registers
after their taps) is checked by axe and for console errors."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db.models import F
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from minipolice.delivery.models import Attendance, Session
from minipolice.delivery.tests.helpers import add_children, grant_participation
from minipolice.organisations import services as org
from minipolice.organisations.models import Cohort

pytestmark = pytest.mark.browser
PHONE = (375, 812)


@pytest.fixture
def national_library(transactional_db):
    """Browser tests flush the database between tests, which removes the national library the
    migration seeded; seed it again the same way."""
    migration = importlib.import_module("minipolice.programme.migrations.0002_national_library")
    migration.seed(apps, None)


def press(page, text):
    """Press a button that loads a new page."""
    page._follow(page._find("xpath", f"//button[normalize-space()='{text}']"))


def choose(page, label_for):
    page.driver.find_element("css selector", f"label[for='{label_for}']").click()


def tap_and_wait(page, child_pk, status):
    """One tap on the register; htmx saves it and swaps the child's row in place."""
    button = page._find("css selector", f"#mark-{child_pk}-{status}")
    button.click()
    WebDriverWait(page.driver, 10).until(
        ec.text_to_be_present_in_element_attribute(
            ("css selector", f"#mark-{child_pk}-{status}"), "aria-pressed", "true"
        )
    )


def test_leader_plans_takes_registers_and_logs_a_leaflet_drop(page, live_world, national_library):
    world = live_world
    # The leader plans on the day the cohort starts.
    today = datetime.date.today()
    org.update_cohort(acting_user=None, cohort=world.cohort, start_date=today)
    grant_participation(world.child)
    kids = [world.child, *add_children(world.cohort, 2)]
    no_consent = add_children(world.cohort, 1, consent=False, first="Nocon")[0]

    page.sign_in(world.users["leader"])
    page.navigate_to("Units")
    page.click_link("Hilltop Mini Police")
    page.click_link("Year 5")
    page.click_link("Sessions and registers")
    page.click_link("Plan sessions from a template")
    assert page.heading == "Plan sessions for Year 5"
    page.submit_form(place="School hall")
    assert page.heading == "Check the dates"
    press(page, "Create 8 sessions")
    assert page.heading == "Sessions"
    assert Session.objects.filter(cohort=world.cohort).count() == 8

    # Ten weeks pass: the cohort and its eight sessions now lie in the past, registers open.
    ten_weeks = datetime.timedelta(weeks=10)
    Cohort.objects.filter(pk=world.cohort.pk).update(start_date=today - ten_weeks)
    Session.objects.filter(cohort=world.cohort).update(date=F("date") - ten_weeks)
    page.driver.refresh()
    page._wait_until_loaded()

    page.driver.set_window_size(*PHONE)
    for number in range(8):
        page.driver.find_elements("css selector", ".mp-session-list__item a")[number].click()
        page._wait_until_loaded()
        page.check()
        assert "Cannot be marked present: No consent recorded for taking part." in page.text
        assert page.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        ), "the register scrolls sideways on a 375px screen"
        for child in kids:
            tap_and_wait(page, child.pk, "present")
        tap_and_wait(page, no_consent.pk, "absent")
        assert "3 present, 1 absent, 0 excused" in page.text
        assert "not yet marked" not in page.text  # the finish button went with the last tap
        if number in (0, 7):
            page.check()  # axe and the console again, after the taps
        page.driver.back()
        page.driver.refresh()
        page._wait_until_loaded()
    assert Attendance.objects.filter(status="present").count() == 24
    assert Attendance.objects.filter(child=no_consent, status="present").count() == 0

    page.navigate_to("Community actions")
    page.driver.find_element("css selector", ".govuk-details__summary").click()
    page.click_link("For Hilltop Mini Police")
    choose(page, "id_kind_0")
    press(page, "Continue")
    assert page.heading == "Record a leaflet drop"
    for child in kids:
        choose(page, f"participant-{child.pk}")
    page.submit_form(place="Stockmoor", homes_reached="150", leaflets_delivered="150")
    assert page.heading.startswith("Leaflet drop")
    assert page.summary_value("Homes reached") == "150"

    page.open_from_manage("Action totals")
    assert page.heading == "Community action totals"
    assert "Hilltop Mini Police" in page.text and "150" in page.text
    page.driver.set_window_size(1280, 1024)
