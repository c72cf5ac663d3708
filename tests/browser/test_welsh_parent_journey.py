"""A Welsh-speaking parent of a Welsh-language force does everything in Welsh on a phone: picks
Cymraeg with the switch, asks for a link, reads the email (Welsh first), opens the Welsh link
and answers the consents; axe checks every page (in Welsh, `lang="cy"`)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from minipolice.consent import emails, enforcement

pytestmark = pytest.mark.browser

PHONE = (375, 812)


def press(page, text: str) -> None:
    button = page.driver.find_element(
        "xpath",
        f'//main//button[normalize-space()="{text}"] | //main//a[normalize-space()="{text}"]',
    )
    page._follow(button)


def choose(page, field_id: str) -> None:
    page.driver.find_element("css selector", f"label[for='{field_id}']").click()


def test_a_welsh_speaking_parent_answers_the_consents_in_welsh(page, live_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = live_world
    world.force.welsh_language = True
    world.force.save(update_fields=["welsh_language"])
    page.driver.set_window_size(*PHONE)

    page.visit("/portal/link/")
    assert page.heading == "Get a link to the parent portal"
    page._follow(page.driver.find_element("css selector", "button[name=language][value=cy]"))
    assert page.path == "/portal/link/"
    assert page.driver.find_element("tag name", "html").get_attribute("lang") == "cy"
    assert page.heading == "Cael dolen i'r porth rhieni"

    mail.outbox.clear()
    page.submit_form(email=world.guardian.email)
    assert page.heading == "Edrychwch ar eich e-bost"
    (message,) = mail.outbox
    welsh, separator, english = message.body.partition(emails.SEPARATOR)
    assert separator and " / " in message.subject
    link = re.search(r"https?://\S+/portal/sign-in/\S+", welsh).group(0)
    parts = urlsplit(link)
    page.visit(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert page.heading == "Mewngofnodi i'r porth rhieni"
    press(page, "Parhau")
    assert page.heading == "Eich plant yn Heddlu Bach"

    press(page, f"Ateb cwestiynau ar gyfer {world.child.first_name}")
    assert page.heading == f"Caniatâd ar gyfer {world.child.first_name}"
    choose(page, "id_participation_0")
    choose(page, "id_media_0")
    choose(page, "id_media_uses_0")
    page.check()
    press(page, "Cadw'r atebion")
    assert page.path == "/portal/"
    assert "Rhoddwyd" in page.text and "Granted" not in page.text
    assert enforcement.may_attend(world.child)
    assert enforcement.may_use_media(world.child, "internal")
