"""PUT /sessions/{id}/attendance: the register in one go, through the same service as the
page's taps (delivery.services.record_register): all or nothing, reasons per mark."""

import datetime

import pytest

from minipolice.audit.models import AuditEntry
from minipolice.delivery.models import Attendance
from minipolice.delivery.tests.helpers import add_children, grant_participation, session_on


@pytest.fixture
def api(world, api_as):
    return api_as(world.users["leader"])


def _marks(*pairs):
    return [{"child": child.pk, "status": status} for child, status in pairs]


def test_a_whole_register_is_recorded_and_finished_in_one_request(world, api):
    grant_participation(world.child)
    kids = add_children(world.cohort, 2)
    session = session_on(world.cohort)

    response = api.put(
        f"/sessions/{session.pk}/attendance",
        {"marks": _marks((world.child, "present"), (kids[0], "excused")), "mark_rest_absent": True},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["present"], body["excused"], body["absent"], body["unmarked"]) == (1, 1, 1, 0)
    marks = dict(Attendance.objects.filter(session=session).values_list("child_id", "status"))
    assert marks == {world.child.pk: "present", kids[0].pk: "excused", kids[1].pk: "absent"}
    assert AuditEntry.objects.filter(object_type="attendance").count() == 3


def test_one_refused_mark_changes_nothing_and_is_named_by_its_position(world, api):
    kids = add_children(world.cohort, 1)
    session = session_on(world.cohort)  # world.child has no participation consent

    response = api.put(
        f"/sessions/{session.pk}/attendance",
        {"marks": _marks((kids[0], "present"), (world.child, "present")), "mark_rest_absent": True},
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["marks.1"]
    assert "cannot be marked present" in errors["marks.1"][0]
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(object_type="attendance").exists()


def test_a_child_listed_twice_or_not_on_the_register_is_a_400(world, api):
    grant_participation(world.child)
    session = session_on(world.cohort)

    twice = api.put(
        f"/sessions/{session.pk}/attendance",
        {"marks": _marks((world.child, "present"), (world.child, "absent"))},
    )
    stranger = api.put(
        f"/sessions/{session.pk}/attendance",
        {"marks": _marks((world.child, "present"), (world.other_child, "absent"))},
    )

    assert twice.status_code == stranger.status_code == 400
    assert twice.json()["errors"] == {"marks.1": ["This child is listed twice."]}
    assert stranger.json()["errors"] == {
        "marks.1": ["This child is not on this session's register."]
    }
    assert not Attendance.objects.exists()


def test_a_register_not_open_yet_refuses_every_mark(world, api):
    grant_participation(world.child)
    session = session_on(world.cohort, world.cohort.start_date + datetime.timedelta(days=60))

    response = api.put(
        f"/sessions/{session.pk}/attendance", {"marks": _marks((world.child, "absent"))}
    )

    assert response.status_code == 400
    assert "The register opens on the day of the session" in response.json()["detail"]
    assert not Attendance.objects.exists()
