"""Changing a parent's email address: only staff who can see every one of their children may
ask, the new address must confirm it from a single-use link before any sign-in link goes
there, and the old address is told. Consents given in the portal record the address."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from minipolice.api.services import create_api_token
from minipolice.api.tests.conftest import ApiClient
from minipolice.consent.models import Consent, EmailConfirmation
from minipolice.consent.tests.conftest import IMMEDIATE_TASKS, link_in
from minipolice.organisations import services as org
from minipolice.people import services as people

NEW = "ann.new@example.com"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


def _sibling(world, *, same_school: bool):
    """Ann Lovelace's second child, in another unit of the same school or in another school."""
    today = timezone.localdate()
    school = world.school
    if not same_school:
        school = org.create_school(
            acting_user=None, area=world.area, name="Riverside Primary", urn="654321"
        )
    unit = org.create_unit(
        acting_user=None,
        school=school,
        name="Second Mini Police",
        status="active",
        status_since=today - datetime.timedelta(days=10),
    )
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Year 6",
        start_date=today - datetime.timedelta(days=5),
        end_date=today + datetime.timedelta(days=100),
    )
    child = people.add_child_to_cohort(
        acting_user=None, cohort=cohort, first_name="Byron", last_name="Lovelace", year_group=6
    )
    people.link_guardian(acting_user=None, child=child, guardian=world.guardian)
    return child


def api_as(user):
    return ApiClient(create_api_token(acting_user=None, user=user, name="test")[1])


def change_email(client, world, email=NEW):
    return client.post(
        f"/guardians/{world.guardian.pk}/edit/",
        {"name": "Ann Lovelace", "email": email, "phone": ""},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/portal/confirm-email/[^/\s]+/)", message.body).group(1)


def ask_for_link(client, email, ip="203.0.113.9"):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": email}, REMOTE_ADDR=ip)
    return [message.to for message in mail.outbox]


# Who may change it ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "same_school"), [("teacher", False), ("leader", True), ("leader", False)]
)
def test_staff_who_cannot_see_a_sibling_cannot_change_the_parents_email(
    world, client_for, persona, same_school
):
    _sibling(world, same_school=same_school)
    mail.outbox.clear()
    response = change_email(client_for(world.users[persona]), world)
    assert response.status_code == 200
    assert "You cannot change this email address" in response.content.decode()
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com" and world.guardian.pending_email == ""
    assert mail.outbox == []
    assert not EmailConfirmation.objects.exists()


def test_staff_who_cannot_see_a_sibling_may_still_correct_the_name_and_phone(world, client_for):
    _sibling(world, same_school=False)
    response = client_for(world.users["teacher"]).post(
        f"/guardians/{world.guardian.pk}/edit/",
        {"name": "Ann King", "email": "ann@example.com", "phone": "07700 900123"},
    )
    assert response.status_code == 302
    world.guardian.refresh_from_db()
    assert (world.guardian.name, world.guardian.phone) == ("Ann King", "07700 900123")


def test_the_coordinator_who_sees_every_child_may_change_it(world, client_for):
    _sibling(world, same_school=False)
    response = change_email(client_for(world.users["coordinator"]), world)
    assert response.status_code == 302
    world.guardian.refresh_from_db()
    assert world.guardian.pending_email == NEW


def test_the_api_refuses_an_email_change_with_a_reason(world):
    _sibling(world, same_school=False)
    response = api_as(world.users["teacher"]).patch(
        f"/guardians/{world.guardian.pk}", {"email": NEW}
    )
    assert response.status_code == 403
    assert "children you cannot see" in response.json()["detail"]
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com" and world.guardian.pending_email == ""
    # A name correction by the same teacher still works.
    ok = api_as(world.users["teacher"]).patch(f"/guardians/{world.guardian.pk}", {"name": "Ann K"})
    assert ok.status_code == 200


def test_through_the_api_a_change_waits_for_confirmation_too(world):
    mail.outbox.clear()
    response = api_as(world.users["teacher"]).patch(
        f"/guardians/{world.guardian.pk}", {"email": NEW}
    )
    assert response.status_code == 200
    assert response.json()["email"] == "ann@example.com"
    assert response.json()["pending_email"] == NEW
    assert {message.to[0] for message in mail.outbox} == {"ann@example.com", NEW}


