"""A tap on the register whose save fails must say so: the page does not change, so without a
message the leader would believe the child was marked."""

import pytest
from django.db import OperationalError
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from minipolice.delivery import services
from minipolice.delivery.models import Attendance
from minipolice.delivery.tests.helpers import grant_participation, session_on

pytestmark = pytest.mark.browser


def _locked(**kwargs):
    raise OperationalError("database is locked")


@pytest.mark.logs_errors  # the failed save is a 503, which Django logs at ERROR
def test_a_mark_that_fails_to_save_shows_an_error_and_a_retry_clears_it(
    page, live_world, monkeypatch
):
    world = live_world
    grant_participation(world.child)
    session = session_on(world.cohort)
    child = world.child
    page.sign_in(world.users["leader"])
    page.visit(f"/sessions/{session.pk}/")
    box = page.driver.find_element("id", "register-error")
    assert not box.is_displayed()

    monkeypatch.setattr(services, "record_attendance", _locked)
    page._find("css selector", f"#mark-{child.pk}-present").click()
    WebDriverWait(page.driver, 10).until(ec.visibility_of(box))

    assert "The mark was not saved. Check your connection and try again." in box.text
    assert box.find_element("css selector", "[role=alert]").is_displayed()
    assert page.driver.switch_to.active_element == box  # focused, as GOV.UK error summaries are
    link = box.find_element("css selector", "a")
    assert link.get_attribute("href").endswith(f"#child-{child.pk}")
    pressed = page.driver.find_element("id", f"mark-{child.pk}-present")
    assert pressed.get_attribute("aria-pressed") == "false"
    assert not Attendance.objects.filter(session=session).exists()
    logs = page.driver.get_log("browser")
    # The refused request is logged by the browser (and by htmx); nothing else went wrong.
    unexpected = [
        entry["message"]
        for entry in logs
        if entry["level"] == "SEVERE"
        and "status of 503" not in entry["message"]
        and "htmx" not in entry["message"].lower()
        and "responseError" not in entry["message"]
    ]
    assert unexpected == []
    assert page.accessibility_violations() == []

    monkeypatch.undo()
    link.click()  # back to the child's row
    page._find("css selector", f"#mark-{child.pk}-present").click()
    WebDriverWait(page.driver, 10).until(
        ec.text_to_be_present_in_element_attribute(
            ("css selector", f"#mark-{child.pk}-present"), "aria-pressed", "true"
        )
    )
    WebDriverWait(page.driver, 10).until(ec.invisibility_of_element(box))
    assert Attendance.objects.get(session=session, child=child).status == "present"
    page.check()
