"""The parent portal: single-use emailed links, answering consents, contact details, and a
session that reaches only the parent's own children."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.audit.models import AuditEntry
from minipolice.consent import enforcement
from minipolice.consent.models import Consent, EmailDelivery, PortalLinkRequest, PortalToken
from minipolice.consent.portal import PORTAL_SESSION_KEY
from minipolice.consent.services import record_consent
from minipolice.consent.tests.conftest import link_in
from minipolice.people import services as people


def ask_for_link(client, email, ip="203.0.113.9"):
    return client.post("/portal/link/", {"email": email}, REMOTE_ADDR=ip)


def emailed_link(client, world):
    mail.outbox.clear()
    ask_for_link(client, world.guardian.email)
    return link_in(mail.outbox[-1])


# Links -----------------------------------------------------------------------------------------
def test_a_parent_answers_both_children_from_one_link(world, second_child, client):
    link = emailed_link(client, world)
    assert "Ada and Byron" in mail.outbox[-1].body
    assert client.post(link)["Location"] == "/portal/"
    home = client.get("/portal/").content.decode()
    assert "Ada Lovelace" in home and "Byron Lovelace" in home
    for child in (world.child, second_child):
        response = client.post(
            f"/portal/children/{child.pk}/",
            {"participation": "yes", "media": "yes", "media_uses": ["internal", "press"]},
        )
        assert response["Location"] == "/portal/"
    for child in (world.child, second_child):
        assert enforcement.may_attend(child)
        assert enforcement.may_use_media(child, "press")
        assert not enforcement.may_use_media(child, "force_website")
    consents = Consent.objects.filter(method="portal", given_by=world.guardian)
    assert consents.count() == 4
    assert AuditEntry.objects.filter(object_type="consent").count() == 4


def test_opening_the_link_does_not_use_it_up(world, client):
    """Mail scanners open links; only the button press signs in."""
    link = emailed_link(client, world)
    page = client.get(link)
    assert "Continue" in page.content.decode()
    assert PortalToken.objects.get().used_at is None
    assert client.get("/portal/").status_code == 302


def test_a_link_works_once(world, client):
    link = emailed_link(client, world)
    client.post(link)
    client.post("/portal/sign-out/")
    again = client.post(link)
    assert again.status_code == 200
    assert "This link has already been used" in again.content.decode()
    assert "Get a new link" in again.content.decode()
    assert client.get("/portal/").status_code == 302


def test_an_expired_link_says_what_to_do_next(world, client, monkeypatch):
    link = emailed_link(client, world)
    later = timezone.now() + datetime.timedelta(hours=72, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(link)
    assert "This link has expired" in page.content.decode()
    assert client.post(link).status_code == 200
    assert client.get("/portal/").status_code == 302


def test_a_link_still_works_just_before_72_hours(world, client, monkeypatch):
    link = emailed_link(client, world)
    later = timezone.now() + datetime.timedelta(hours=71, minutes=59)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.post(link)["Location"] == "/portal/"


def test_a_made_up_link_does_not_work(client, world):
    page = client.get("/portal/sign-in/not-a-real-token/")
    assert "This link does not work" in page.content.decode()


def test_only_a_hash_of_the_token_is_stored(world, client):
    link = emailed_link(client, world)
    raw = link.split("/")[-2]
    token = PortalToken.objects.get()
    assert raw not in token.token_hash and len(token.token_hash) == 64
    delivery = EmailDelivery.objects.get()
    stored = " ".join(str(value) for value in delivery.__dict__.values())
    assert raw not in stored


def test_asking_for_a_link_never_reveals_whether_the_address_is_known(world, client):
    mail.outbox.clear()
    known = ask_for_link(client, world.guardian.email, ip="203.0.113.1")
    unknown = ask_for_link(client, "nobody@example.com", ip="203.0.113.2")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/portal/link/sent/"
    assert [message.to for message in mail.outbox] == [[world.guardian.email]]
    page = client.get("/portal/link/sent/").content.decode()
    assert "If the address you gave belongs to a parent or carer" in page


def test_one_address_gets_one_link_per_cool_down_however_often_it_is_asked(world, client):
    """Per address only links sent count, so requests by others never lock the parent out
    (test_portal_link_cooldown.py); the address's letter case does not matter."""
    mail.outbox.clear()
    for i in range(6):
        email = world.guardian.email.upper() if i % 2 else world.guardian.email
        assert ask_for_link(client, email, ip=f"198.51.100.{i}").status_code == 302
    assert len(mail.outbox) == 1


