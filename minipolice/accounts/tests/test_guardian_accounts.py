"""A parent's account signs in only by an emailed link into the portal: it has no usable
password, the staff password reset never sends it a reset (and answers as for an unknown
address), and the staff sign-in refuses it even if it had a password."""

import re

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core import mail

from conftest import PASSWORD
from minipolice.accounts.models import Role, User
from minipolice.accounts.services import assign_role, create_user
from minipolice.accounts.tests.helpers import LOGIN, sign_in, signed_in_user_id
from minipolice.consent.tests.conftest import IMMEDIATE_TASKS, link_in
from minipolice.people import services as people

RESET = "/accounts/password/reset/"


def portal_sign_in(client, email):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": email}, REMOTE_ADDR="203.0.113.50")
    client.post(link_in(mail.outbox[-1]))


def ask_for_reset(client, email):
    mail.outbox.clear()
    response = client.post(RESET, {"email": email})
    return response, [message for message in mail.outbox if message.to == [email]]


def reset_links(messages) -> list[str]:
    return [
        link
        for message in messages
        for link in re.findall(r"/accounts/password/reset/key/\S+", message.body)
    ]


def test_a_parent_signed_in_by_link_cannot_get_a_password_reset(world, client, settings):
    settings.TASKS = IMMEDIATE_TASKS
    portal_sign_in(client, world.guardian.email)
    client.post("/portal/sign-out/")
    user = world.users["guardian"]  # the account the link signed in
    user.refresh_from_db()
    assert not user.has_usable_password()

    known, to_parent = ask_for_reset(client, user.email)
    unknown, to_nobody = ask_for_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert reset_links(to_parent) == []
    assert [m.subject for m in to_parent] == [m.subject for m in to_nobody]
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_guardian_role_takes_away_a_password_set_before(world):
    """The persona was created with a password, then made a parent: the password is gone."""
    assert not world.users["guardian"].has_usable_password()
    lone = create_user(acting_user=None, email="lone@example.org", full_name="L", password=PASSWORD)
    assign_role(acting_user=None, user=lone, role=Role.GUARDIAN, guardian=world.guardian)
    lone.refresh_from_db()
    assert not lone.has_usable_password()


def test_a_portal_link_to_an_address_with_a_password_account_removes_the_password(
    world, client, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    guardian = people.create_guardian(
        acting_user=None, force=world.force, name="Ray", email="ray@example.com"
    )
    people.link_guardian(acting_user=None, child=world.child, guardian=guardian)
    create_user(acting_user=None, email="ray@example.com", full_name="Ray", password=PASSWORD)
    portal_sign_in(client, "ray@example.com")
    client.post("/portal/sign-out/")
    assert not User.objects.get(email="ray@example.com").has_usable_password()
    assert sign_in(client, "ray@example.com", PASSWORD).status_code == 200
    assert signed_in_user_id(client) is None


def test_staff_sign_in_refuses_a_guardian_only_account_even_with_a_password(world, client):
    parent = world.users["guardian"]
    # An account from before this rule still holding a password.
    User.objects.filter(pk=parent.pk).update(password=_hashed(PASSWORD))
    response = sign_in(client, parent.email, PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert client.get("/")["Location"].startswith(LOGIN)


def test_a_reset_link_made_before_cannot_give_a_parent_a_password(world, client):
    parent = world.users["guardian"]
    key = f"{user_pk_to_url_str(parent)}-{default_token_generator.make_token(parent)}"
    url = f"/accounts/password/reset/key/{key}/"
    page = client.get(url, follow=True)
    client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else url,
        {"password1": "a-brand-new-password-1", "password2": "a-brand-new-password-1"},
    )
    parent.refresh_from_db()
    assert not parent.has_usable_password()
    sign_in(client, parent.email, "a-brand-new-password-1")
    assert signed_in_user_id(client) is None


def test_a_teacher_who_is_also_a_parent_keeps_their_password_and_reset(world, client):
    teacher = world.users["teacher"]
    assign_role(acting_user=None, user=teacher, role=Role.GUARDIAN, guardian=world.guardian)
    teacher.refresh_from_db()
    assert teacher.has_usable_password()
    _, messages = ask_for_reset(client, teacher.email)
    assert len(reset_links(messages)) == 1
    sign_in(client, teacher.email, PASSWORD)
    assert signed_in_user_id(client) == str(teacher.pk)


def _hashed(password):
    from django.contrib.auth.hashers import make_password

    return make_password(password)


def test_a_parent_signed_in_cannot_set_a_password(world, client_for):
    parent = client_for(world.users["guardian"])
    response = parent.post(
        "/accounts/password/set/",
        {"password1": "a-brand-new-password-1", "password2": "a-brand-new-password-1"},
    )
    # Staff account pages send a parent's account to the portal; nothing is set.
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/")
    world.users["guardian"].refresh_from_db()
    assert not world.users["guardian"].has_usable_password()
