"""A parent on a phone opens the emailed link, answers every consent for two children and says
whether one may go on the celebration-day trip. (Their feedback on the programme is in the
survey journey.)"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from minipolice.consent import enforcement
from minipolice.events.tests.helpers import invite, make_event
from minipolice.people import services as people

pytestmark = pytest.mark.browser

PHONE = (375, 812)


def choose(page, field_id: str) -> None:
    """Tick a radio button or checkbox by clicking its label, as a thumb would."""
    page.driver.find_element("css selector", f"label[for='{field_id}']").click()


def press(page, text: str) -> None:
    """Press the button (or button-like link) in the page's main content, and check the page
    it loads."""
    button = page.driver.find_element(
        "xpath",
        f"//main//button[normalize-space()='{text}'] | //main//a[normalize-space()='{text}']",
    )
    page._follow(button)


def test_parent_answers_consents_for_two_children_from_one_email_link(page, live_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = live_world
    byron = people.add_child_to_cohort(
        acting_user=None,
        cohort=world.cohort,
        first_name="Byron",
        last_name="Lovelace",
        year_group=6,
    )
    people.link_guardian(acting_user=None, child=byron, guardian=world.guardian)
    event = make_event(world)
    invite(world, event)
    page.driver.set_window_size(*PHONE)

    # The parent asks for a link (as they would after a link expired) and opens the email.
    page.visit("/portal/link/")
    mail.outbox.clear()
    page.submit_form(email=world.guardian.email)
    assert page.heading == "Check your email"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/portal/sign-in/\S+/", mail.outbox[0].body).group(0)
    page.visit(urlsplit(link).path)
    assert page.heading == "Sign in to the parent portal"
    press(page, "Continue")
    assert page.path == "/portal/"
    assert page.heading == "Your children in Mini Police"

    for child, media_uses in (
        (world.child, ["internal", "school_newsletter"]),
        (byron, ["internal"]),
    ):
        press(page, f"Answer questions for {child.first_name}")
        assert page.heading == f"Consent for {child.first_name}"
        choose(page, "id_participation_0")  # Yes
        choose(page, "id_media_0")  # Yes: reveals the uses
        for use in media_uses:
            index = ["internal", "school_newsletter", "force_website", "press"].index(use)
            choose(page, f"id_media_uses_{index}")
        page.check()  # the revealed checkboxes pass axe too
        press(page, "Save answers")
        assert page.path == "/portal/"
        assert f"Your answers for {child.first_name} are saved" in page.text

    assert "Answer questions for" not in page.text
    assert page.text.count("Granted") == 4
    assert enforcement.may_attend(world.child) and enforcement.may_attend(byron)
    assert enforcement.may_use_media(world.child, "school_newsletter")
    assert not enforcement.may_use_media(byron, "school_newsletter")

    # The unit is invited to the celebration day: Ada may go, Byron may not.
    page.navigate_to("Events and trips")
    page.click_link("Celebration day")
    assert page.heading == "Celebration day"
    for child, answer in ((world.child, "yes"), (byron, "no")):
        choose(page, f"answer-{child.pk}-{answer}")
        press(page, f"Save the answer for {child.first_name}")
    assert "Thank you: Byron will not go." in page.text
    assert enforcement.may_go_on_trip(world.child, event.trip_reference).allowed
    assert not enforcement.may_go_on_trip(byron, event.trip_reference).allowed
    page.navigate_to("Your children")

    # Only portal pages: the menu is the portal's (behind the Menu button on a phone), and its
    # Sign out ends the portal session on a portal page, never the staff sign-in.
    assert "Manage" not in page.text and "authenticator" not in page.text
    page.driver.find_element("css selector", ".govuk-service-navigation__toggle").click()
    page.navigate_to("Sign out")
    assert page.path == "/portal/signed-out/"
    assert page.heading == "You have signed out"
    assert "authenticator" not in page.text and "Sign in" not in page.text
    assert page.driver.find_elements("css selector", ".govuk-service-navigation") == []
    page.click_link("ask for a new link")
    assert page.heading == "Get a link to the parent portal"

    # Used once, the link explains what to do next.
    page.visit(urlsplit(link).path)
    assert page.heading == "This link has already been used"
    assert page.visited == [
        "/portal/link/",
        "/portal/link/sent/",
        page.visited[2],
        "/portal/",
        f"/portal/children/{world.child.pk}/",
        f"/portal/children/{world.child.pk}/",
        "/portal/",
        f"/portal/children/{byron.pk}/",
        f"/portal/children/{byron.pk}/",
        "/portal/",
        "/portal/events/",
        f"/portal/events/{event.pk}/",
        f"/portal/events/{event.pk}/",
        f"/portal/events/{event.pk}/",
        "/portal/",
        "/portal/signed-out/",
        "/portal/link/",
        page.visited[2],
    ]


def test_coordinator_asks_the_cohort_for_consent_and_reviews_data_protection(
    page, live_world, settings
):
    """The staff side of the same pages, each checked by axe: the consent board and its one
    action, the child's consent section and paper form, the outbox and data protection."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = live_world
    page.sign_in(world.users["coordinator"])
    page.visit(f"/cohorts/{world.cohort.pk}/")
    page.click_link("Consent: who is missing what")
    assert page.heading == "Consent"
    mail.outbox.clear()
    press(page, "Email the 1 parent and carer who have not answered")
    assert page.heading == "Email 1 parent and carer?"  # nothing sent before saying yes
    assert "Ann Lovelace" in page.text and mail.outbox == []
    press(page, "Yes, send 1 email")
    assert "1 email asking for consent will be sent now" in page.text
    assert [message.to for message in mail.outbox] == [[world.guardian.email]]

    page.click_link("Ada Lovelace")
    assert page.heading == "Consent"
    press(page, "Record consent (paper form)")
    choose(page, "id_kind_1")  # photos and stories: reveals the uses
    choose(page, "id_media_uses_0")
    choose(page, "id_kind_0")  # taking part: the uses are hidden again, and ignored
    choose(page, "id_status_0")  # granted
    press(page, "Record consent")
    assert f"Consent recorded for {world.child.full_name}" in page.text
    assert enforcement.may_attend(world.child)

    page.visit(f"/children/{world.child.pk}/")
    assert "Download everything held about Ada (PDF)" in page.text
    page.click_link("Erase Ada's personal data")
    assert page.heading == "Erase Ada Lovelace's personal data"
    page.visit(f"/consent/cohorts/{world.cohort.pk}/media-export/")
    page.open_from_manage("Emails to parents")
    assert page.heading == "Emails to parents and carers"
    assert world.guardian.email in page.text
    page.open_from_manage("Data protection")
    assert page.heading == "Keeping personal data only as long as needed"