def test_links_are_rate_limited_per_ip_address(world, client):
    for i in range(5):
        assert ask_for_link(client, f"someone{i}@example.com").status_code == 302
    mail.outbox.clear()
    assert ask_for_link(client, world.guardian.email).status_code == 429
    assert mail.outbox == []


def test_the_rate_limit_window_is_one_hour(world, client, monkeypatch):
    for _ in range(5):
        ask_for_link(client, world.guardian.email)
    later = timezone.now() + datetime.timedelta(hours=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ask_for_link(client, world.guardian.email).status_code == 302


def test_link_requests_store_no_email_or_ip_address(world, client):
    ask_for_link(client, world.guardian.email, ip="203.0.113.77")
    request = PortalLinkRequest.objects.get()
    assert world.guardian.email not in request.email_digest
    assert "203.0.113.77" not in request.ip_digest


def test_a_guardian_without_an_account_gets_one_without_a_password(world, client):
    guardian = people.create_guardian(
        acting_user=None, force=world.force, name="Ray Newparent", email="ray@example.com"
    )
    people.link_guardian(acting_user=None, child=world.child, guardian=guardian)
    mail.outbox.clear()
    ask_for_link(client, "ray@example.com")
    client.post(link_in(mail.outbox[-1]))
    user = User.objects.get(email="ray@example.com")
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.GUARDIAN, guardian=guardian).exists()
    guardian.refresh_from_db()
    assert guardian.user == user
    assert client.get("/portal/").status_code == 200


def test_the_session_is_portal_only_and_ends_with_the_browser(world, client):
    client.post(emailed_link(client, world))
    assert client.session[PORTAL_SESSION_KEY] is True
    assert client.session.get_expire_at_browser_close()


def test_a_portal_session_cannot_reach_staff_pages(world, client):
    client.post(emailed_link(client, world))
    for path in (
        "/children/",
        f"/children/{world.child.pk}/",
        f"/cohorts/{world.cohort.pk}/",
        "/consent/emails/",
    ):
        assert client.get(path)["Location"] == "/portal/", path


def test_without_the_portal_flag_a_parent_account_still_has_no_staff_permission(world, client_for):
    parent = client_for(world.users["guardian"])
    assert parent.get("/children/").status_code == 403
    assert parent.get(f"/children/{world.child.pk}/").status_code == 403


def test_a_portal_session_is_sent_back_to_the_portal(world, client):
    client.post(emailed_link(client, world))
    assert client.get("/children/")["Location"] == "/portal/"
    assert client.get("/")["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_a_link_never_signs_in_a_staff_account(world, client):
    """A teacher who is also a parent signs in with password and authenticator app."""
    teacher = world.users["teacher"]
    guardian = people.create_guardian(
        acting_user=None, force=world.force, name="Ms Teach", email=teacher.email
    )
    people.link_guardian(acting_user=None, child=world.child, guardian=guardian)
    mail.outbox.clear()
    ask_for_link(client, teacher.email)
    page = client.post(link_in(mail.outbox[-1]))
    assert "Sign in with your staff account" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/portal/").status_code == 302
    # Signed in the staff way, the same person finds their child in the portal.
    assert RoleAssignment.objects.filter(user=teacher, guardian=guardian).exists()


def test_signed_out_visitors_are_sent_to_ask_for_a_link(client, world):
    assert client.get("/portal/")["Location"] == "/portal/link/"


# Answers ---------------------------------------------------------------------------------------
def test_a_parent_sees_only_their_own_children(world, portal_client):
    assert portal_client.get(f"/portal/children/{world.other_child.pk}/").status_code == 404
    stranger = people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Not", last_name="Mine", year_group=5
    )
    assert portal_client.get(f"/portal/children/{stranger.pk}/").status_code == 404
    assert "Not Mine" not in portal_client.get("/portal/").content.decode()


