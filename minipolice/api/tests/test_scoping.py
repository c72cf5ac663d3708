"""A token sees exactly what its user sees on the pages: the same selectors, the same roles."""

import pytest

from minipolice.consent.services import record_consent
from minipolice.organisations import services as org
from minipolice.people import services as people

LISTS = ["/areas", "/schools", "/units", "/cohorts", "/children", "/guardians", "/enrolments"]


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_coordinator_sees_the_whole_force_and_nothing_of_another(world, api_as):
    api = api_as(world.users["coordinator"])
    assert ids(api.get("/units")) == {world.unit.pk}
    assert ids(api.get("/children")) == {world.child.pk}
    assert ids(api.get("/forces")) == {world.force.pk}
    assert api.get(f"/units/{world.other_unit.pk}").status_code == 404
    assert api.get(f"/children/{world.other_child.pk}").status_code == 404
    assert api.get(f"/cohorts/{world.other_cohort.pk}").status_code == 404
    assert api.get(f"/forces/{world.other_force.pk}").status_code == 404


def test_leader_sees_only_their_units_children(world, api_as):
    unit = org.create_unit(acting_user=None, school=world.school, name="Second", status="active")
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Other",
        start_date=world.cohort.start_date,
        end_date=world.cohort.end_date,
    )
    stranger = people.add_child_to_cohort(
        acting_user=None, cohort=cohort, first_name="Cy", last_name="Else", year_group=5
    )
    leader = api_as(world.users["leader"])
    assert ids(leader.get("/units")) == {world.unit.pk}
    assert ids(leader.get("/children")) == {world.child.pk}
    assert leader.get(f"/children/{stranger.pk}").status_code == 404
    coordinator = api_as(world.users["coordinator"])
    assert ids(coordinator.get("/children")) == {world.child.pk, stranger.pk}


def test_leader_with_lapsed_vetting_gets_403_for_children(world, api_as):
    lapsed = api_as(world.users["lapsed_leader"])
    assert lapsed.get("/children").status_code == 403
    assert lapsed.get(f"/children/{world.child.pk}").status_code == 403
    assert ids(lapsed.get("/units")) == {world.unit.pk}


@pytest.mark.parametrize("persona", ["funder", "national", "guardian"])
@pytest.mark.parametrize("path", LISTS)
def test_aggregate_only_roles_and_guardians_get_403_for_records(world, api_as, persona, path):
    assert api_as(world.users[persona]).get(path).status_code == 403


def test_teacher_reads_children_but_not_leaders_notes(world, api_as):
    teacher = api_as(world.users["teacher"])
    child = teacher.get(f"/children/{world.child.pk}").json()
    assert child["first_name"] == "Ada" and child["leader_notes"] is None
    leader = api_as(world.users["leader"]).get(f"/children/{world.child.pk}").json()
    assert leader["leader_notes"] == "Uses a hearing aid."


def test_teacher_cannot_write_leaders_notes(world, api_as):
    teacher = api_as(world.users["teacher"])
    response = teacher.patch(f"/children/{world.child.pk}", {"leader_notes": "Something"})
    assert response.status_code == 400
    assert "leader_notes" in response.json()["errors"]
    assert teacher.patch(f"/children/{world.child.pk}", {"year_group": 6}).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 201), ("area_lead", 403), ("leader", 403), ("teacher", 403), ("funder", 403)],
)
def test_only_coordinators_add_areas(world, api_as, persona, status):
    response = api_as(world.users[persona]).post(
        "/areas", {"force": world.force.pk, "name": "South"}
    )
    assert response.status_code == status


def test_area_lead_adds_a_school_in_their_area_only(world, api_as):
    area_lead = api_as(world.users["area_lead"])
    other = org.create_area(acting_user=None, force=world.force, name="Far")
    assert area_lead.post("/schools", {"area": world.area.pk, "name": "New"}).status_code == 201
    response = area_lead.post("/schools", {"area": other.pk, "name": "Elsewhere"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["area"]


def test_outsider_cannot_use_objects_of_another_force_in_a_body(world, api_as):
    outsider = api_as(world.users["outsider"])
    response = outsider.post(
        "/children",
        {"cohort": world.cohort.pk, "first_name": "X", "last_name": "Y", "year_group": 5},
    )
    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]
    missing = outsider.post(
        "/children", {"cohort": 999999, "first_name": "X", "last_name": "Y", "year_group": 5}
    )
    assert (
        missing.json()["errors"]["cohort"][0].replace("999999", str(world.cohort.pk))
        == (response.json()["errors"]["cohort"][0])
    )


def test_consents_are_listed_per_child_for_those_who_see_the_child(world, api_as):
    record_consent(
        acting_user=None, child=world.child, kind="participation", status="granted", method="paper"
    )
    coordinator = api_as(world.users["coordinator"])
    listed = coordinator.get("/consents", {"child": world.child.pk}).json()
    assert listed["count"] == 1 and listed["items"][0]["kind"] == "participation"
    assert api_as(world.users["outsider"]).get("/consents").json()["count"] == 0


def test_list_query_count_does_not_grow_with_rows(world, api_as, django_assert_max_num_queries):
    api = api_as(world.users["coordinator"])
    for index in range(30):
        child = people.add_child_to_cohort(
            acting_user=None,
            cohort=world.cohort,
            first_name=f"Child{index}",
            last_name="Many",
            year_group=5,
        )
        guardian = people.create_guardian(
            acting_user=None, force=world.force, name=f"G{index}", email=f"g{index}@example.com"
        )
        people.link_guardian(acting_user=None, child=child, guardian=guardian)
    for path in ["/children", "/guardians", "/units", "/enrolments", "/consents"]:
        with django_assert_max_num_queries(12):
            assert api.get(path, {"limit": 100}).status_code == 200
