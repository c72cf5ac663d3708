"""POST /guardians: the guardian and the link to the child in one step, through the same
service as the page (people.services.create_and_link_guardian)."""

from django.core.exceptions import ValidationError

from minipolice.audit.models import AuditEntry
from minipolice.people import services
from minipolice.people.models import Guardian, Guardianship

NEW = {"name": "Bob Lovelace", "email": "BOB@example.com", "relationship": "carer"}


def test_a_new_guardian_is_linked_to_the_child(world, api_as):
    response = api_as(world.users["teacher"]).post("/guardians", {"child": world.child.pk, **NEW})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "bob@example.com"
    assert body["children"] == [{"child": world.child.pk, "relationship": "carer"}]
    link = Guardianship.objects.get(guardian_id=body["id"])
    assert link.child == world.child and link.relationship == "carer"


def test_a_guardian_whose_link_is_refused_is_not_kept(world, api_as, monkeypatch):
    def refused(**kwargs):
        raise ValidationError("The link to the child was refused.")

    monkeypatch.setattr(services, "link_guardian", refused)

    response = api_as(world.users["teacher"]).post("/guardians", {"child": world.child.pk, **NEW})

    assert response.status_code == 400
    assert response.json()["detail"] == "The link to the child was refused."
    assert list(Guardian.objects.all()) == [world.guardian]
    created = AuditEntry.objects.filter(object_type="guardian", action="create")
    assert list(created.values_list("object_id", flat=True)) == [str(world.guardian.pk)]
