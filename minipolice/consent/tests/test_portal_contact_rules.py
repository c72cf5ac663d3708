"""A parent correcting their own name and phone in the portal meets the same rules as staff
forms, the API and the class-list import (minipolice/lib/validators.py)."""

import html

import pytest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "\u200b\u200d\ufeff", "phone": ""}, "Enter your name"),
        ({"name": "...", "phone": ""}, "Enter a name with at least one letter"),
        (
            {"name": "Ann King", "phone": "after six"},
            "Enter a phone number like 01632 960 001 or +44 7700 900 982",
        ),
    ],
)
def test_the_portal_refuses_a_name_without_a_letter_or_text_as_a_phone(
    world, portal_client, data, message
):
    response = portal_client.post("/portal/details/", data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    world.guardian.refresh_from_db()
    assert (world.guardian.name, world.guardian.phone) == ("Ann Lovelace", "")


def test_the_portal_removes_invisible_characters_from_a_name(world, portal_client):
    response = portal_client.post(
        "/portal/details/", {"name": "\u200bAnn\u00a0King\u200e", "phone": "07700 900123"}
    )
    assert response["Location"] == "/portal/"
    world.guardian.refresh_from_db()
    assert (world.guardian.name, world.guardian.phone) == ("Ann King", "07700 900123")
