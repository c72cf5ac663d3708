"""The export for media use asks enforcement: only children whose standing photo consent
covers the chosen use are listed, by first name and initial."""

import csv
import datetime
import io

from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.consent.services import record_consent
from minipolice.people import services as people


def child(world, first, last="Smith", cohort=None):
    return people.add_child_to_cohort(
        acting_user=None,
        cohort=cohort or world.cohort,
        first_name=first,
        last_name=last,
        year_group=5,
    )


def media(child, status="granted", uses=("school_newsletter",), **extra):
    return record_consent(
        acting_user=None,
        child=child,
        kind="media",
        status=status,
        method="paper",
        given_by_name="Paper form",
        media_uses=uses if status == "granted" else (),
        **extra,
    )


def export(client, world, use):
    response = client.post(f"/consent/cohorts/{world.cohort.pk}/media-export/", {"use": use})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return rows[0], [row[0] for row in rows[1:]]


def test_only_children_whose_consent_covers_the_use_are_listed(world, client_for):
    now = timezone.now()
    media(world.child, uses=("school_newsletter", "press"))  # Ada Lovelace: yes
    media(child(world, "Noconsent"), status="refused")
    withdrawn = child(world, "Changed")
    media(withdrawn, given_at=now - datetime.timedelta(days=5))
    media(withdrawn, status="withdrawn")
    media(child(world, "Lapsed"), expires=timezone.localdate() - datetime.timedelta(days=1))
    media(child(world, "Internal"), uses=("internal",))
    child(world, "Unanswered")
    media(child(world, "Bo", cohort=world.other_cohort))  # another force's cohort
    header, names = export(client_for(world.users["teacher"]), world, "school_newsletter")
    assert header == ["Name", "Photos may be used for"]
    assert names == ["Ada L."]


def test_the_list_is_first_name_and_initial_only(world, client_for):
    media(world.child)
    response = client_for(world.users["leader"]).post(
        f"/consent/cohorts/{world.cohort.pk}/media-export/", {"use": "school_newsletter"}
    )
    assert "Lovelace" not in response.content.decode()
    assert "Ada L." in response.content.decode()


def test_a_child_who_left_the_cohort_is_not_listed(world, client_for):
    media(world.child)
    people.leave_cohort(acting_user=None, enrolment=world.child.enrolments.get())
    _, names = export(client_for(world.users["teacher"]), world, "school_newsletter")
    assert names == []


def test_the_export_is_audited_with_its_use(world, client_for):
    media(world.child)
    child(world, "Unanswered")
    export(client_for(world.users["teacher"]), world, "school_newsletter")
    entry = AuditEntry.objects.get(action="export", object_type="cohort")
    assert entry.actor == world.users["teacher"] and entry.force == world.force
    assert entry.fields == {"use": "school_newsletter", "children": 1, "left_out": 1}


def test_a_spreadsheet_cannot_read_a_name_as_a_formula(world, client_for):
    media(child(world, "=HYPERLINK(1)", "Evil"))
    _, names = export(client_for(world.users["teacher"]), world, "school_newsletter")
    assert names == ["'=HYPERLINK(1) E."]


def test_choosing_no_use_shows_an_error(world, client_for):
    response = client_for(world.users["teacher"]).post(
        f"/consent/cohorts/{world.cohort.pk}/media-export/", {}
    )
    assert response.status_code == 200
    assert "Choose where the photos will be used" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()
