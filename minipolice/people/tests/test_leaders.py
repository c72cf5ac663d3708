import datetime

from django.utils import timezone


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
