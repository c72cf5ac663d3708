"""Erasure on request: a coordinator anonymises a child or a guardian now, with the reason in
the audit log."""

from django.core import mail

from minipolice.audit.models import AuditEntry
from minipolice.consent.tests.conftest import link_in
from minipolice.people import services as people
from minipolice.people.models import Child, Guardian


def test_coordinator_erases_a_child_and_their_only_childs_guardian(world, client_for):
    client = client_for(world.users["coordinator"])
    page = client.get(f"/children/{world.child.pk}/erase/").content.decode()
    assert "Ann Lovelace" in page  # named as erased too
    response = client.post(
        f"/children/{world.child.pk}/erase/", {"reason": "Parent asked by email on 3 March"}
    )
    assert response["Location"] == "/children/"
    child = Child.objects.get(pk=world.child.pk)
    assert (child.first_name, child.last_name, child.leader_notes) == ("Anonymised", "", "")
    guardian = Guardian.objects.get(pk=world.guardian.pk)
    assert (guardian.name, guardian.email) == ("Anonymised", "")
    entry = AuditEntry.objects.get(object_type="child", fields__anonymised="erasure")
    assert entry.fields["reason"] == "Parent asked by email on 3 March"
    assert entry.actor == world.users["coordinator"]
    assert "Ada" not in entry.object_label
    assert client.get(f"/children/{world.child.pk}/").status_code == 404
    assert child.enrolments.exists()  # still counted


def test_a_guardian_with_another_child_is_kept(world, client_for):
    sibling = people.add_child_to_cohort(
        acting_user=None,
        cohort=world.cohort,
        first_name="Byron",
        last_name="Lovelace",
        year_group=6,
    )
    people.link_guardian(acting_user=None, child=sibling, guardian=world.guardian)
    client_for(world.users["coordinator"]).post(
        f"/children/{world.child.pk}/erase/", {"reason": "Request"}
    )
    world.guardian.refresh_from_db()
    assert world.guardian.anonymised_at is None


def test_erasure_needs_a_reason(world, client_for):
    response = client_for(world.users["coordinator"]).post(
        f"/children/{world.child.pk}/erase/", {"reason": ""}
    )
    assert "Enter the reason for erasing this data" in response.content.decode()
    world.child.refresh_from_db()
    assert world.child.anonymised_at is None


def test_only_coordinators_may_erase(world, client_for):
    for role in ("teacher", "leader", "area_lead"):
        response = client_for(world.users[role]).post(
            f"/children/{world.child.pk}/erase/", {"reason": "No"}
        )
        assert response.status_code == 403
    world.child.refresh_from_db()
    assert world.child.anonymised_at is None


def test_erasing_a_guardian_ends_their_portal_links(world, client_for, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    link = link_in(mail.outbox[-1])
    client_for(world.users["coordinator"]).post(
        f"/guardians/{world.guardian.pk}/erase/", {"reason": "Moved away, asked to be removed"}
    )
    world.guardian.refresh_from_db()
    assert world.guardian.anonymised_at is not None and world.guardian.phone == ""
    world.child.refresh_from_db()
    assert world.child.anonymised_at is None  # their child's record stays
    client.logout()
    assert "This link does not work" in client.get(link).content.decode()
    user = world.users["guardian"]
    user.refresh_from_db()
    assert not user.is_active