# Confirmation from the new address -------------------------------------------------------------
def test_a_new_address_gets_no_sign_in_link_until_it_is_confirmed(world, client_for, client):
    mail.outbox.clear()
    change_email(client_for(world.users["teacher"]), world)
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com" and world.guardian.pending_email == NEW
    to_new = [m for m in mail.outbox if m.to == [NEW]]
    to_old = [m for m in mail.outbox if m.to == ["ann@example.com"]]
    assert len(to_new) == 1 and "/portal/confirm-email/" in to_new[0].body
    assert "/portal/sign-in/" not in to_new[0].body
    assert len(to_old) == 1 and "being changed" in to_old[0].subject
    assert "/portal/confirm-email/" not in to_old[0].body
    assert NEW not in to_old[0].body  # the new address is shown only in part

    visitor = Client()
    assert ask_for_link(visitor, NEW) == []
    assert ask_for_link(visitor, "ann@example.com", ip="203.0.113.10") == [["ann@example.com"]]


def test_the_confirmation_link_works_once(world, client_for):
    mail.outbox.clear()
    change_email(client_for(world.users["teacher"]), world)
    link = confirmation_link(next(m for m in mail.outbox if m.to == [NEW]))
    parent = Client()
    page = parent.get(link)
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com"  # opening the link confirms nothing

    done = parent.post(link)
    assert done.status_code == 200 and "Your email address is confirmed" in done.content.decode()
    world.guardian.refresh_from_db()
    assert world.guardian.email == NEW and world.guardian.pending_email == ""
    again = parent.post(link)
    assert "This link has already been used" in again.content.decode()

    # Now links go to the new address, and none to the old one.
    assert ask_for_link(parent, "ann@example.com") == []
    assert ask_for_link(parent, NEW, ip="203.0.113.10") == [[NEW]]


def test_only_a_hash_of_the_confirmation_token_is_stored(world, client_for):
    mail.outbox.clear()
    change_email(client_for(world.users["teacher"]), world)
    raw = confirmation_link(next(m for m in mail.outbox if m.to == [NEW])).split("/")[-2]
    stored = EmailConfirmation.objects.get()
    assert raw not in stored.token_hash and len(stored.token_hash) == 64


def test_a_confirmation_link_expires(world, client_for, client, monkeypatch):
    mail.outbox.clear()
    change_email(client_for(world.users["teacher"]), world)
    link = confirmation_link(next(m for m in mail.outbox if m.to == [NEW]))
    later = timezone.now() + datetime.timedelta(hours=72, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "This link has expired" in client.post(link).content.decode()
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com"


def test_a_second_change_makes_the_first_confirmation_link_useless(world, client_for, client):
    teacher = client_for(world.users["teacher"])
    mail.outbox.clear()
    change_email(teacher, world)
    first = confirmation_link(next(m for m in mail.outbox if m.to == [NEW]))
    change_email(teacher, world, email="ann.third@example.com")
    assert "This link does not work" in client.post(first).content.decode()
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com"
    assert world.guardian.pending_email == "ann.third@example.com"


def test_the_guardian_page_shows_the_change_waiting_for_confirmation(world, client_for):
    teacher = client_for(world.users["teacher"])
    change_email(teacher, world)
    page = teacher.get(f"/guardians/{world.guardian.pk}/").content.decode()
    assert "Waiting for confirmation" in page and NEW in page


def test_staff_changing_an_email_ends_the_portal_session_of_the_old_address(world, client_for):
    """The decision taken before stays: the change ends that parent's portal access."""
    parent = Client()
    parent.post(link_in(_first_link(parent, "ann@example.com")))
    assert "Ada" in parent.get("/portal/").content.decode()
    change_email(client_for(world.users["teacher"]), world)
    assert "Ada" not in parent.get("/portal/").content.decode()


def _first_link(client, email):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": email}, REMOTE_ADDR="203.0.113.20")
    return mail.outbox[-1]


# The address a consent came from -------------------------------------------------------------
def test_a_portal_consent_records_the_verified_address_that_gave_it(world, client_for):
    mail.outbox.clear()
    change_email(client_for(world.users["teacher"]), world)
    parent = Client()
    parent.post(confirmation_link(next(m for m in mail.outbox if m.to == [NEW])))
    parent.post(link_in(_first_link(parent, NEW)))
    parent.post(
        f"/portal/children/{world.child.pk}/",
        {"participation": "yes", "media": "no"},
    )
    consents = Consent.objects.filter(child=world.child)
    assert consents.count() == 2
    assert {consent.given_by_email for consent in consents} == {NEW}

    coordinator = client_for(world.users["coordinator"])
    history = coordinator.get(f"/consent/children/{world.child.pk}/").content.decode()
    assert NEW in history
    export = json.loads(coordinator.get(f"/children/{world.child.pk}/export.json").content)
    rows = export["sections"]["consents"]["data"]
    assert {row["Given from the address"] for row in rows} == {NEW}