def test_saying_no_to_a_granted_consent_withdraws_it(world, portal_client):
    record_consent(
        acting_user=None,
        child=world.child,
        kind="media",
        status="granted",
        method="paper",
        given_by_name="Paper",
        media_uses=["press"],
        given_at=timezone.now() - datetime.timedelta(days=3),
    )
    portal_client.post(
        f"/portal/children/{world.child.pk}/", {"participation": "no", "media": "no"}
    )
    latest = world.child.consents.filter(kind="media").first()
    assert latest.status == "withdrawn" and latest.method == "portal"
    assert world.child.consents.filter(kind="participation").get().status == "refused"
    assert not enforcement.may_use_media(world.child, "press")
    assert not enforcement.may_attend(world.child)


def test_an_unchanged_answer_is_not_recorded_again(world, portal_client):
    answers = {"participation": "yes", "media": "yes", "media_uses": ["internal"]}
    portal_client.post(f"/portal/children/{world.child.pk}/", answers)
    portal_client.post(f"/portal/children/{world.child.pk}/", answers)
    assert world.child.consents.count() == 2
    answers["media_uses"] = ["internal", "school_newsletter"]
    portal_client.post(f"/portal/children/{world.child.pk}/", answers)
    assert world.child.consents.count() == 3


def test_the_form_shows_the_standing_answers(world, portal_client):
    portal_client.post(
        f"/portal/children/{world.child.pk}/",
        {"participation": "yes", "media": "yes", "media_uses": ["press"]},
    )
    form = portal_client.get(f"/portal/children/{world.child.pk}/").context["form"]
    assert form.initial == {"participation": "yes", "media": "yes", "media_uses": ["press"]}


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({}, "Choose yes or no for Ada taking part"),
        ({"participation": "yes"}, "Choose yes or no for photos of Ada"),
        ({"participation": "yes", "media": "yes"}, "Choose at least one place photos may be used"),
    ],
)
def test_every_question_needs_an_answer(world, portal_client, answers, error):
    response = portal_client.post(f"/portal/children/{world.child.pk}/", answers)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Consent.objects.exists()


def test_a_parent_answers_for_a_trip_they_were_asked_about(world, portal_client):
    record_consent(
        acting_user=None,
        child=world.child,
        kind="trip",
        status="refused",
        method="paper",
        given_by_name="Paper",
        trip_reference="event:3",
        given_at=timezone.now() - datetime.timedelta(days=1),
    )
    page = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert "event:3" in page
    portal_client.post(
        f"/portal/children/{world.child.pk}/",
        {"participation": "yes", "media": "no", "trip_0": "yes"},
    )
    assert enforcement.may_go_on_trip(world.child, "event:3")


def test_the_portal_shows_programme_dates(world, portal_client):
    page = portal_client.get("/portal/").content.decode()
    assert f"{world.cohort.start_date:%-d %B %Y} to {world.cohort.end_date:%-d %B %Y}" in page


# Contact details -------------------------------------------------------------------------------
def test_a_parent_corrects_their_name_and_phone(world, portal_client):
    response = portal_client.post("/portal/details/", {"name": "Ann King", "phone": "07700 900123"})
    assert response["Location"] == "/portal/"
    world.guardian.refresh_from_db()
    assert (world.guardian.name, world.guardian.email, world.guardian.phone) == (
        "Ann King",
        "ann@example.com",
        "07700 900123",
    )
    entry = AuditEntry.objects.filter(object_type="guardian", action="update").get()
    assert entry.actor == world.users["guardian"]


def test_a_parent_cannot_change_the_email_their_links_go_to(world, portal_client):
    page = portal_client.get("/portal/details/").content.decode()
    assert 'name="email"' not in page and "ann@example.com" in page
    portal_client.post("/portal/details/", {"name": "Ann", "phone": "1", "email": "x@example.com"})
    world.guardian.refresh_from_db()
    assert world.guardian.email == "ann@example.com"


def test_staff_changing_a_guardians_email_ends_their_portal_access(
    world, portal_client, client_for
):
    assert "Ada" in portal_client.get("/portal/").content.decode()
    teacher = client_for(world.users["teacher"])
    teacher.post(
        f"/guardians/{world.guardian.pk}/edit/",
        {"name": "Ann Lovelace", "email": "new@example.com", "phone": ""},
    )
    world.guardian.refresh_from_db()
    # The new address waits for confirmation (people/tests/test_guardian_email_change.py).
    assert world.guardian.pending_email == "new@example.com" and world.guardian.user is None
    assert "Ada" not in portal_client.get("/portal/").content.decode()


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(settings, rf):
    from minipolice.consent.portal import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.7"
