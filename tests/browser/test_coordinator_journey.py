"""A force coordinator sets up a new unit from nothing: signs in with their authenticator app,
adds an area, a school in it, a unit at the school and its first cohort, imports the class
list from a spreadsheet (preview, then the import), and plans the cohort's 8 weekly sessions.
Every page is checked by axe at 1280 and 375 px and for reflow (the `page` helper does)."""

import datetime

import pytest
from selenium.webdriver.support.ui import Select

from minipolice.delivery.models import Session
from minipolice.organisations.models import Area, Cohort, School, Unit
from minipolice.people.models import Child, Guardian
from tests.browser.test_leader_delivery_journey import national_library  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("national_library")]

CLASS_LIST = """First name,Last name,Year group,Guardian name,Guardian email,Guardian phone
Grace,Hopper,Year 5,Mary Hopper,mary.hopper@example.com,
Alan,Turing,5,Ethel Turing,,07700 900123
Katherine,Johnson,Y5,Joylette Coleman,joylette@example.com,07700 900456
"""


def press(page, text):
    page._follow(page._find("xpath", f"//main//button[normalize-space()='{text}']"))


def choose(page, name, text):
    Select(page._find("name", name)).select_by_visible_text(text)


def test_coordinator_sets_up_an_area_school_unit_and_cohort_imports_and_plans(
    page, live_world, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page.sign_in(live_world.users["coordinator"])
    assert page.path == "/"
    assert page.heading == "Hello, Cora Coordinator"

    page.open_from_manage("Areas")
    assert page.heading == "Areas"
    page.click_link("Add an area")
    page.submit_form(name="Riverside")
    area = Area.objects.get(name="Riverside")
    assert area.force == live_world.force
    assert page.heading == "Riverside"

    page.open_from_manage("Schools")
    page.click_link("Add a school")
    choose(page, "area", "Riverside")
    page.submit_form(name="Riverside Primary", town="Bristol", postcode="bs42rx")
    school = School.objects.get(name="Riverside Primary")
    assert (school.area, school.postcode) == (area, "BS4 2RX")
    assert page.heading == "Riverside Primary"

    page.click_link("Add a unit")
    page.submit_form(name="Riverside Mini Police", funding_source="Police and Crime Commissioner")
    unit = Unit.objects.get(name="Riverside Mini Police")
    assert unit.school == school
    assert page.heading == "Riverside Mini Police"

    start = datetime.date.today() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(weeks=12)
    page.click_link("Add a cohort")
    page.submit_form(
        name="Year 5 autumn",
        start_date_0=str(start.day),
        start_date_1=str(start.month),
        start_date_2=str(start.year),
        end_date_0=str(end.day),
        end_date_1=str(end.month),
        end_date_2=str(end.year),
    )
    cohort = Cohort.objects.get(unit=unit)
    assert page.heading == "Year 5 autumn"

    # The class list, from the school's spreadsheet: checked and previewed, then imported.
    page.click_link("Import a class list")
    assert page.heading == "Import a class list"
    upload = tmp_path / "year5.csv"
    upload.write_text(CLASS_LIST, encoding="utf-8")
    page._find("name", "file").send_keys(str(upload))
    press(page, "Upload and check")
    assert page.heading == "Check the class list before you import it"
    assert "Grace Hopper" in page.text
    press(page, "Confirm import")
    assert page.heading == "Class list imported"
    imported = Child.objects.filter(enrolments__cohort=cohort)
    assert sorted(imported.values_list("first_name", flat=True)) == [
        "Alan",
        "Grace",
        "Katherine",
    ]
    assert Guardian.objects.filter(name="Ethel Turing", phone__contains="900123").exists()

    # Eight weekly sessions from the national programme template.
    page.visit(f"/cohorts/{cohort.pk}/")
    page.click_link("Sessions and registers")
    page.click_link("Plan sessions from a template")
    assert page.heading == "Plan sessions for Year 5 autumn"
    page.submit_form(place="Riverside Primary hall")
    assert page.heading == "Check the dates"
    press(page, "Create 8 sessions")
    assert page.heading == "Sessions"
    sessions = Session.objects.filter(cohort=cohort).order_by("date")
    assert sessions.count() == 8
    assert sessions[0].date >= start
    assert (sessions[7].date - sessions[0].date).days >= 7 * 7
