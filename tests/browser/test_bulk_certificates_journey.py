"""A coordinator issues a cohort's completion certificates: the confirm page, the progress bar
(htmx polling while the task worker runs), the combined PDF, and the public verification page
a QR code leads to. Every page is checked by axe and for console errors."""

import pytest
from django.core.management import call_command
from selenium.webdriver.support.ui import WebDriverWait

from minipolice.awards.models import BulkIssue, Certificate
from minipolice.awards.services import qr_url
from minipolice.awards.tests.helpers import add_child, attend, held_sessions

pytestmark = pytest.mark.browser

FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => done({status: r.status, type: r.headers.get('Content-Type'),
  start: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))}))
  .catch((e) => done({error: String(e)}));
"""


def test_coordinator_bulk_issues_with_a_progress_bar_downloads_and_a_code_verifies(
    page, live_world, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = live_world
    sessions = held_sessions(world.cohort, 4)
    attend(sessions, world.child, 4)
    attend(sessions, add_child(world.cohort, "Bea"), 3)
    attend(sessions, add_child(world.cohort, "Cy"), 1)

    page.sign_in(world.users["coordinator"])
    page.visit(f"/cohorts/{world.cohort.pk}/awards/")
    assert page.heading == "Awards and certificates"
    assert "2 of 3 children have reached it" in page.text
    page.click_link("Issue completion certificates")
    assert page.heading == "Issue completion certificates"
    page._follow(page._find("xpath", "//button[normalize-space()='Issue certificates']"))

    job = BulkIssue.objects.get()
    assert page.path == f"/awards/issues/{job.pk}/"
    assert page.heading == "Issuing certificates"
    bar = page._find("css selector", "progress#bulk-issue-bar")
    assert bar.get_attribute("value") == "0"

    # The worker picks the job up; htmx polls and swaps the fragment without a reload.
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    WebDriverWait(page.driver, 15).until(
        lambda driver: "Certificates issued" in driver.find_element("css selector", "h1").text
    )
    assert page.path == f"/awards/issues/{job.pk}/"
    page.check()  # the swapped page passes axe too
    assert "2 new, 2 in all" in page.text
    link = page._find("partial link text", "Download all 2 certificates")
    pdf = page.driver.execute_async_script(FETCH, link.get_attribute("href"))
    assert pdf == {"status": 200, "type": "application/pdf", "start": "%PDF-"}

    # Anyone who scans a certificate's QR code sees the short public page.
    certificate = Certificate.objects.get(award__child=world.child)
    page.driver.delete_all_cookies()
    page.visit(qr_url("", certificate.code))
    assert page.path == f"/verify/{certificate.code}/"
    assert page.heading == "This certificate is genuine"
    assert page.summary_value("Awarded to") == "Ada L."
    assert page.summary_value("Unit") == "Hilltop Mini Police"
    assert "Lovelace" not in page.text
    page.visit("/verify/ZZZZZZZZ/", status=404)
    assert page.heading == "We have no certificate with this code"
