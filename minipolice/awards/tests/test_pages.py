"""The awards pages: lists with a fixed number of queries, scoping by role, special awards."""

import csv
import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from minipolice.audit.models import AuditEntry
from minipolice.awards import services
from minipolice.awards.models import Award
from minipolice.awards.tests.helpers import add_child, attend, held_sessions
from minipolice.organisations import services as org
from minipolice.people import services as people


def _special(world, child, title="Community Champion"):
    return services.give_special_award(
        acting_user=world.users["leader"],
        child=child,
        cohort=world.cohort,
        title=title,
        citation="For the litter pick",
    )


def _children(world, n):
    return [add_child(world.cohort, f"Kid{i}") for i in range(n)]


AWARD_LIST_QUERIES = 6
COHORT_AWARDS_QUERIES = 13


@pytest.mark.parametrize("rows", [1, 50])
def test_award_list_costs_the_same_queries_for_1_and_50_awards(
    world, client_for, django_assert_num_queries, rows
):
    for child in [world.child, *_children(world, rows - 1)]:
        _special(world, child)
    client = client_for(world.users["coordinator"])
    client.get("/")
    with django_assert_num_queries(AWARD_LIST_QUERIES):
        response = client.get(reverse("awards:award_list"))
    assert response.status_code == 200
    assert response.content.decode().count("Community Champion") == min(rows, settings.PAGE_SIZE)


@pytest.mark.parametrize("rows", [1, 50])
def test_cohort_awards_costs_the_same_queries_for_1_and_50_children(
    world, client_for, django_assert_num_queries, rows
):
    sessions = held_sessions(world.cohort, 1)
    children = [world.child, *_children(world, rows - 1)]
    for child in children:
        attend(sessions, child, 1)
        _special(world, child)
    client = client_for(world.users["leader"])
    client.get("/")
    with django_assert_num_queries(COHORT_AWARDS_QUERIES):
        response = client.get(reverse("awards:cohort_awards", args=[world.cohort.pk]))
    assert response.content.decode().count(">1 of 1<") == rows


def test_leader_gives_a_special_award_with_its_certificate_audited_by_id(world, client_for):
    client = client_for(world.users["leader"])
    url = reverse("awards:special_award", args=[world.cohort.pk])
    page = client.get(url).content.decode()
    assert "Ada Lovelace" in page
    response = client.post(
        url,
        {"child": world.child.pk, "title": "Community Champion", "citation": "For the litter pick"},
    )
    award = Award.objects.get()
    assert response.status_code == 302 and response.url == award.get_absolute_url()
    assert (award.kind, award.given_by, award.certificates.get().status) == (
        "special",
        world.users["leader"],
        "valid",
    )
    entry = AuditEntry.objects.get(object_type="award")
    assert entry.fields["child_id"] == world.child.pk and "Ada" not in str(entry.fields)
    detail = client.get(award.get_absolute_url()).content.decode()
    assert "For the litter pick" in detail and "Download the certificate" in detail
    assert "Revoke" not in detail  # leaders give awards; coordinators and area leads revoke


def test_special_award_form_errors_show_in_an_error_summary(world, client_for):
    client = client_for(world.users["leader"])
    url = reverse("awards:special_award", args=[world.cohort.pk])
    response = client.post(url, {"child": "", "title": ""})
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Select the child who gets the award" in text and "Enter the name of the award" in text
    assert not Award.objects.exists()


def test_a_child_of_another_unit_cannot_be_given_an_award_here(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        reverse("awards:special_award", args=[world.cohort.pk]),
        {"child": world.other_child.pk, "title": "Star"},
    )
    assert "Select a child in this cohort" in response.content.decode()
    assert not Award.objects.exists()


def test_teacher_sees_the_schools_awards_read_only(world, client_for):
    award = _special(world, world.child)
    client = client_for(world.users["teacher"])
    assert "Ada Lovelace" in client.get(reverse("awards:award_list")).content.decode()
    detail = client.get(award.get_absolute_url()).content.decode()
    assert "Issue again" not in detail and "Revoke" not in detail
    assert client.get(reverse("awards:special_award", args=[world.cohort.pk])).status_code == 403


