"""At the celebration day: the coordinator opens the event, issues the completion certificates
of the children checked in there, watches the progress bar (htmx polling while the task
worker runs), downloads the combined PDF, and one code answers on the public verification
page. Every page is checked by axe and for console errors."""

import pytest
from django.core.management import call_command
from selenium.webdriver.support.ui import WebDriverWait

from minipolice.awards.models import BulkIssue, Certificate
from minipolice.awards.services import qr_url
from minipolice.awards.tests.helpers import add_child, attend, held_sessions
from minipolice.events import services as events
from minipolice.events.models import EventPlace
from minipolice.events.tests.helpers import invite, make_event, trip_consent

pytestmark = pytest.mark.browser

FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => done({status: r.status, type: r.headers.get('Content-Type'),
  start: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))}))
  .catch((e) => done({error: String(e)}));
"""


def test_coordinator_issues_the_certificates_of_the_celebration_day(page, live_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = live_world
    sessions = held_sessions(world.cohort, 4)
    bea, cy = add_child(world.cohort, "Bea"), add_child(world.cohort, "Cy")
    attend(sessions, world.child, 4)
    attend(sessions, bea, 3)
    attend(sessions, cy, 1)  # checked in, but below the threshold
    event = make_event(world, days=0)
    invitation = invite(world, event)
    for kid in (world.child, bea, cy):
        trip_consent(kid, event)
    events.choose_children(
        acting_user=None,
        invitation=invitation,
        children=[world.child, bea, cy],
        editable_ids=[world.child.pk, bea.pk, cy.pk],
    )
    for place in EventPlace.objects.filter(event=event):
        events.record_checkin(acting_user=None, place=place, action="arrived")

    page.sign_in(world.users["coordinator"])
    page.visit(f"/events/{event.pk}/")
    assert page.heading == "Celebration day"
    assert "3 children checked in" in page.text
    page.click_link("Issue completion certificates")
    assert page.heading == "Issue completion certificates"
    assert "2 children checked in at the event reached 75% attendance" in page.text
    page._follow(page._find("xpath", "//button[normalize-space()='Issue certificates']"))

    job = BulkIssue.objects.get()
    assert job.event_id == event.pk
    assert page.path == f"/awards/issues/{job.pk}/"
    assert page.heading == "Issuing certificates"
    assert page._find("css selector", "progress#bulk-issue-bar").get_attribute("value") == "0"

    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    WebDriverWait(page.driver, 15).until(
        lambda driver: "Certificates issued" in driver.find_element("css selector", "h1").text
    )
    page.check()
    assert "2 new, 2 in all" in page.text
    link = page._find("partial link text", "Download all 2 certificates")
    pdf = page.driver.execute_async_script(FETCH, link.get_attribute("href"))
    assert pdf == {"status": 200, "type": "application/pdf", "start": "%PDF-"}

    certificate = Certificate.objects.get(award__child=bea)
    page.driver.delete_all_cookies()
    page.visit(qr_url("", certificate.code))
    assert page.path == f"/verify/{certificate.code}/"
    assert page.heading == "This certificate is genuine"
    assert page.summary_value("Awarded to") == "Bea T."
