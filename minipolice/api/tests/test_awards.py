"""/api/v1/awards: the same scoping as the pages; counts only for funders and national viewers."""

import pytest

from minipolice.audit.models import AuditEntry
from minipolice.awards import services
from minipolice.awards.models import Award
from minipolice.awards.tests.helpers import attend, held_sessions


def _special(world, child=None):
    return services.give_special_award(
        acting_user=world.users["leader"],
        child=child or world.child,
        cohort=world.cohort,
        title="Community Champion",
        citation="For the litter pick",
    )


def test_staff_list_and_read_the_awards_they_may_see(world, api_as):
    award = _special(world)
    for role in ("coordinator", "area_lead", "leader", "teacher"):
        api = api_as(world.users[role])
        listed = api.get("/awards")
        assert listed.status_code == 200, role
        body = listed.json()
        assert body["count"] == 1 and body["items"][0]["id"] == award.pk
        item = api.get(f"/awards/{award.pk}").json()
        assert item["child"] == world.child.pk and item["unit"] == world.unit.pk
        assert item["certificate"]["status"] == "valid"
        assert item["certificate"]["code"] == award.certificates.get().code


def test_another_forces_coordinator_gets_404_and_an_empty_list(world, api_as):
    award = _special(world)
    api = api_as(world.users["outsider"])
    assert api.get(f"/awards/{award.pk}").status_code == 404
    assert api.get("/awards").json()["count"] == 0


@pytest.mark.parametrize("persona", ["funder", "national", "guardian"])
def test_aggregate_roles_and_guardians_never_get_a_named_award(world, api_as, persona):
    award = _special(world)
    api = api_as(world.users[persona])
    assert api.get("/awards").status_code == 403
    assert api.get(f"/awards/{award.pk}").status_code == 403


@pytest.mark.parametrize("persona", ["funder", "national"])
def test_funders_and_national_viewers_get_rounded_counts(world, api_as, persona):
    sessions = held_sessions(world.cohort, 1)
    attend(sessions, world.child, 1)
    job = services.start_bulk_issue(acting_user=None, cohort=world.cohort, base_url="http://t/")
    services.run_bulk_issue(job_id=job.pk)
    body = api_as(world.users[persona]).get("/awards/totals").json()
    assert body == [
        {
            "force": "Testshire Police",
            "kind": "completion",
            "title": "Mini Police completion",
            "awards": None,
            "children": None,
        }
    ]
    assert "Ada" not in str(body)


def test_a_leader_gives_a_special_award_through_the_api(world, api_as):
    api = api_as(world.users["leader"])
    response = api.post(
        "/awards",
        {"child": world.child.pk, "cohort": world.cohort.pk, "title": "Road Safety Hero"},
    )
    assert response.status_code == 201, response.content
    award = Award.objects.get()
    assert response.json()["id"] == award.pk and award.kind == "special"
    assert AuditEntry.objects.filter(object_type="award", object_id=str(award.pk)).exists()


def test_bad_input_gets_a_400_with_a_reason(world, api_as):
    api = api_as(world.users["leader"])
    response = api.post(
        "/awards", {"child": world.other_child.pk, "cohort": world.cohort.pk, "title": "Star"}
    )
    assert response.status_code == 400
    assert "child" in response.json()["errors"]
    empty = api.post("/awards", {"child": world.child.pk, "cohort": world.cohort.pk, "title": ""})
    assert empty.status_code == 400 and "title" in empty.json()["errors"]
    assert not Award.objects.exists()


def test_teachers_cannot_give_awards(world, api_as):
    response = api_as(world.users["teacher"]).post(
        "/awards", {"child": world.child.pk, "cohort": world.cohort.pk, "title": "Star"}
    )
    assert response.status_code == 403
