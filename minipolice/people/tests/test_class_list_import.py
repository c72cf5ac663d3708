"""Class-list import for a cohort, through HTTP as a teacher or leader would use it.

Confirming queues a background task; here tasks run at once (ImmediateBackend), so the confirm
redirects to a progress page that already shows the result. test_class_list_import_progress.py
covers the progress page, the database backend and its worker.
"""

import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import Workbook

from minipolice.audit.models import AuditEntry
from minipolice.organisations import services as org
from minipolice.people import classlist, services
from minipolice.people.models import (
    Child,
    ClassListImport,
    Enrolment,
    Guardian,
    Guardianship,
)

HEADER = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


CLEAN_CSV = (
    HEADER
    + "Grace,Hopper,5,Mary Hopper,Mary@Example.com,\n"
    + "Alan,Turing,Year 6,Ethel Turing,,01632 960 001\n"
    + "Ada,Lovelace,Y5,Ann Lovelace,ANN@example.com,\n"  # already in the cohort, already linked
    + ",,,,,\n"  # blank rows are ignored
)


def _counts():
    return {
        "children": Child.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "guardians": Guardian.objects.count(),
        "links": Guardianship.objects.count(),
    }


def _upload(client, cohort, name, content):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        reverse("people:cohort_import", args=[cohort.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def _preview_url(cohort, pending):
    return f"{reverse('people:cohort_import', args=[cohort.pk])}?preview={pending.pk}"


def _confirm(client, cohort, pending, action="confirm"):
    url = reverse("people:cohort_import", args=[cohort.pk])
    return client.post(url, {"import": pending.pk, "action": action})


def _progress_url(cohort, pending):
    return reverse("people:cohort_import_progress", args=[cohort.pk, pending.pk])


def _upload_and_confirm(client, cohort, name, content):
    response = _upload(client, cohort, name, content)
    assert response.status_code == 302, response.content.decode()
    pending = ClassListImport.objects.latest("created_at")
    assert response.url == _preview_url(cohort, pending)
    response = _confirm(client, cohort, pending)
    assert response.status_code == 302
    assert response.url == _progress_url(cohort, pending)
    pending.refresh_from_db()
    assert pending.status == ClassListImport.Status.APPLIED, pending.error
    return pending


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row_csv(count, start=0):
    return "".join(
        f"Child{i},Test{i},5,Parent {i},parent{i}@example.com,\n"
        for i in range(start, start + count)
    )


# The happy path ------------------------------------------------------------------------------
def test_clean_csv_previews_then_creates_children_guardians_and_links(world, client_for):
    client = client_for(world.users["teacher"])
    before = _counts()

    response = _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    assert response.status_code == 302
    assert _counts() == before  # nothing written by the preview

    preview = client.get(response.url)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (plan.children_to_add, plan.children_to_skip) == (2, 1)
    assert (plan.guardians_to_add, plan.guardians_to_reuse, plan.links_to_add) == (2, 1, 2)
    page = preview.content.decode()
    assert "Grace Hopper" in page
    assert "Already in this cohort: skipped" in page
    assert "Confirm import" in page
    pending = ClassListImport.objects.get()
    form_action = reverse("people:cohort_import", args=[world.cohort.pk])
    assert f'action="{form_action}"' in page
    assert f'name="import" value="{pending.pk}"' in page

    response = _confirm(client, world.cohort, pending)
    assert response.status_code == 302
    assert response.url == _progress_url(world.cohort, pending)
    assert _counts() == {
        "children": before["children"] + 2,
        "enrolments": before["enrolments"] + 2,
        "guardians": before["guardians"] + 2,
        "links": before["links"] + 2,
    }
    grace = Child.objects.get(first_name="Grace", last_name="Hopper")
    assert grace.year_group == 5
    assert grace.enrolments.get().cohort == world.cohort
    mary = Guardian.objects.get(name="Mary Hopper")
    assert mary.email == "mary@example.com"
    assert Guardianship.objects.filter(child=grace, guardian=mary).exists()
    alan = Child.objects.get(first_name="Alan")
    assert alan.year_group == 6
    assert alan.guardianships.get().guardian.phone == "01632 960 001"

    audit = AuditEntry.objects.get(action="import")
    assert audit.actor == world.users["teacher"]
    assert audit.fields["children_added"] == 2
    assert audit.fields["children_skipped"] == 1
    assert audit.object_type == "cohort"
    pending.refresh_from_db()
    assert pending.status == ClassListImport.Status.APPLIED
    assert pending.rows == []  # children's details are not kept once applied

    done = client.get(response.url).content.decode()
    assert "Class list imported" in done
    assert "2 children added, 1 already in the cohort, 2 guardians added" in done
    assert f'href="{world.cohort.get_absolute_url()}"' in done


def test_importing_the_same_list_again_creates_nothing_new(world, client_for):
    client = client_for(world.users["teacher"])
    _upload_and_confirm(client, world.cohort, "class.csv", CLEAN_CSV)
    after_first = _counts()

    # Same people, different case and spacing.
    again = (
        HEADER
        + "  GRACE , hopper ,Year 5,Mary Hopper,mary@example.com,\n"
        + "alan,TURING,6,ethel turing,,01632960001\n"
    )
    response = _upload(client, world.cohort, "class.csv", again)
    plan = client.get(response.url).context["plan"]
    assert (plan.children_to_add, plan.guardians_to_add, plan.links_to_add) == (0, 0, 0)
    assert (plan.children_to_skip, plan.guardians_to_reuse) == (2, 2)
    _confirm(client, world.cohort, ClassListImport.objects.latest("created_at"))
    assert _counts() == after_first


def test_child_who_left_the_cohort_is_not_added_again(world, client_for):
    services.leave_cohort(acting_user=None, enrolment=world.child.enrolments.get())
    client = client_for(world.users["teacher"])
    before = _counts()
    _upload_and_confirm(
        client, world.cohort, "class.csv", HEADER + "Ada,Lovelace,5,Ann Lovelace,ann@example.com,\n"
    )
    assert _counts() == before
    assert world.child.enrolments.get().left is not None


def test_existing_guardian_of_the_force_is_reused_and_linked(world, client_for):
    client = client_for(world.users["leader"])
    _upload_and_confirm(
        client, world.cohort, "class.csv", HEADER + "Ben,Lovelace,5,Ann Lovelace,ann@example.com,\n"
    )
    ben = Child.objects.get(first_name="Ben")
    assert ben.guardianships.get().guardian == world.guardian
    assert Guardian.objects.filter(email="ann@example.com").count() == 1


def test_a_child_on_two_rows_is_added_once_with_both_guardians(world, client_for):
    client = client_for(world.users["teacher"])
    _upload_and_confirm(
        client,
        world.cohort,
        "class.csv",
        HEADER
        + "Grace,Hopper,5,Mary Hopper,mary@example.com,\n"
        + "Grace,Hopper,5,Vincent Hopper,,07700 900 982\n",
    )
    grace = Child.objects.get(first_name="Grace")
    assert sorted(grace.guardianships.values_list("guardian__name", flat=True)) == [
        "Mary Hopper",
        "Vincent Hopper",
    ]


def test_xlsx_class_list_is_imported(world, client_for):
    client = client_for(world.users["teacher"])
    content = _xlsx(
        [
            [
                "first_name",
                "LAST NAME",
                "Year_Group",
                "Guardian name",
                "guardian-email",
                "Guardian Phone",
            ],
            ["Grace", "Hopper", 5, "Mary Hopper", "mary@example.com", None],
            [None, None, None, None, None, None],
            ["Alan", "Turing", "Y6", "Ethel Turing", None, "01632 960 001"],
        ]
    )
    before = _counts()
    _upload_and_confirm(client, world.cohort, "Class List.XLSX", content)
    assert _counts()["children"] == before["children"] + 2
    assert Child.objects.get(first_name="Grace").year_group == 5
    assert Child.objects.get(first_name="Alan").year_group == 6


def test_template_is_a_csv_that_imports_once_filled_in(world, client_for):
    client = client_for(world.users["teacher"])
    response = client.get(reverse("people:cohort_import_template", args=[world.cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    template = response.content.decode()
    assert template.strip() == HEADER.strip()
    _upload_and_confirm(
        client, world.cohort, "filled.csv", template + "Grace,Hopper,5,Mary Hopper,m@example.com,\n"
    )
    assert Child.objects.filter(first_name="Grace").exists()


# Problems in the file ------------------------------------------------------------------------
def test_every_bad_row_is_reported_and_nothing_is_written(world, client_for):
    client = client_for(world.users["teacher"])
    bad = (
        HEADER
        + "Grace,Hopper,5,Mary Hopper,mary@example.com,\n"  # row 2: fine
        + "Alan,Turing,4,Ethel Turing,ethel@example.com,\n"  # row 3: year group
        + ",Curie,6,Pierre Curie,pierre@example.com,\n"  # row 4: first name
        + "Rosalind,Franklin,5,Muriel Franklin,not-an-email,\n"  # row 5: email
    )
    before = _counts()
    response = _upload(client, world.cohort, "class.csv", bad)
    assert response.status_code == 200
    page = response.content.decode()
    for expected in [
        "Row 3, year group: must be 5 or 6",
        "Row 4, first name: enter the child&#x27;s first name",
        "Row 5, guardian email: enter an email address like name@example.com",
    ]:
        assert expected in page
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [
        (3, "year group"),
        (4, "first name"),
        (5, "guardian email"),
    ]
    assert "govuk-error-summary" in page
    assert 'href="#id_file"' in page
    assert "The file has 3 problems" in page
    assert _counts() == before
    assert not ClassListImport.objects.exists()


def test_guardian_without_email_or_phone_is_reported(world, client_for):
    client = client_for(world.users["teacher"])
    response = _upload(client, world.cohort, "class.csv", HEADER + "Grace,Hopper,5,Mary Hopper,,\n")
    assert [str(e) for e in response.context["row_errors"]] == [
        "Row 2, guardian email: give the guardian's email address or phone number"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("class.txt", HEADER, "The file must be a CSV or XLSX file."),
        ("class.xls", b"\xd0\xcf\x11\xe0 old excel", "The file must be a CSV or XLSX file."),
        ("class.xlsx", HEADER, "The file could not be read as an XLSX file."),
        ("class.csv", b"", "The file is empty."),
        ("class.csv", "\n\n", "The file is empty."),
        ("class.csv", HEADER, "The file has no children in it, only the headings."),
        (
            "class.csv",
            "First name,Surname,Year\nGrace,Hopper,5\n",
            "Missing: Guardian name, Guardian email, Guardian phone.",
        ),
        (
            "class.csv",
            "Grace,Hopper,5,Mary,m@example.com,\n",
            "The first row must name the columns.",
        ),
        (
            "class.csv",
            HEADER + _row_csv(2001),
            "The file has more than 2,000 children. A class list may have up to 2,000 "
            "(a whole school): split it into smaller files.",
        ),
        ("class.csv", HEADER + "x" * (2 * 1024 * 1024), "The file must be smaller than 2 MB."),
    ],
)
def test_file_problems_are_explained(world, client_for, name, content, message):
    client = client_for(world.users["teacher"])
    before = _counts()
    response = _upload(client, world.cohort, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert "govuk-error-summary" in response.content.decode()
    assert _counts() == before


def test_no_file_selected(world, client_for):
    client = client_for(world.users["teacher"])
    response = client.post(reverse("people:cohort_import", args=[world.cohort.pk]), {})
    assert response.context["form"].errors["file"] == ["Select a CSV or XLSX file"]


def test_a_whole_school_of_2000_rows_is_accepted_and_imported(world, client_for):
    client = client_for(world.users["teacher"])
    before = _counts()
    _upload_and_confirm(client, world.cohort, "school.csv", HEADER + _row_csv(2000))
    assert _counts() == {key: value + 2000 for key, value in before.items()}
    # Each child, enrolment, guardian and link has its own audit entry, as if added by hand.
    created = AuditEntry.objects.filter(action="create")
    for kind in ["child", "enrolment", "guardian", "guardianship"]:
        assert created.filter(object_type=kind).count() >= 2000, kind


# Who may import ------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["teacher", "leader", "area_lead", "coordinator"])
def test_people_who_manage_the_cohort_may_open_the_import(world, client_for, persona):
    client = client_for(world.users[persona])
    response = client.get(reverse("people:cohort_import", args=[world.cohort.pk]))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


@pytest.mark.parametrize("persona", ["lapsed_leader", "funder", "national", "guardian"])
def test_people_without_children_manage_are_refused(world, client_for, persona):
    client = client_for(world.users[persona])
    for url in [
        reverse("people:cohort_import", args=[world.cohort.pk]),
        reverse("people:cohort_import_template", args=[world.cohort.pk]),
    ]:
        assert client.get(url).status_code == 403
    before = _counts()
    assert _upload(client, world.cohort, "class.csv", CLEAN_CSV).status_code == 403
    assert _counts() == before


def test_outsider_gets_404_for_a_cohort_of_another_force(world, client_for):
    client = client_for(world.users["outsider"])
    assert client.get(reverse("people:cohort_import", args=[world.cohort.pk])).status_code == 404
    assert _upload(client, world.cohort, "class.csv", CLEAN_CSV).status_code == 404
    template = reverse("people:cohort_import_template", args=[world.cohort.pk])
    assert client.get(template).status_code == 404
    # Their own cohort is fine.
    assert (
        client.get(reverse("people:cohort_import", args=[world.other_cohort.pk])).status_code == 200
    )


def test_signed_out_user_is_sent_to_sign_in(world, client):
    response = client.get(reverse("people:cohort_import", args=[world.cohort.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_nobody_else_can_see_or_confirm_an_import(world, client, client_for):
    teacher = client_for(world.users["teacher"])
    response = _upload(teacher, world.cohort, "class.csv", CLEAN_CSV)
    preview_url = response.url
    pending = ClassListImport.objects.get()
    teacher.logout()
    before = _counts()
    # The leader and the coordinator may manage this cohort, but the import is not theirs.
    for persona in ["leader", "coordinator"]:
        other = client_for(world.users[persona])
        assert other.get(preview_url).status_code == 404
        assert _confirm(other, world.cohort, pending).status_code == 404
        assert _confirm(other, world.cohort, pending, "cancel").status_code == 404
        other.logout()
    outsider = client_for(world.users["outsider"])
    assert outsider.get(preview_url).status_code == 404
    assert _confirm(outsider, world.cohort, pending).status_code == 404
    assert _counts() == before
    assert ClassListImport.objects.get().status == ClassListImport.Status.PREVIEWED


def test_an_import_cannot_be_confirmed_through_another_cohort(world, client_for):
    second = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Year 6",
        start_date=world.cohort.start_date,
        end_date=world.cohort.end_date,
    )
    client = client_for(world.users["teacher"])
    _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    pending = ClassListImport.objects.get()
    before = _counts()
    assert client.get(_preview_url(second, pending)).status_code == 404
    cohort_url = reverse("people:cohort_import", args=[world.cohort.pk])
    assert client.get(f"{cohort_url}?preview=not-a-number").status_code == 404
    assert _confirm(client, second, pending).status_code == 404
    assert _counts() == before


def test_leader_whose_vetting_lapsed_after_the_preview_cannot_confirm(world, client_for):
    leader = world.users["leader"]
    client = client_for(leader)
    response = _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    leader.vettings.update(expires=datetime.date(2000, 1, 1))
    before = _counts()
    assert client.get(response.url).status_code == 403
    assert _confirm(client, world.cohort, ClassListImport.objects.get()).status_code == 403
    assert _counts() == before


# Confirm and cancel --------------------------------------------------------------------------
def test_confirming_twice_imports_once(world, client_for):
    client = client_for(world.users["teacher"])
    pending = _upload_and_confirm(client, world.cohort, "class.csv", CLEAN_CSV)
    after_first = _counts()
    response = _confirm(client, world.cohort, pending)
    assert response.status_code == 302
    assert response.url == _progress_url(world.cohort, pending)  # the same result again
    assert _counts() == after_first
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_cancel_deletes_the_preview_and_writes_nothing(world, client_for):
    client = client_for(world.users["teacher"])
    before = _counts()
    response = _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    response = _confirm(client, world.cohort, ClassListImport.objects.get(), "cancel")
    assert response.status_code == 302
    assert response.url == world.cohort.get_absolute_url()
    assert not ClassListImport.objects.exists()
    assert _counts() == before


def test_expired_preview_must_be_uploaded_again(world, client_for):
    client = client_for(world.users["teacher"])
    _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    ClassListImport.objects.update(
        created_at=ClassListImport.objects.get().created_at - datetime.timedelta(hours=2)
    )
    before = _counts()
    confirm = _confirm(client, world.cohort, ClassListImport.objects.get())
    assert confirm.status_code == 302
    assert confirm.url == reverse("people:cohort_import", args=[world.cohort.pk])
    assert _counts() == before
    assert not ClassListImport.objects.exists()


def test_confirm_matches_against_the_database_again(world, client_for):
    client = client_for(world.users["teacher"])
    response = _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    # Someone adds Grace by hand between the preview and the confirmation.
    services.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Grace", last_name="Hopper", year_group=5
    )
    assert client.get(response.url).context["plan"].children_to_add == 1
    _confirm(client, world.cohort, ClassListImport.objects.get())
    assert Child.objects.filter(first_name="Grace", last_name="Hopper").count() == 1
    assert AuditEntry.objects.get(action="import").fields["children_added"] == 1


def test_import_is_all_or_nothing_when_a_write_fails(world):
    rows = classlist.parse_class_list("class.csv", CLEAN_CSV.encode()).rows
    before = _counts()
    # The children and guardians are written; then the links fail.
    with (
        mock.patch.object(
            Guardianship.objects, "bulk_create", side_effect=IntegrityError("Simulated failure.")
        ),
        pytest.raises(IntegrityError, match="Simulated failure."),
    ):
        services.import_class_list(
            acting_user=world.users["teacher"], cohort=world.cohort, rows=rows
        )
    assert _counts() == before
    assert not AuditEntry.objects.filter(action="import").exists()


# Query counts --------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [1, 50])
def test_preview_page_makes_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, size
):
    client = client_for(world.users["teacher"])
    # Every row: a new child, one guardian with an email and one with a phone only; and one
    # child and guardian already on record, so the query for existing links runs too.
    content = (
        HEADER
        + "Ada,Lovelace,5,Ann Lovelace,ann@example.com,\n"
        + "".join(
            f"Child{i},Test{i},5,Parent {i},parent{i}@example.com,\n"
            f"Child{i},Test{i},5,Carer {i},,07700 900 {i:03d}\n"
            for i in range(size)
        )
    )
    response = _upload(client, world.cohort, "class.csv", content)
    # 9: the cohort comes with its area, so matching guardians in its force asks nothing more.
    with django_assert_num_queries(9):
        preview = client.get(response.url)
    assert preview.context["plan"].children_to_add == size


# The pure reading functions ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [("5", 5), ("6", 6), ("Year 5", 5), ("year6", 6), ("Y6", 6), ("y 5", 5), ("5.0", 5)],
)
def test_year_group_forms_accepted(value, expected):
    row, errors = classlist.clean_row(
        2,
        {
            "first_name": "A",
            "last_name": "B",
            "year_group": value,
            "guardian_name": "C",
            "guardian_email": "c@example.com",
        },
    )
    assert errors == []
    assert row["year_group"] == expected


@pytest.mark.parametrize("value", ["4", "Year 7", "five", "5a", "56"])
def test_year_group_forms_refused(value):
    _, errors = classlist.clean_row(
        7,
        {
            "first_name": "A",
            "last_name": "B",
            "year_group": value,
            "guardian_name": "C",
            "guardian_email": "c@example.com",
        },
    )
    assert [str(e) for e in errors] == ["Row 7, year group: must be 5 or 6"]


def test_semicolon_separated_csv_is_read():
    parsed = classlist.parse_class_list(
        "class.csv",
        "First name;Last name;Year group;Guardian name;Guardian email;Guardian phone\n"
        "Zoë;Brontë;5;Anne Brontë;anne@example.com;\n".encode("cp1252"),
    )
    assert parsed.errors == []
    assert parsed.rows[0]["first_name"] == "Zoë"


def test_cells_that_look_like_formulas_are_refused():
    parsed = classlist.parse_class_list(
        "class.csv", (HEADER + '=HYPERLINK("x"),Hopper,5,Mary,m@example.com,\n').encode()
    )
    assert [str(e) for e in parsed.errors] == ["Row 2, first name: must start with a letter"]


def test_confirm_checks_the_stored_rows_again(world, client_for):
    client = client_for(world.users["teacher"])
    _upload(client, world.cohort, "class.csv", CLEAN_CSV)
    pending = ClassListImport.objects.get()
    pending.rows[0]["year_group"] = 7
    pending.save(update_fields=["rows"])
    before = _counts()
    confirm = _confirm(client, world.cohort, pending)
    assert confirm.status_code == 200
    assert "Row 2, year group: must be 5 or 6" in confirm.content.decode()
    assert "govuk-error-summary" in confirm.content.decode()
    assert _counts() == before
    assert ClassListImport.objects.get().status == ClassListImport.Status.PREVIEWED
