"""A coordinator plans the celebration day and invites every active unit in one click; a unit
leader fills places (a child without trip consent is shown refused, with the reason) and
checks the children in on a phone-sized screen with one tap each. Every page is checked by axe
and for console errors."""

import datetime

import pytest
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from minipolice.events.models import Event, EventPlace
from minipolice.events.tests.helpers import add_children, trip_consent

pytestmark = pytest.mark.browser
PHONE = (375, 812)


def press(page, text):
    page._follow(page._find("xpath", f"//button[normalize-space()='{text}']"))


def test_coordinator_plans_invites_leader_fills_places_and_checks_in(page, live_world):
    world = live_world
    kids = add_children(world, 2, prefix="Cons")
    refused = add_children(world, 1, prefix="Nocon")[0]

    page.sign_in(world.users["coordinator"])
    page.navigate_to("Events")
    assert page.heading == "Events and reward visits"
    page.click_link("Plan a celebration day")
    today = datetime.date.today()
    page.submit_form(
        title="Celebration day",
        date_0=str(today.day),
        date_1=str(today.month),
        date_2=str(today.year),
        start_time="10:00",
        end_time="15:00",
        venue="Police headquarters",
        capacity="150",
        programme="10:30 Dog display\n13:00 Police horse display",
        guests="Chief Constable: A. Example",
    )
    assert page.heading == "Celebration day"
    assert "Dog display" in page.text
    event = Event.objects.get()
    page.click_link("Invite units")
    press(page, "Invite all 1 active units of the force")
    assert "1 unit invited." in page.text
    assert "Hilltop Mini Police" in page.text

    for kid in kids:
        trip_consent(kid, event)
    trip_consent(world.child, event)
    trip_consent(refused, event, status="refused")

    page.navigate_to("Sign out")
    page.sign_in(world.users["leader"])
    page.navigate_to("Events")
    page.click_link(f"Celebration day, {event.date:%-d %B %Y}: Hilltop Mini Police")
    assert page.heading == "Children from Hilltop Mini Police"
    assert "Cannot have a place: Consent for trip or outing was refused" in page.text
    assert not page.driver.find_element("id", f"child-{refused.pk}").is_enabled()
    for child in [world.child, *kids]:
        page.driver.find_element("css selector", f"label[for='child-{child.pk}']").click()
    press(page, "Accept and save the children")
    assert "3 new place(s)" in page.text
    assert EventPlace.objects.filter(event=event, status="place").count() == 3

    page.driver.set_window_size(*PHONE)
    page.visit(f"/events/{event.pk}/check-in/")
    assert page.heading == "Check-in"
    assert page.driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    ), "the check-in list scrolls sideways on a 375px screen"
    place = EventPlace.objects.get(event=event, child=world.child)
    page._find("css selector", f"#arrived-{place.pk}").click()
    # htmx swaps the child's row in place: it now offers early collection instead.
    WebDriverWait(page.driver, 10).until(
        ec.presence_of_element_located(("css selector", f"#collected-{place.pk}"))
    )
    here = page.driver.find_element("css selector", "#headcount tbody td:nth-child(3)")
    assert here.text == "1"
    page.check()  # axe and the console again, after the tap
    place.refresh_from_db()
    assert place.checked_in_at is not None
    page.driver.set_window_size(1280, 1024)