def test_leader_of_another_unit_sees_neither_the_award_nor_the_cohort(world, client_for):
    award = _special(world, world.child)
    unit = org.create_unit(acting_user=None, school=world.school, name="Second unit")
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Other",
        start_date=world.cohort.start_date,
        end_date=world.cohort.end_date,
    )
    from minipolice.accounts.models import Role
    from minipolice.accounts.services import assign_role

    other_leader = world.users["lapsed_leader"]
    other_leader.role_assignments.all().delete()
    assign_role(acting_user=None, user=other_leader, role=Role.UNIT_LEADER, unit=unit)
    from conftest import _clear

    _clear(other_leader, world.cohort.start_date)
    client = client_for(other_leader)
    assert client.get(award.get_absolute_url()).status_code == 404
    assert client.get(reverse("awards:certificate_pdf", args=[award.pk])).status_code == 404
    assert "Ada" not in client.get(reverse("awards:award_list")).content.decode()
    assert client.get(reverse("awards:cohort_awards", args=[cohort.pk])).status_code == 200


def test_a_child_who_left_the_unit_drops_out_of_the_leaders_awards(world, client_for):
    award = _special(world, world.child)
    people.leave_cohort(acting_user=None, enrolment=world.child.enrolments.get())
    client = client_for(world.users["leader"])
    assert client.get(award.get_absolute_url()).status_code == 404
    # The coordinator keeps the force's record.
    client.logout()
    assert client_for(world.users["coordinator"]).get(award.get_absolute_url()).status_code == 200


def test_funders_and_national_viewers_see_rounded_counts_and_never_a_name(world, client_for):
    sessions = held_sessions(world.cohort, 1)
    children = [world.child, *_children(world, 6)]
    for child in children:
        attend(sessions, child, 1)
    job = services.start_bulk_issue(acting_user=None, cohort=world.cohort, base_url="http://t/")
    services.run_bulk_issue(job_id=job.pk)
    _special(world, world.child)
    for role in ("funder", "national"):
        client = client_for(world.users[role])
        assert client.get(reverse("awards:award_list")).status_code == 403
        text = client.get(reverse("awards:award_totals")).content.decode()
        assert "Testshire Police" in text
        assert ">5<" in text  # 7 completion awards, rounded to 5
        assert "fewer than 5" in text  # 1 special award
        assert "Ada" not in text and "Kid" not in text
        client.logout()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_award_totals_download_as_the_page_shows_them(world, client_for, fmt):
    sessions = held_sessions(world.cohort, 1)
    children = [world.child, *_children(world, 6)]
    for child in children:
        attend(sessions, child, 1)
    job = services.start_bulk_issue(acting_user=None, cohort=world.cohort, base_url="http://t/")
    services.run_bulk_issue(job_id=job.pk)
    _special(world, world.child)
    response = client_for(world.users["funder"]).get(
        reverse("awards:award_totals"), {"format": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode())))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Force", "Award", "Awards", "Children"]
    cells = {(r[0], r[2], r[3]) for r in rows[1:]}
    assert ("Testshire Police", "5", "5") in cells  # 7 completion awards, rounded
    assert ("Testshire Police", "fewer than 5", "fewer than 5") in cells
    assert "Ada" not in str(rows) and "Kid" not in str(rows)


