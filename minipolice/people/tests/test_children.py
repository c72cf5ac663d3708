import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.people import services
from minipolice.people.models import Child, Enrolment, Guardian, Guardianship


def test_teacher_adds_a_child_to_a_cohort_and_it_is_audited(world, client_for):
    client = client_for(world.users["teacher"])
    response = client.post(
        f"/cohorts/{world.cohort.pk}/children/new/",
        {"first_name": "Grace", "last_name": "Hopper", "year_group": "6"},
    )
    child = Child.objects.get(last_name="Hopper")
    assert response["Location"] == f"/children/{child.pk}/"
    assert Enrolment.objects.filter(child=child, cohort=world.cohort, left__isnull=True).exists()
    entry = AuditEntry.objects.get(object_type="child", object_id=str(child.pk), action="create")
    assert entry.actor == world.users["teacher"] and entry.force == world.force


def test_year_group_must_be_5_or_6(world, client_for):
    client = client_for(world.users["teacher"])
    response = client.post(
        f"/cohorts/{world.cohort.pk}/children/new/",
        {"first_name": "Tiny", "last_name": "Tim", "year_group": "3"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Child.objects.filter(last_name="Tim").exists()


def test_leader_notes_are_hidden_from_teachers_and_area_leads(world, client_for):
    url = f"/children/{world.child.pk}/"
    assert "hearing aid" in client_for(world.users["leader"]).get(url).content.decode()
    assert "hearing aid" in client_for(world.users["coordinator"]).get(url).content.decode()
    assert "hearing aid" not in client_for(world.users["teacher"]).get(url).content.decode()
    assert "hearing aid" not in client_for(world.users["area_lead"]).get(url).content.decode()


def test_teacher_editing_a_child_cannot_wipe_leader_notes(world, client_for):
    client = client_for(world.users["teacher"])
    client.post(
        f"/children/{world.child.pk}/edit/",
        {"first_name": "Ada", "last_name": "King", "year_group": "5"},
    )
    world.child.refresh_from_db()
    assert world.child.last_name == "King"
    assert world.child.leader_notes == "Uses a hearing aid."


def test_editing_notes_is_audited_without_their_content(world, client_for):
    client = client_for(world.users["leader"])
    client.post(
        f"/children/{world.child.pk}/edit/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "year_group": "5",
            "leader_notes": "Allergic to nuts.",
        },
    )
    entry = AuditEntry.objects.filter(object_type="child", action="update").latest("at")
    assert entry.fields["leader_notes"] == "(changed)"
    assert "nuts" not in str(entry.fields)


def test_move_child_to_another_cohort_keeps_history(world, client_for):
    from minipolice.organisations import services as org

    today = timezone.localdate()
    other = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Year 6",
        start_date=today,
        end_date=today + datetime.timedelta(days=60),
    )
    client = client_for(world.users["leader"])
    response = client.post(
        f"/children/{world.child.pk}/move/", {"from_cohort": world.cohort.pk, "to_cohort": other.pk}
    )
    assert response.status_code == 302
    enrolments = {e.cohort_id: e.left for e in world.child.enrolments.all()}
    assert enrolments[world.cohort.pk] == today and enrolments[other.pk] is None


def test_record_leaving_a_cohort(world, client_for):
    client = client_for(world.users["leader"])
    today = timezone.localdate()
    response = client.post(
        f"/children/{world.child.pk}/leave/", {"cohort": world.cohort.pk, "left": today.isoformat()}
    )
    assert response["Location"] == f"/cohorts/{world.cohort.pk}/"
    assert world.child.enrolments.get(cohort=world.cohort).left == today
    # The unit's leader no longer reaches the child; the force's coordinator still does.
    assert client.get(f"/children/{world.child.pk}/").status_code == 404
    coordinator = client_for(world.users["coordinator"])
    assert "Not in a cohort now" in coordinator.get("/children/").content.decode()


def test_leaving_date_before_joining_is_an_error(world, client_for):
    client = client_for(world.users["leader"])
    too_early = world.child.enrolments.get().joined - datetime.timedelta(days=1)
    response = client.post(
        f"/children/{world.child.pk}/leave/",
        {"cohort": world.cohort.pk, "left": too_early.isoformat()},
    )
    assert response.status_code == 200
    assert "cannot be before" in response.content.decode()
    assert world.child.enrolments.get().left is None


