"""The event pages in Welsh: a browser asking for Welsh gets Welsh; emails keep one language."""

from minipolice.events.tests.helpers import make_event

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def test_event_page_is_in_welsh_with_no_english_sentence_left(world, client_for):
    event = make_event(world)
    page = client_for(world.users["coordinator"]).get(f"/events/{event.pk}/", **WELSH)
    page = page.content.decode()

    for welsh in ["Rhaglen y diwrnod", "Asesiad risg", "Prif Gwnstabl", "Yn cael ei gynllunio"]:
        assert welsh in page, welsh
    for english in ["Programme of the day", "No risk assessment yet.", "Chief Constable", "Status"]:
        assert english not in page, english


def test_event_list_and_forms_are_in_welsh(world, client_for):
    make_event(world)
    client = client_for(world.users["coordinator"])
    listing = client.get("/events/", **WELSH).content.decode()
    assert "Digwyddiadau ac ymweliadau gwobr" in listing and "Diwrnod dathlu" in listing
    form = client.get("/events/new/", **WELSH).content.decode()
    assert "Cynllunio diwrnod dathlu" in form and "Lleoliad" in form


def test_guest_roles_typed_in_welsh_are_understood(world):
    from django.utils import translation

    from minipolice.events.forms import _role_for

    with translation.override("cy"):
        assert _role_for("Prif Gwnstabl") == "chief_constable"
        assert _role_for("chief constable") == "chief_constable"


def test_an_email_keeps_one_language_whatever_the_senders_language(world, immediate_tasks):
    from django.core import mail
    from django.utils import translation

    from minipolice.events import services
    from minipolice.events.tests.helpers import invite, trip_consent

    event = make_event(world)
    invitation = invite(world, event)
    trip_consent(world.child, event)
    mail.outbox.clear()
    with translation.override("cy"):  # a leader using the site in Welsh
        services.choose_children(
            acting_user=world.users["leader"],
            invitation=invitation,
            children=[world.child],
            editable_ids=[world.child.pk],
            base_url="http://testserver/",
        )
    (message,) = mail.outbox
    assert message.subject == "Mini Police: a place at Celebration day"
    assert "Ada has a place at Celebration day" in message.body


def test_a_welsh_forces_parent_gets_the_place_email_in_welsh_then_english(world, immediate_tasks):
    from django.core import mail

    from minipolice.consent import emails
    from minipolice.events import services
    from minipolice.events.tests.helpers import invite, trip_consent

    world.force.welsh_language = True
    world.force.save(update_fields=["welsh_language"])
    event = make_event(world)
    invitation = invite(world, event)
    trip_consent(world.child, event)
    mail.outbox.clear()
    services.choose_children(
        acting_user=world.users["leader"],
        invitation=invitation,
        children=[world.child],
        editable_ids=[world.child.pk],
        base_url="http://testserver/",
    )
    (message,) = mail.outbox
    welsh_subject, _, english_subject = message.subject.partition(" / ")
    assert english_subject == "Mini Police: a place at Celebration day"
    assert welsh_subject.startswith("Heddlu Bach") and "Celebration day" in welsh_subject
    welsh, separator, english = message.body.partition(emails.SEPARATOR)
    assert separator and "Ada has a place at Celebration day" in english
    assert "Ada has a place" not in welsh
    assert [name for name, *_ in message.attachments] == ["mini-police-event.ics"]
