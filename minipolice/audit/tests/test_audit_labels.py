"""The audit log names record types and fields in words."""

import datetime
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.audit.services import PERSONAL_OBJECTS, record_audit
from minipolice.delivery.tests.helpers import session_on
from minipolice.organisations import services as org
from minipolice.organisations.models import Unit
from minipolice.people.models import Child, ClassListImport, Guardian


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


# Records about children and parents, made through the pages: the audit service alone names them.
CHILD_NAMES = ("Zebedee", "Quillfeather")
PARENT_NAMES = ("Ottoline", "ottoline@example.com", "Perpetua", "perpetua@example.com")
CLASS_LIST = (
    "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"
    "Zebedee,Quillfeather,5,Perpetua Quillfeather,perpetua@example.com,\n"
)


def test_entries_about_children_and_parents_are_labelled_by_number_without_names(
    world, client_for, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    today = timezone.localdate()
    teacher = client_for(world.users["teacher"])
    teacher.post(
        f"/cohorts/{world.cohort.pk}/children/new/",
        {"first_name": "Zebedee", "last_name": "Quillfeather", "year_group": "5"},
    )
    child = Child.objects.get(first_name="Zebedee")
    teacher.post(
        f"/children/{child.pk}/guardians/new/",
        {
            "name": "Ottoline Quillfeather",
            "email": "ottoline@example.com",
            "relationship": "parent",
        },
    )
    guardian = Guardian.objects.get(name="Ottoline Quillfeather")
    teacher.post(
        f"/consent/children/{child.pk}/record/",
        {
            "kind": "participation",
            "status": "granted",
            "given_by": str(guardian.pk),
            "given_on": today.isoformat(),
        },
    )
    teacher.post(
        f"/children/{child.pk}/edit/",
        {
            "first_name": "Zebedee",
            "last_name": "Quillfeather",
            "year_group": "6",
            "leader_notes": "Zebedee Quillfeather needs a quiet corner.",
        },
    )
    session = session_on(world.cohort)
    leader = client_for(world.users["leader"])
    leader.post(f"/sessions/{session.pk}/register/{child.pk}/", {"status": "present"})
    coordinator = client_for(world.users["coordinator"])
    coordinator.get(f"/children/{child.pk}/export.json")
    coordinator.get(f"/guardians/{guardian.pk}/export.json")
    teacher.post(
        f"/children/{child.pk}/leave/", {"cohort": world.cohort.pk, "left": today.isoformat()}
    )
    other = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Year 6 list",
        start_date=today,
        end_date=today + datetime.timedelta(days=100),
    )
    teacher.post(
        f"/cohorts/{other.pk}/import/",
        {"file": SimpleUploadedFile("class.csv", CLASS_LIST.encode())},
    )
    teacher.post(f"/cohorts/{other.pk}/import/", {"import": ClassListImport.objects.get().pk})
    assert Guardian.objects.filter(name="Perpetua Quillfeather").exists()  # the list was imported

    kinds = {}
    for entry in AuditEntry.objects.filter(object_type__in=PERSONAL_OBJECTS):
        kinds.setdefault(entry.object_type, set()).add(entry.action)
        model = ContentType.objects.get(model=entry.object_type).model_class()
        assert entry.object_label == f"{model._meta.verbose_name.capitalize()} #{entry.object_id}"
    assert kinds.keys() >= {"child", "guardian", "guardianship", "enrolment", "consent"}
    assert "attendance" in kinds
    assert {"create", "update", "export"} <= kinds["child"]
    assert {"create", "update"} <= kinds["enrolment"]
    assert "export" in kinds["guardian"]
    # No entry, about whatever record, keeps their names or addresses.
    for entry in AuditEntry.objects.all():
        stored = f"{entry.object_label} {entry.fields}"
        for name in (*CHILD_NAMES, *PARENT_NAMES):
            assert name not in stored, (entry.object_type, entry.action, stored)


def test_a_label_for_a_record_about_a_child_or_parent_is_refused(world):
    with pytest.raises(ValueError, match="labelled by the audit service"):
        record_audit(acting_user=None, action="update", obj=world.child, label="Ada Lovelace")
    entry = record_audit(acting_user=None, action="update", obj=world.cohort, label="Year 5 list")
    assert entry.object_label == "Year 5 list"
