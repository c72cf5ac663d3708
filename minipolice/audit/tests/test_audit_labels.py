"""The audit log names record types and fields in words."""

import html

from django.utils import timezone

from minipolice.organisations.models import Unit


def _body(client, url="/audit/") -> str:
    return html.unescape(client.get(url).content.decode())


def test_audit_log_names_record_types_and_fields_in_words(world, client_for):
    client = client_for(world.users["coordinator"])
    second = Unit.objects.create(
        school=world.school, name="Second", status="active", status_since=timezone.localdate()
    )
    client.post(f"/units/{second.pk}/leaders/", {"leader": world.users["leader"].pk})
    client.post(
        f"/units/{world.unit.pk}/status/",
        {"to_status": "paused", "changed_on": f"{timezone.localdate():%Y-%m-%d}"},
    )
    body = _body(client)
    assert "Role assignment: " in body
    assert "roleassignment" not in body
    assert "Unit: Hilltop Mini Police" in body
    assert "Changed on" in body and "changed_on" not in body


def test_audit_log_keeps_children_by_number_beside_their_current_name(world, client_for):
    client = client_for(world.users["coordinator"])
    body = _body(client, "/audit/?q=child")
    assert f"Child #{world.child.pk} (" in body
    assert "Child: Child #" not in body
    assert f'href="/children/{world.child.pk}/">Ada Lovelace</a>' in body
