"""Adding and changing people: no blank choices, and errors that say what to enter."""

import html

import pytest


def _body(response) -> str:
    return html.unescape(response.content.decode())


def test_year_group_has_no_blank_choice_and_none_selected(world, client_for):
    body = _body(client_for(world.users["leader"]).get(f"/cohorts/{world.cohort.pk}/children/new/"))
    assert "---------" not in body
    assert 'name="year_group" type="radio" value=""' not in body
    assert "checked" not in body


def test_empty_child_form_says_what_to_enter(world, client_for):
    response = client_for(world.users["leader"]).post(
        f"/cohorts/{world.cohort.pk}/children/new/", {"first_name": ""}
    )
    body = _body(response)
    assert response.status_code == 200
    for message in [
        "Enter the child's first name",
        "Enter the child's last name",
        "Select the child's year group",
    ]:
        assert message in body
    assert "This field is required" not in body


@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("/children/{child}/guardians/new/", ["Enter the parent or carer's name"]),
        ("/guardians/{guardian}/edit/", ["Enter the parent or carer's name"]),
        ("/children/{child}/move/", ["Select the cohort they are moving to"]),
        ("/children/{child}/leave/", ["Enter the date they left"]),
        (
            "/leaders/{leader}/vetting/new/",
            [
                "Select the level of vetting",
                "Enter the date the vetting was granted",
                "Enter the date the vetting expires",
            ],
        ),
        (
            "/leaders/{leader}/training/new/",
            ["Enter the date the training was completed", "Enter the date the training expires"],
        ),
    ],
)
def test_empty_people_forms_say_what_to_enter(world, client_for, url, messages):
    client = client_for(world.users["coordinator"])
    url = url.format(
        child=world.child.pk, guardian=world.guardian.pk, leader=world.users["leader"].pk
    )
    response = client.post(url, {"name": ""})
    body = _body(response)
    assert response.status_code == 200
    for message in messages:
        assert message in body
    assert "This field is required" not in body


def test_child_page_links_cohort_and_unit_and_says_no_notes_recorded(world, client_for):
    world.child.leader_notes = ""
    world.child.save(update_fields=["leader_notes"])
    body = client_for(world.users["leader"]).get(f"/children/{world.child.pk}/").content.decode()
    assert f'href="/cohorts/{world.cohort.pk}/">Year 5</a>' in body
    assert f'href="/units/{world.unit.pk}/">Hilltop Mini Police</a>' in body
    assert "None recorded" in body