def test_a_parent_downloads_their_own_childs_certificate_in_the_portal(world, client_for):
    award = _special(world, world.child)
    other = services.give_special_award(
        acting_user=None,
        child=world.other_child,
        cohort=world.other_cohort,
        title="Star",
        citation="",
    )
    client = client_for(world.users["guardian"])
    listed = client.get(reverse("awards:portal_certificates")).content.decode()
    assert "Ada: Community Champion" in listed and "Star" not in listed
    download = client.get(reverse("awards:portal_certificate_pdf", args=[award.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client.get(reverse("awards:portal_certificate_pdf", args=[other.pk])).status_code == 404
    entry = AuditEntry.objects.get(action="export", object_type="certificate")
    assert entry.actor == world.users["guardian"] and entry.fields["child_id"] == world.child.pk


def test_the_coordinator_uploads_the_signature_on_the_settings_page(
    world, client_for, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.users["coordinator"])
    url = reverse("awards:certificate_settings")
    fields = {
        "chief_constable_name": "CC Test",
        "brand_colour": "#123456",
        "completion_threshold": "80",
        "event_children_per_adult": "6",
    }
    bad = client.post(url, {**fields, "signature": SimpleUploadedFile("s.png", b"not an image")})
    assert "The signature must be a PNG or JPEG image" in bad.content.decode()
    out = io.BytesIO()
    Image.new("RGBA", (3000, 1000), (0, 0, 0, 255)).save(out, "PNG")
    response = client.post(
        url, {**fields, "signature": SimpleUploadedFile("s.png", out.getvalue())}
    )
    assert response.status_code == 302
    world.force.refresh_from_db()
    assert world.force.chief_constable_name == "CC Test"
    with world.force.chief_constable_signature.open("rb") as stored:
        assert Image.open(stored).size == (1200, 400)  # kept small for the PDFs
    entry = AuditEntry.objects.get(object_type="force", action="update")
    assert entry.fields["chief_constable_signature"] == "(uploaded)"
    wrong = client.post(url, {**fields, "completion_threshold": "150", "brand_colour": "blue"})
    text = wrong.content.decode()
    assert "Enter a percentage from 1 to 100" in text and "Enter a colour like #1d3f73" in text


def test_the_coordinator_sets_the_event_ratio_on_the_settings_page(world, client_for):
    """The children-per-adult ratio events must meet: 1 to 30, audited, used by events."""
    client = client_for(world.users["coordinator"])
    url = reverse("awards:certificate_settings")
    page = client.get(url).content.decode()
    assert "Certificate and event settings" in page and 'value="6"' in page
    fields = {"chief_constable_name": "", "brand_colour": "#1d3f73", "completion_threshold": "75"}
    for wrong in ("0", "31"):
        response = client.post(url, {**fields, "event_children_per_adult": wrong})
        assert "Enter a number from 1 to 30" in response.content.decode()
        assert 'class="govuk-error-summary' in response.content.decode()
    missing = client.post(url, fields).content.decode()
    assert "Enter how many children one adult can look after at an event" in missing
    world.force.refresh_from_db()
    assert world.force.event_children_per_adult == 6
    assert client.post(url, {**fields, "event_children_per_adult": "8"}).status_code == 302
    world.force.refresh_from_db()
    assert world.force.event_children_per_adult == 8
    entry = AuditEntry.objects.get(object_type="force", action="update")
    assert entry.fields == {"event_children_per_adult": [6, 8]}
    assert entry.actor == world.users["coordinator"]


@pytest.mark.parametrize("role", ["area_lead", "leader", "teacher", "funder"])
def test_only_the_coordinator_changes_the_event_ratio(world, client_for, role):
    fields = {
        "brand_colour": "#1d3f73",
        "completion_threshold": "75",
        "event_children_per_adult": "20",
    }
    response = client_for(world.users[role]).post(reverse("awards:certificate_settings"), fields)
    assert response.status_code == 403
    world.force.refresh_from_db()
    assert world.force.event_children_per_adult == 6


@pytest.mark.parametrize("welsh_force", [True, False])
def test_a_welsh_forces_certificates_are_bilingual_welsh_first(world, client_for, welsh_force):
    """A force flagged Welsh-language prints every certificate in Welsh with English beside it,
    whoever downloads it and in whatever language their pages are."""
    from minipolice.lib.tests.pdf_text import pdf_text

    world.force.welsh_language = welsh_force
    world.force.save(update_fields=["welsh_language"])
    award = _special(world, world.child)
    client = client_for(world.users["coordinator"])
    download = client.get(reverse("awards:certificate_pdf", args=[award.pk]))
    assert download.status_code == 200
    text = pdf_text(download.content)
    assert "Community Champion" in text  # typed by the leader: printed as typed
    if welsh_force:
        assert "Heddlu Bach · Mini Police" in text and "cyflwynwyd i · presented to" in text
    else:
        assert "presented to" in text and "Heddlu" not in text


def test_the_awards_pages_are_in_welsh_for_a_welsh_speaker(world, client_for):
    _special(world, world.child)
    client = client_for(world.users["coordinator"])
    page = client.get(
        reverse("awards:cohort_awards", args=[world.cohort.pk]), HTTP_ACCEPT_LANGUAGE="cy"
    ).content.decode()
    assert "Gwobrau a thystysgrifau" in page and "Awards and certificates" not in page
    assert '<html lang="cy"' in page
