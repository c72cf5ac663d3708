"""Two leaders (or two taps on two phones) marking the same child at the same moment.

The register stores one Attendance per child and session. Two first marks at once must both be
answered cleanly and leave one row, audited once per change. The threaded tests need a database
that takes concurrent writers: PostgreSQL. The error shown when a save fails is tested here
server side and in tests/browser/test_register_errors.py in Chromium.
"""

import pytest
from django.db import connection

from conftest import build_world
from minipolice.audit.models import AuditEntry
from minipolice.delivery import services
from minipolice.delivery.models import Attendance
from minipolice.delivery.tests.helpers import add_children, grant_participation, session_on
from minipolice.lib.tests.threads import at_once, signed_in_client

HTMX = {"HTTP_HX_REQUEST": "true"}
NEEDS_POSTGRESQL = (
    "Needs PostgreSQL: SQLite takes one writer at a time (BEGIN IMMEDIATE), so two marks "
    "cannot overlap there. Run with DATABASE_URL=postgres://..."
)


def _mark(client, session, child, status):
    return lambda: client.post(
        f"/sessions/{session.pk}/register/{child.pk}/", {"status": status}, **HTMX
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statuses", [("present", "present"), ("present", "absent")])
def test_two_first_marks_of_one_child_at_once_both_answer_and_leave_one_row(statuses):
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    world = build_world()
    kids = add_children(world.cohort, 5)
    session = session_on(world.cohort)
    clients = [signed_in_client(world.users["leader"]), signed_in_client(world.users["teacher"])]

    for kid in kids:  # five rounds, each a first mark of a child nobody has marked yet
        responses = at_once(
            *(_mark(c, session, kid, s) for c, s in zip(clients, statuses, strict=True))
        )

        assert [getattr(r, "status_code", r) for r in responses] == [200, 200], kid
        for response in responses:
            assert "govuk-error-message" not in response.content.decode()
        attendance = Attendance.objects.get(session=session, child=kid)
        assert attendance.status in statuses
        changes = sorted(
            (entry.action, tuple(entry.fields["status"]))
            for entry in AuditEntry.objects.filter(
                object_type="attendance", object_id=str(attendance.pk)
            )
        )
        if statuses[0] == statuses[1]:
            assert changes == [("create", (None, "present"))]
        else:
            # One created the mark, the other changed it: the later one wins.
            created = changes[0][1][1]
            later = statuses[1] if created == statuses[0] else statuses[0]
            assert changes == [("create", (None, created)), ("update", (created, later))]
            assert attendance.status == later


@pytest.mark.django_db(transaction=True)
def test_finishing_the_register_while_a_child_is_marked_keeps_both_answers():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    world = build_world()
    kids = add_children(world.cohort, 20)
    session = session_on(world.cohort)
    leader, teacher = world.users["leader"], world.users["teacher"]

    results = at_once(
        lambda: services.mark_rest_absent(acting_user=leader, session=session),
        *(
            (
                lambda kid=kid: services.record_attendance(
                    acting_user=teacher, session=session, child=kid, status="present"
                )
            )
            for kid in kids[:5]
        ),
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert Attendance.objects.filter(session=session).count() == 21
    statuses = dict(Attendance.objects.filter(session=session).values_list("child_id", "status"))
    assert {statuses[k.pk] for k in kids[5:]} == {"absent"}
    # Marked before the finish reached them, or marked absent by it and then present.
    assert {statuses[k.pk] for k in kids[:5]} == {"present"}
    created_absent = [
        entry
        for entry in AuditEntry.objects.filter(object_type="attendance", action="create")
        if entry.fields["status"] == [None, "absent"]
    ]
    assert results[0] == len(created_absent)  # the count it reports is what it wrote


def test_register_page_has_a_hidden_alert_for_a_save_that_fails(world, client_for):
    grant_participation(world.child)
    session = session_on(world.cohort)
    page = client_for(world.users["leader"]).get(f"/sessions/{session.pk}/").content.decode()

    assert 'id="register-error"' in page
    start = page.index('id="register-error"')
    box = page[page.rindex("<div", 0, start) : page.index("</ul>", start)]
    assert "govuk-error-summary" in box and " hidden" in box
    assert 'role="alert"' in box
    assert "The mark was not saved. Check your connection and try again." in box
    # Every row's form names the box its failures are shown in (frontend/js/app.js).
    assert page.count('data-mp-request-error="register-error"') == 1
