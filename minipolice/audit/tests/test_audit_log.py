import html

import pytest

from minipolice.audit.models import AuditEntry


def test_audit_entries_cannot_be_changed_or_deleted(world):
    entry = AuditEntry.objects.first()
    entry.object_label = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(object_label="x")


def test_coordinator_sees_who_changed_what_in_their_force_only(world, client_for):
    client = client_for(world.users["coordinator"])
    client.post(
        f"/children/{world.child.pk}/edit/",
        {"first_name": "Ada", "last_name": "Byron", "year_group": "5", "leader_notes": ""},
    )
    body = client.get("/audit/?action=update").content.decode()
    assert "coord@example.org" in body and f"Child #{world.child.pk}" in body
    assert "Ada Byron" in body  # the current name, looked up, not stored in the entry
    body = client.get("/audit/?q=Outside").content.decode()
    assert "Bo Outside" not in body  # another force's child


def test_audit_log_filters_by_action(world, client_for):
    body = client_for(world.users["coordinator"]).get("/audit/?action=export").content.decode()
    assert "No entries found" in body


def test_audit_entries_keep_no_names_or_contact_details_after_erasure(world):
    from minipolice.audit.models import AuditEntry
    from minipolice.people import services as people

    people.update_guardian(acting_user=None, guardian=world.guardian, phone="07700 900999")
    stored = " ".join(f"{e.object_label} {e.fields}" for e in AuditEntry.objects.all())
    for secret in ("Lovelace", "ann@example.com", "07700 900999", "hearing aid"):
        assert secret not in stored


# Searching, sorting, filtering and paging a list keep each other's choices.
def test_audit_action_links_keep_the_search(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/audit/?q=Lovelace&action=create")
    assert 'href="?q=Lovelace&action=update"' in body
    assert '<strong aria-current="true">created</strong>' in body
    assert '<input type="hidden" name="action" value="create">' in body


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())
