"""The consent app in Welsh: the parent portal from end to end, and the staff pages."""

import html as markup
import re

from django.core import mail

from minipolice.consent.tests.conftest import link_in

CY = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def welsh_portal(client, world):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email}, **CY)
    client.post(link_in(mail.outbox[-1]), **CY)
    return client


def test_asking_for_a_link_in_welsh(world, client):
    page = text_of(client.get("/portal/link/", **CY))
    assert "Cael dolen i'r porth rhieni" in page
    assert "Get a link to the parent portal" not in page
    sent = client.post("/portal/link/", {"email": world.guardian.email}, follow=True, **CY)
    assert "Edrychwch ar eich e-bost" in text_of(sent)


def test_a_welsh_speaking_parent_answers_in_welsh(world, client):
    welsh_portal(client, world)
    home = text_of(client.get("/portal/", **CY))
    assert "Eich plant yn Heddlu Bach" in home and "Ateb cwestiynau ar gyfer Ada" in home
    for english in (
        "Your children in Mini Police",
        "Taking part",
        "Programme dates",
        "Answer questions for",
        "Your contact details",
        "You can change your answers at any time",
        "Sign out",
    ):
        assert english not in home
    form = text_of(client.get(f"/portal/children/{world.child.pk}/", **CY))
    assert "A gaiff Ada gymryd rhan yn Heddlu Bach?" in form and "Cadw'r atebion" in form
    assert "May Ada take part" not in form and "Save answers" not in form
    errors = text_of(client.post(f"/portal/children/{world.child.pk}/", {}, **CY))
    assert "Dewiswch ie neu na i Ada gymryd rhan" in errors
    saved = client.post(
        f"/portal/children/{world.child.pk}/",
        {"participation": "yes", "media": "yes", "media_uses": ["internal"]},
        follow=True,
        **CY,
    )
    page = text_of(saved)
    assert "Diolch. Mae eich atebion ar gyfer Ada wedi'u cadw." in page
    assert "Rhoddwyd" in page


def test_contact_details_and_signing_out_in_welsh(world, client):
    welsh_portal(client, world)
    page = text_of(client.get("/portal/details/", **CY))
    assert "Eich manylion cyswllt" in page and "Cadw'r manylion" in page
    saved = client.post(
        "/portal/details/", {"name": "Ann Lovelace", "phone": ""}, follow=True, **CY
    )
    assert "Mae eich manylion cyswllt wedi'u cadw." in text_of(saved)
    out = client.post("/portal/sign-out/", follow=True, **CY)
    assert "Rydych wedi allgofnodi" in text_of(out)


def test_a_used_link_says_so_in_welsh(world, client):
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    link = link_in(mail.outbox[-1])
    client.post(link)
    client.post("/portal/sign-out/")
    again = text_of(client.post(link, **CY))
    assert "Mae'r ddolen hon eisoes wedi'i defnyddio" in again and "Cael dolen newydd" in again


def test_staff_pages_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    board = text_of(client.get(f"/consent/cohorts/{world.cohort.pk}/", **CY))
    assert "Plant yn y garfan" in board and "Heb ateb" in board
    assert "Children in the cohort" not in board
    history = text_of(client.get(f"/consent/children/{world.child.pk}/", **CY))
    assert "Hanes" in history
    assert "Nid oes caniatâd wedi'i gofnodi eto." in history
    paper = text_of(client.get(f"/consent/children/{world.child.pk}/record/", **CY))
    assert "Cofnodi caniatâd o ffurflen bapur" in paper and "Pwy lofnododd y ffurflen?" in paper
    outbox = text_of(client.get("/consent/emails/", **CY))
    assert "E-byst at rieni a gofalwyr" in outbox
