"""Adding a leader to a unit: only cleared leaders of the force, their vetting on show."""

import datetime
import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.accounts.services import assign_role, create_user
from minipolice.organisations.models import Unit


def _second_unit(world):
    return Unit.objects.create(
        school=world.school, name="Second", status="active", status_since=timezone.localdate()
    )


def test_leader_options_show_vetting_and_offer_only_leaders_of_the_force(world, client_for):
    unit = _second_unit(world)
    body = html.unescape(
        client_for(world.users["area_lead"]).get(f"/units/{unit.pk}/leaders/").content.decode()
    )
    expires = date_format(timezone.localdate() + datetime.timedelta(days=365), "j M Y")
    assert f"PCSO Pat – vetting until {expires}</option>" in body
    assert "PCSO Lapsed – vetting expired</option>" in body
    assert "Cora Coordinator" not in body  # a coordinator, not a leader
    assert "Sergeant Lee –" not in body  # an area lead
    assert "Otto Outsider" not in body  # another force


def test_leader_page_links_to_adding_a_new_leader(world, client_for):
    body = client_for(world.users["coordinator"]).get(f"/units/{world.unit.pk}/leaders/")
    assert 'href="/leaders/new/">Add a leader</a>' in body.content.decode()


def test_leaders_of_this_unit_are_not_offered_again(world, client_for):
    body = client_for(world.users["area_lead"]).get(f"/units/{world.unit.pk}/leaders/")
    assert "PCSO Pat –" not in html.unescape(body.content.decode())


def test_leader_with_expired_vetting_cannot_be_assigned(world, client_for):
    unit = _second_unit(world)
    lapsed = world.users["lapsed_leader"]
    response = client_for(world.users["area_lead"]).post(
        f"/units/{unit.pk}/leaders/", {"leader": lapsed.pk}
    )
    assert response.status_code == 200
    expired = date_format(timezone.localdate() - datetime.timedelta(days=1), "j F Y")
    body = html.unescape(response.content.decode())
    assert f"PCSO Lapsed's vetting expired on {expired}: record their renewal first" in body
    assert not RoleAssignment.objects.filter(user=lapsed, unit=unit).exists()


def test_leader_with_expired_training_cannot_be_assigned(world, client_for):
    unit = _second_unit(world)
    leader = world.users["leader"]
    leader.safeguarding_trainings.update(expires=timezone.localdate() - datetime.timedelta(days=2))
    response = client_for(world.users["area_lead"]).post(
        f"/units/{unit.pk}/leaders/", {"leader": leader.pk}
    )
    assert "safeguarding training expired on" in html.unescape(response.content.decode())
    assert not RoleAssignment.objects.filter(user=leader, unit=unit).exists()


def test_cleared_leader_is_assigned(world, client_for):
    unit = _second_unit(world)
    response = client_for(world.users["area_lead"]).post(
        f"/units/{unit.pk}/leaders/", {"leader": world.users["leader"].pk}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=world.users["leader"], unit=unit, role=Role.UNIT_LEADER
    ).exists()


def test_coordinator_cannot_be_assigned_as_a_leader(world, client_for):
    unit = _second_unit(world)
    response = client_for(world.users["area_lead"]).post(
        f"/units/{unit.pk}/leaders/", {"leader": world.users["coordinator"].pk}
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(unit=unit).exists()


def test_leader_options_are_one_query(world, client_for):
    unit = _second_unit(world)
    client = client_for(world.users["area_lead"])
    client.get(f"/units/{unit.pk}/leaders/")
    with CaptureQueriesContext(connection) as two:
        client.get(f"/units/{unit.pk}/leaders/")
    for n in range(5):
        extra = create_user(acting_user=None, email=f"l{n}@example.org", full_name=f"PCSO {n}")
        assign_role(acting_user=None, user=extra, role=Role.UNIT_LEADER, unit=world.unit)
    with CaptureQueriesContext(connection) as seven:
        client.get(f"/units/{unit.pk}/leaders/")
    assert len(seven) == len(two)
