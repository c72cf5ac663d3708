"""Emails to parents of a Welsh-language force are in Welsh and English, Welsh first, with one
link that works from either half; other forces' parents get English only."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from minipolice.consent import emails, services
from minipolice.consent.models import PortalToken
from minipolice.consent.tests.conftest import link_in
from minipolice.people import services as people


@pytest.fixture
def welsh_force(world):
    world.force.welsh_language = True
    world.force.save(update_fields=["welsh_language"])
    return world.force


def ask_for_link(client, world):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    return mail.outbox[-1]


def halves(message):
    welsh, separator, english = message.body.partition(emails.SEPARATOR)
    assert separator, "no separator between the Welsh and the English version"
    return welsh, english


def test_a_welsh_forces_parent_gets_welsh_then_english(world, welsh_force, client, second_child):
    message = ask_for_link(client, world)
    assert message.subject == (
        "Eich dolen i borth rhieni Heddlu Bach / Your link to the Mini Police parent portal"
    )
    welsh, english = halves(message)
    assert welsh.startswith("Annwyl Ann Lovelace,")
    assert "ganiatâd ar gyfer Ada a Byron" in welsh and "Heddlu Bach" in welsh
    assert "Dear" not in welsh and "Mini Police" not in welsh
    assert english.startswith("Dear Ann Lovelace,")
    assert "consent for Ada and Byron" in english and "Annwyl" not in english
    assert message.extra_headers["Content-Language"] == "cy, en-GB"
    assert message.to == [world.guardian.email]


def test_one_link_in_both_halves_and_it_signs_in(world, welsh_force, client):
    message = ask_for_link(client, world)
    welsh, english = halves(message)
    tokens = re.findall(r"/portal/sign-in/([^/\s?]+)/", message.body)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert PortalToken.objects.count() == 1
    assert "?lang=cy" in welsh and "?lang=cy" not in english
    assert client.post(link_in(message))["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_the_welsh_link_opens_the_portal_in_welsh(world, welsh_force, client):
    message = ask_for_link(client, world)
    welsh, _english = halves(message)
    link = re.search(r"https?://[^/\s]+(/portal/sign-in/\S+)", welsh).group(1)
    assert link.endswith("?lang=cy")
    page = client.get(link).content.decode()
    assert "Mewngofnodi i'r porth rhieni" in page
    client.post(link)
    home = client.get("/portal/").content.decode()
    assert "Eich plant yn Heddlu Bach" in home


def test_the_english_link_of_the_same_email_works_too(world, welsh_force, client):
    message = ask_for_link(client, world)
    _welsh, english = halves(message)
    link = re.search(r"https?://[^/\s]+(/portal/sign-in/\S+/)", english).group(1)
    assert client.post(link)["Location"] == "/portal/"
    assert "Your children in Mini Police" in client.get("/portal/").content.decode()


def test_an_english_forces_parent_gets_english_only(world, client):
    message = ask_for_link(client, world)
    assert message.subject == "Your link to the Mini Police parent portal"
    assert emails.SEPARATOR not in message.body
    assert message.body.startswith("Dear Ann Lovelace,")
    assert "Annwyl" not in message.body and "Heddlu Bach" not in message.body
    assert "?lang=" not in message.body
    assert "Content-Language" not in message.extra_headers


def test_an_english_forces_parent_gets_english_even_from_a_welsh_page(world, client):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email}, HTTP_ACCEPT_LANGUAGE="cy")
    assert mail.outbox[-1].body.startswith("Dear Ann Lovelace,")
    assert emails.SEPARATOR not in mail.outbox[-1].body


def test_a_parent_who_chose_welsh_gets_both_languages(world, client):
    user = world.users["guardian"]
    user.language = "cy"
    user.save(update_fields=["language"])
    world.guardian.user = user
    world.guardian.save(update_fields=["user"])
    message = ask_for_link(client, world)
    welsh, english = halves(message)
    assert welsh.startswith("Annwyl") and english.startswith("Dear")


def test_every_kind_of_consent_email_is_bilingual(world, welsh_force):
    mail.outbox.clear()
    services.request_consents_for_cohort(
        acting_user=world.users["coordinator"], cohort=world.cohort, base_url="http://testserver/"
    )
    people.update_guardian(
        acting_user=None,
        guardian=world.guardian,
        email="ann.new@example.com",
        phone="",
        base_url="http://testserver/",
    )
    subjects = {
        "Heddlu Bach: atebwch rai cwestiynau am ganiatâd / "
        "Mini Police: please answer some questions about consent",
        "Heddlu Bach: cadarnhewch eich cyfeiriad e-bost / Mini Police: confirm your email address",
        "Heddlu Bach: mae eich cyfeiriad e-bost yn cael ei newid / "
        "Mini Police: your email address is being changed",
    }
    assert {message.subject for message in mail.outbox} == subjects
    for message in mail.outbox:
        welsh, english = halves(message)
        assert welsh.startswith("Annwyl Ann Lovelace,") and welsh.rstrip().endswith("Heddlu Bach")
        assert english.startswith("Dear Ann Lovelace,") and english.rstrip().endswith("Mini Police")
    request = next(m for m in mail.outbox if "ganiatâd /" in m.subject)
    assert "Hilltop Mini Police yn Hilltop Primary" in request.body
    confirmation = next(m for m in mail.outbox if "cadarnhewch" in m.subject)
    links = re.findall(r"/portal/confirm-email/([^/\s?]+)/", confirmation.body)
    assert len(links) == 2 and links[0] == links[1]


def test_html_parts_and_attachments_are_combined_once():
    welsh = EmailMultiAlternatives("Pwnc", "Corff", to=["a@example.com"])
    welsh.attach_alternative("<p>Corff</p>", "text/html")
    welsh.attach("event.ics", "BEGIN:VCALENDAR", "text/calendar")
    english = EmailMultiAlternatives("Subject", "Body", to=["a@example.com"])
    english.attach_alternative("<p>Body</p>", "text/html")
    english.attach("event.ics", "BEGIN:VCALENDAR", "text/calendar")
    message = emails.bilingual_message(welsh, english)
    assert message.subject == "Pwnc / Subject"
    assert message.body == "Corff" + emails.SEPARATOR + "Body"
    assert [alt.content for alt in message.alternatives] == [
        "<p>Corff</p>" + emails.HTML_SEPARATOR + "<p>Body</p>"
    ]
    assert len(message.attachments) == 1


def test_a_subject_the_same_in_both_languages_is_not_repeated():
    message = emails.bilingual_message(
        EmailMultiAlternatives("Mini Police Hub", "Corff"),
        EmailMultiAlternatives("Mini Police Hub", "Body"),
    )
    assert message.subject == "Mini Police Hub"
