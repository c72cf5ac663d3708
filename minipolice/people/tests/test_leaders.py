import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minipolice.people import services


def test_coordinator_records_vetting_and_leader_regains_access(world, client_for):
    today = timezone.localdate()
    lapsed = world.users["lapsed_leader"]
    coordinator = client_for(world.users["coordinator"])
    response = coordinator.post(
        f"/leaders/{lapsed.pk}/vetting/new/",
        {
            "level": "nppv2",
            "granted": today.isoformat(),
            "expires": (today + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    leader = client_for(lapsed)
    assert leader.get(f"/children/{world.child.pk}/").status_code == 200


def test_vetting_expiring_before_granted_is_an_error(world, client_for):
    today = timezone.localdate()
    client = client_for(world.users["coordinator"])
    response = client.post(
        f"/leaders/{world.users['leader'].pk}/vetting/new/",
        {
            "level": "nppv2",
            "granted": today.isoformat(),
            "expires": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_leader_list_flags_expired_vetting(world, client_for):
    body = client_for(world.users["coordinator"]).get("/leaders/").content.decode()
    assert "PCSO Lapsed" in body and "Expired" in body


def test_home_page_lists_what_needs_doing(world, client_for):
    from minipolice.organisations import services as org

    org.create_unit(acting_user=None, school=world.school, name="Leaderless Unit", status="trial")
    body = client_for(world.users["coordinator"]).get("/").content.decode()
    assert "Leaderless Unit" in body
    assert "PCSO Lapsed" in body  # vetting expired
    body = client_for(world.users["lapsed_leader"]).get("/").content.decode()
    assert "cannot see children" in body


def test_funder_home_shows_aggregates_only(world, client_for):
    body = client_for(world.users["funder"]).get("/").content.decode()
    assert "Active units" in body
    assert "Lovelace" not in body
    assert "Fewer than 5" in body  # one child: the cell is hidden


def test_area_lead_adds_a_leader_who_gets_a_set_password_email(world, client_for, mailoutbox):
    from minipolice.accounts.models import Role, RoleAssignment, User

    client = client_for(world.users["area_lead"])
    response = client.post(
        "/leaders/new/",
        {"full_name": "PCSO Sam Rivers", "email": "Sam.Rivers@example.org", "unit": world.unit.pk},
    )
    leader = User.objects.get(email="sam.rivers@example.org")
    assert response["Location"] == f"/leaders/{leader.pk}/"
    assert not leader.has_usable_password()
    assert RoleAssignment.objects.filter(
        user=leader, role=Role.UNIT_LEADER, unit=world.unit
    ).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sam.rivers@example.org"]
    # Not cleared yet: no vetting recorded, so no children's records.
    leader_client = client_for(leader)
    assert leader_client.get(f"/children/{world.child.pk}/").status_code == 403


def test_adding_a_leader_with_an_email_already_in_use_is_an_error(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(
        "/leaders/new/", {"full_name": "Dup", "email": "teacher@example.org", "unit": world.unit.pk}
    )
    assert response.status_code == 200
    assert "cannot be used for a new leader" in response.content.decode()


def test_adding_a_leader_with_another_forces_staff_email_says_nothing_about_that_account(
    world, client_for
):
    """The answer for another force's coordinator's address is word for word the answer for an
    address in use in this force: nothing tells whose account it is, or where."""
    client = client_for(world.users["coordinator"])

    def errors_for(email):
        response = client.post(
            "/leaders/new/", {"full_name": "Someone", "email": email, "unit": world.unit.pk}
        )
        assert response.status_code == 200
        page = response.content.decode()
        start = page.index('class="govuk-error-summary"')
        return page[start : page.index("</div>", start)]

    elsewhere = errors_for(world.users["outsider"].email)
    here = errors_for(world.users["teacher"].email)
    assert elsewhere == here
    for revealing in ("already signs in", "Otherton", "another force", "Otto"):
        assert revealing not in elsewhere


def test_area_lead_cannot_add_a_leader_to_a_unit_of_another_force(world, client_for):
    client = client_for(world.users["area_lead"])
    response = client.post(
        "/leaders/new/", {"full_name": "X", "email": "x@example.org", "unit": world.other_unit.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_leader_pages_show_only_units_the_viewer_may_see(world, client_for):
    from minipolice.accounts.models import Role
    from minipolice.accounts.services import assign_role

    assign_role(
        acting_user=None, user=world.users["leader"], role=Role.UNIT_LEADER, unit=world.other_unit
    )
    body = (
        client_for(world.users["coordinator"])
        .get(f"/leaders/{world.users['leader'].pk}/")
        .content.decode()
    )
    assert "Hilltop Mini Police" in body and "Valley Mini Police" not in body


EXPIRY_RULES = {
    "vetting": (
        "granted",
        {"level": "nppv2"},
        "The expiry date must be after the date it was granted.",
    ),
    "training": (
        "completed",
        {},
        "The expiry date must be after the date it was completed.",
    ),
}


@pytest.mark.parametrize("record", EXPIRY_RULES)
def test_an_expiry_before_the_start_is_named_beside_the_expiry_date_and_nothing_is_saved(
    world, client_for, record
):
    start_field, extra, message = EXPIRY_RULES[record]
    leader = world.users["leader"]
    today = timezone.localdate()
    before = (leader.vettings.count(), leader.safeguarding_trainings.count())
    response = client_for(world.users["coordinator"]).post(
        f"/leaders/{leader.pk}/{record}/new/",
        {
            **extra,
            start_field: today.isoformat(),
            "expires": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "govuk-error-summary" in body
    assert f'<a href="#id_expires_0">{message}</a>' in body  # the summary links to the field
    assert 'id="id_expires-error"' in body
    assert (leader.vettings.count(), leader.safeguarding_trainings.count()) == before


@pytest.mark.parametrize("record", EXPIRY_RULES)
def test_an_expiry_on_the_start_date_is_accepted(world, client_for, record):
    start_field, extra, _ = EXPIRY_RULES[record]
    today = timezone.localdate().isoformat()
    response = client_for(world.users["coordinator"]).post(
        f"/leaders/{world.users['leader'].pk}/{record}/new/",
        {**extra, start_field: today, "expires": today},
    )
    assert response.status_code == 302


def test_the_services_refuse_an_expiry_before_the_start_with_the_pages_message(world):
    """Whoever records vetting or training (a page, a command, the demo) meets the same rule."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    leader = world.users["leader"]
    with pytest.raises(ValidationError) as vetting:
        services.record_vetting(
            acting_user=None, leader=leader, level="nppv2", granted=today, expires=yesterday
        )
    assert vetting.value.message_dict == {"expires": [EXPIRY_RULES["vetting"][2]]}
    with pytest.raises(ValidationError) as training:
        services.record_safeguarding_training(
            acting_user=None, leader=leader, completed=today, expires=yesterday
        )
    assert training.value.message_dict == {"expires": [EXPIRY_RULES["training"][2]]}


@pytest.mark.parametrize(
    ("url", "messages"),
    [
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
def test_empty_leader_forms_say_what_to_enter(world, client_for, url, messages):
    client = client_for(world.users["coordinator"])
    url = url.format(leader=world.users["leader"].pk)
    response = client.post(url, {"name": ""})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    for message in messages:
        assert message in body
    assert "This field is required" not in body