def test_add_guardian_needs_email_or_phone(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/children/{world.child.pk}/guardians/new/"
    response = client.post(
        url, {"name": "Bob Lovelace", "email": "", "phone": "", "relationship": "parent"}
    )
    assert (
        response.status_code == 200
        and "email address or a phone number" in response.content.decode()
    )
    response = client.post(
        url,
        {"name": "Bob Lovelace", "email": "BOB@example.com", "phone": "", "relationship": "carer"},
    )
    assert response.status_code == 302
    link = Guardianship.objects.get(child=world.child, guardian__name="Bob Lovelace")
    assert link.relationship == "carer" and link.guardian.email == "bob@example.com"


def test_a_guardian_whose_link_to_the_child_is_refused_is_not_kept(world, client_for, monkeypatch):
    """Adding a guardian is one step: the guardian and their link to the child. When the link
    fails after the guardian was written, neither is kept (nor audited), and the form says why."""

    def refused(**kwargs):
        raise ValidationError("The link to the child was refused.")

    monkeypatch.setattr(services, "link_guardian", refused)
    client = client_for(world.users["teacher"])
    response = client.post(
        f"/children/{world.child.pk}/guardians/new/",
        {"name": "Bob Lovelace", "email": "bob@example.com", "phone": "", "relationship": "parent"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "The link to the child was refused." in html
    assert list(Guardian.objects.all()) == [world.guardian]
    assert list(Guardianship.objects.values_list("guardian_id", flat=True)) == [world.guardian.pk]
    created = AuditEntry.objects.filter(object_type="guardian", action="create")
    assert list(created.values_list("object_id", flat=True)) == [str(world.guardian.pk)]


def test_guardian_list_and_detail_only_show_visible_children(world, client_for):
    client = client_for(world.users["coordinator"])
    body = client.get("/guardians/").content.decode()
    assert "Ann Lovelace" in body and "Ada Lovelace" in body
    body = client.get(f"/guardians/{world.guardian.pk}/").content.decode()
    assert "ann@example.com" in body


def test_children_list_links_each_child_by_full_name_sorted_by_surname_then_first_name(
    world, client_for
):
    from minipolice.people import services as people

    for first in ("Zoe", "Amir", "Maya"):
        people.add_child_to_cohort(
            acting_user=None,
            cohort=world.cohort,
            first_name=first,
            last_name="Ashworth",
            year_group=5,
        )
    body = client_for(world.users["coordinator"]).get("/children/").content.decode()
    links = re.findall(r'href="/children/\d+/">([^<]+)</a>', body)
    assert links == ["Ashworth, Amir", "Ashworth, Maya", "Ashworth, Zoe", "Lovelace, Ada"]
    descending = client_for(world.users["coordinator"]).get("/children/?sort=-name")
    links = re.findall(r'href="/children/\d+/">([^<]+)</a>', descending.content.decode())
    assert links[0] == "Lovelace, Ada" and links[-1] == "Ashworth, Amir"


# Adding and changing people: no blank choices, and errors that say what to enter.
def _body(response) -> str:
    return html.unescape(response.content.decode())


def test_year_group_has_no_blank_choice_and_none_selected(world, client_for):
    body = _body(client_for(world.users["leader"]).get(f"/cohorts/{world.cohort.pk}/children/new/"))
    assert "---------" not in body
    assert 'name="year_group" type="radio" value=""' not in body
    assert "checked" not in body


def test_empty_child_form_says_what_to_enter(world, client_for):
    response = client_for(world.users["leader"]).post(
        f"/cohorts/{world.cohort.pk}/children/new/", {"first_name": ""}
    )
    body = _body(response)
    assert response.status_code == 200
    for message in [
        "Enter the child's first name",
        "Enter the child's last name",
        "Select the child's year group",
    ]:
        assert message in body
    assert "This field is required" not in body


@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("/children/{child}/guardians/new/", ["Enter the parent or carer's name"]),
        ("/guardians/{guardian}/edit/", ["Enter the parent or carer's name"]),
        ("/children/{child}/move/", ["Select the cohort they are moving to"]),
        ("/children/{child}/leave/", ["Enter the date they left"]),
    ],
)
def test_empty_people_forms_say_what_to_enter(world, client_for, url, messages):
    client = client_for(world.users["coordinator"])
    url = url.format(
        child=world.child.pk, guardian=world.guardian.pk, leader=world.users["leader"].pk
    )
    response = client.post(url, {"name": ""})
    body = _body(response)
    assert response.status_code == 200
    for message in messages:
        assert message in body
    assert "This field is required" not in body


def test_child_page_links_cohort_and_unit_and_says_no_notes_recorded(world, client_for):
    world.child.leader_notes = ""
    world.child.save(update_fields=["leader_notes"])
    body = client_for(world.users["leader"]).get(f"/children/{world.child.pk}/").content.decode()
    assert f'href="/cohorts/{world.cohort.pk}/">Year 5</a>' in body
    assert f'href="/units/{world.unit.pk}/">Hilltop Mini Police</a>' in body
    assert "None recorded" in body
