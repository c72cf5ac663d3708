"""Confirming a class list runs it as a background task with a progress page (#9).

upload → preview → confirm → progress page (refreshing itself) → the result; the task through
Django's tasks API, with the database backend and `manage.py task_worker` as in production, or
ImmediateBackend; a failure saves nothing and says why; a no-change re-upload offers no confirm;
a child of another year group than the cohort's is warned about on the preview.
"""

import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from minipolice.audit.models import AuditEntry
from minipolice.organisations import services as org
from minipolice.people import classlist, services
from minipolice.people.models import Child, ClassListImport, Enrolment, Guardian, Guardianship

HEADER = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"
CLEAN_CSV = (
    HEADER
    + "Grace,Hopper,5,Mary Hopper,mary@example.com,\n"
    + "Alan,Turing,Year 6,Ethel Turing,,01632 960 001\n"
    + "Ada,Lovelace,Y5,Ann Lovelace,ann@example.com,\n"  # already in the cohort, already linked
)
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def database(settings):
    """Tasks wait in the database for the worker, as in production."""
    settings.TASKS = DATABASE_TASKS


def _counts():
    return (
        Child.objects.count(),
        Enrolment.objects.count(),
        Guardian.objects.count(),
        Guardianship.objects.count(),
    )


def _rows(count, year=5):
    return "".join(
        f"Child{i},Test{i},{year},Parent {i},parent{i}@example.com,\n" for i in range(count)
    )


def _upload(client, cohort, content, name="class.csv"):
    response = client.post(
        reverse("people:cohort_import", args=[cohort.pk]),
        {"file": SimpleUploadedFile(name, content.encode())},
    )
    assert response.status_code == 302, response.content.decode()
    return ClassListImport.objects.latest("id")


def _confirm(client, cohort, pending):
    return client.post(
        reverse("people:cohort_import", args=[cohort.pk]),
        {"import": pending.pk, "action": "confirm"},
    )


def _progress_url(cohort, pending):
    return reverse("people:cohort_import_progress", args=[cohort.pk, pending.pk])


def run_worker():
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# The journey -----------------------------------------------------------------------------------
def test_confirm_leads_to_the_progress_page_which_ends_on_the_result(world, client_for, immediate):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, CLEAN_CSV)
    preview = client.get(
        f"{reverse('people:cohort_import', args=[world.cohort.pk])}?preview={pending.pk}"
    )
    assert "Confirm import" in preview.content.decode()

    response = _confirm(client, world.cohort, pending)
    assert response.status_code == 302
    assert response.url == _progress_url(world.cohort, pending)
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Class list imported" in html
    assert (
        "2 children added, 1 already in the cohort, 2 guardians added, 1 already on record." in html
    )
    assert "All 3 rows of class.csv were checked." in html
    # Finished: the page no longer refreshes itself.
    assert "hx-trigger" not in html and 'http-equiv="refresh"' not in html
    pending.refresh_from_db()
    assert (pending.status, pending.rows_done, pending.rows_total) == ("applied", 3, 3)
    assert pending.rows == []


def test_progress_page_shows_a_bar_and_refreshes_itself_while_the_import_waits(
    world, client_for, database
):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, HEADER + _rows(500))
    before = _counts()
    response = _confirm(client, world.cohort, pending)
    assert response.url == _progress_url(world.cohort, pending)
    assert _counts() == before  # nothing written until the worker runs it
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    html = client.get(response.url).content.decode()
    assert "Waiting to start." in html
    assert "0 of 500 rows" in html
    assert (
        '<progress class="mp-progress__bar" id="import-progress-bar" max="500" value="0">' in html
    )
    assert f'hx-get="{response.url}" hx-trigger="every 1s"' in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html  # without JS

    # Half-way through checking (as the task saves it), then saving everything at once.
    ClassListImport.objects.filter(pk=pending.pk).update(status="running", rows_done=120)
    fragment = client.get(response.url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html  # htmx gets the fragment only
    assert "120 of 500 rows" in html and 'max="500" value="120"' in html
    assert "Checking the rows." in html
    assert 'hx-trigger="every 1s"' in html
    ClassListImport.objects.filter(pk=pending.pk).update(rows_done=500)
    html = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "All rows checked. Saving them all at once" in html


@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_a_queued_import_and_the_page_shows_the_result(settings):
    from django.test import Client

    from conftest import build_world

    settings.TASKS = DATABASE_TASKS
    world = build_world()
    client = Client()
    client.force_login(world.users["teacher"])
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    pending = _upload(client, world.cohort, HEADER + _rows(250))
    _confirm(client, world.cohort, pending)
    pending.refresh_from_db()
    assert pending.status == "queued" and pending.task_id

    run_worker()

    pending.refresh_from_db()
    assert (pending.status, pending.rows_done, pending.summary["children_added"]) == (
        "applied",
        250,
        250,
    )
    assert DBTaskResult.objects.get(id=pending.task_id).status == "SUCCESSFUL"
    html = client.get(_progress_url(world.cohort, pending)).content.decode()
    assert "250 children added" in html


def test_progress_is_saved_while_the_rows_are_checked(world, client_for, immediate):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, HEADER + _rows(250))
    seen = []
    real_apply = services._apply_class_list_import
    real_recheck = classlist.recheck_rows

    def recheck(rows):
        seen.append(ClassListImport.objects.values_list("status", "rows_done").get(pk=pending.pk))
        return real_recheck(rows)

    def apply(job):
        seen.append(ClassListImport.objects.values_list("status", "rows_done").get(pk=pending.pk))
        return real_apply(job)

    with (
        mock.patch.object(classlist, "recheck_rows", side_effect=recheck),
        mock.patch.object(services, "_apply_class_list_import", side_effect=apply),
    ):
        _confirm(client, world.cohort, pending)
    # The confirm checks once more; then the task: 100 rows at a time, each batch's progress
    # saved; then the one write (which checks all rows again inside its transaction).
    assert seen == [
        ("previewed", 0),
        ("running", 0),
        ("running", 100),
        ("running", 200),
        ("running", 250),  # entering the write
        ("running", 250),
    ]
    pending.refresh_from_db()
    assert pending.status == "applied"


# Two tabs --------------------------------------------------------------------------------------
def test_a_second_confirm_starts_nothing_and_shows_the_same_progress(world, client_for, database):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, CLEAN_CSV)
    first = _confirm(client, world.cohort, pending)
    second = _confirm(client, world.cohort, pending)  # the other tab
    assert first.url == second.url == _progress_url(world.cohort, pending)
    assert DBTaskResult.objects.count() == 1
    # The preview's address now leads to the progress too.
    preview = client.get(
        f"{reverse('people:cohort_import', args=[world.cohort.pk])}?preview={pending.pk}"
    )
    assert preview.status_code == 302 and preview.url == first.url

    # A task somehow run twice imports once.
    services.run_class_list_import(class_list_import_id=pending.pk)
    after = _counts()
    assert services.run_class_list_import(class_list_import_id=pending.pk) == {"status": "applied"}
    assert _counts() == after
    assert AuditEntry.objects.filter(action="import").count() == 1


# Failure ---------------------------------------------------------------------------------------
@pytest.mark.logs_errors
def test_a_failed_import_saves_nothing_and_the_page_says_so(world, client_for, immediate):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, HEADER + _rows(300))
    before = _counts()
    audit_before = AuditEntry.objects.count()
    with mock.patch.object(
        Guardianship.objects, "bulk_create", side_effect=IntegrityError("disk full")
    ):
        response = _confirm(client, world.cohort, pending)
    assert response.url == _progress_url(world.cohort, pending)
    assert _counts() == before  # children and guardians were written, then rolled back
    assert AuditEntry.objects.count() == audit_before
    pending.refresh_from_db()
    assert pending.status == "failed"
    assert pending.error == services.IMPORT_FAILED
    assert pending.rows == []  # children's details are not kept
    html = client.get(response.url).content.decode()
    assert "govuk-error-summary" in html
    assert "The class list was not imported" in html
    assert "The import stopped because of an unexpected error. Nothing was saved." in html
    assert "Upload the class list again" in html
    assert "hx-trigger" not in html


@pytest.mark.django_db(transaction=True)
def test_a_row_that_fails_its_checks_in_the_worker_is_named_and_nothing_is_saved(settings):
    from django.test import Client

    from conftest import build_world

    settings.TASKS = DATABASE_TASKS
    world = build_world()
    client = Client()
    client.force_login(world.users["teacher"])
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    pending = _upload(client, world.cohort, HEADER + _rows(150))
    _confirm(client, world.cohort, pending)
    # The stored rows change after the confirm (as if tampered with): the task checks again.
    pending.refresh_from_db()
    pending.rows[120]["year_group"] = 7
    pending.save(update_fields=["rows"])
    before = _counts()

    run_worker()

    pending.refresh_from_db()
    assert pending.status == "failed"
    assert pending.error == "Row 122, year group: must be 5 or 6"
    assert _counts() == before
    html = client.get(_progress_url(world.cohort, pending)).content.decode()
    assert "Row 122, year group: must be 5 or 6" in html
    assert "Nothing was saved" in html


# The preview -----------------------------------------------------------------------------------
def test_a_re_upload_that_changes_nothing_offers_no_confirm(world, client_for, immediate):
    client = client_for(world.users["teacher"])
    _confirm(client, world.cohort, _upload(client, world.cohort, CLEAN_CSV))
    again = _upload(client, world.cohort, CLEAN_CSV)
    html = client.get(
        f"{reverse('people:cohort_import', args=[world.cohort.pk])}?preview={again.pk}"
    ).content.decode()
    assert "Nothing would change" in html
    assert "Confirm import" not in html
    assert 'value="confirm"' not in html
    assert "Back to the cohort" in html


def test_a_year_6_child_in_a_year_5_cohort_is_warned_about_and_can_still_be_imported(
    world, client_for, immediate
):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, CLEAN_CSV)  # row 3: Alan Turing, Year 6
    preview = client.get(
        f"{reverse('people:cohort_import', args=[world.cohort.pk])}?preview={pending.pk}"
    )
    plan = preview.context["plan"]
    assert plan.cohort_year == 5  # from the cohort's children (all Year 5)
    assert [str(w) for w in plan.year_warnings] == [
        "Row 3: Alan Turing is in Year 6, but this cohort is Year 5"
    ]
    html = preview.content.decode()
    assert "1 child is not in Year 5, the year of this cohort." in html
    assert "Row 3: Alan Turing is in Year 6, but this cohort is Year 5" in html
    assert "Confirm import" in html
    _confirm(client, world.cohort, pending)
    assert Child.objects.get(first_name="Alan").year_group == 6


@pytest.mark.parametrize(
    ("name", "expected"),
    [("2025/26 Year 5", 5), ("Y6 group", 6), ("Autumn group", None)],
)
def test_an_empty_cohort_takes_its_year_from_its_name(world, client_for, immediate, name, expected):
    cohort = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name=name,
        start_date=world.cohort.start_date,
        end_date=world.cohort.end_date,
    )
    client = client_for(world.users["teacher"])
    pending = _upload(
        client, cohort, HEADER + _rows(2, year=5) + "Cy,Sixer,6,Di Sixer,d@example.com,\n"
    )
    plan = client.get(
        f"{reverse('people:cohort_import', args=[cohort.pk])}?preview={pending.pk}"
    ).context["plan"]
    assert plan.cohort_year == expected
    warned = {5: ["Cy Sixer"], 6: ["Child0 Test0", "Child1 Test1"], None: []}[expected]
    assert [w.name for w in plan.year_warnings] == warned


# Double submission -----------------------------------------------------------------------------
def test_buttons_that_start_work_are_protected_from_a_double_click(world, client_for, database):
    client = client_for(world.users["coordinator"])
    upload = client.get(reverse("people:cohort_import", args=[world.cohort.pk])).content.decode()
    assert 'data-prevent-double-click="true">Upload and check</button>' in upload
    pending = _upload(client, world.cohort, CLEAN_CSV)
    preview = client.get(
        f"{reverse('people:cohort_import', args=[world.cohort.pk])}?preview={pending.pk}"
    ).content.decode()
    assert 'data-prevent-double-click="true">Confirm import</button>' in preview
    assert 'data-prevent-double-click="true">Cancel</button>' in preview
    erase = client.get(reverse("people:child_erase", args=[world.child.pk])).content.decode()
    assert 'data-prevent-double-click="true">Erase personal data</button>' in erase


# A whole school ---------------------------------------------------------------------------------
def test_a_whole_school_imports_through_the_worker_loop_quickly(world, client_for, immediate):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, HEADER + _rows(2000))
    started = time.perf_counter()
    _confirm(client, world.cohort, pending)
    elapsed = time.perf_counter() - started
    pending.refresh_from_db()
    assert (pending.status, pending.summary["children_added"]) == ("applied", 2000)
    print(f"\n2,000-row class list confirmed and applied in {elapsed:.2f} s")
    assert elapsed < 30  # generous: shared test machines; typically well under 5 s


def test_2001_rows_are_refused_with_a_clear_message(world, client_for):
    client = client_for(world.users["teacher"])
    response = client.post(
        reverse("people:cohort_import", args=[world.cohort.pk]),
        {"file": SimpleUploadedFile("class.csv", (HEADER + _rows(2001)).encode())},
    )
    assert response.status_code == 200
    assert (
        "The file has more than 2,000 children. A class list may have up to 2,000 (a whole "
        "school): split it into smaller files."
    ) in response.content.decode()
    assert not ClassListImport.objects.exists()


# Erasure ---------------------------------------------------------------------------------------
def test_erasing_a_child_named_in_a_queued_import_discards_the_import(world, client_for, database):
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, CLEAN_CSV)  # row 4 names Ada Lovelace
    _confirm(client, world.cohort, pending)
    assert ClassListImport.objects.get().status == "queued"
    services.erase_child(acting_user=world.users["coordinator"], child=world.child, reason="Asked")
    assert not ClassListImport.objects.exists()
    # The task then finds nothing to do.
    assert services.run_class_list_import(class_list_import_id=pending.pk) == {"status": "missing"}


@pytest.mark.logs_errors
def test_a_confirm_stopped_before_it_commits_leaves_neither_the_status_nor_a_task(
    world, client_for, database
):
    """The status and the task row commit together: a server stopped after the task row was
    written but before the commit (simulated by the request failing there) leaves the preview
    as it was and no task, so the next confirm starts it; never "waiting to start" for ever."""
    client = client_for(world.users["teacher"])
    pending = _upload(client, world.cohort, HEADER + _rows(3))
    real_update = ClassListImport.objects.filter

    def stop_after_the_task_row(*args, **kwargs):
        queryset = real_update(*args, **kwargs)
        if DBTaskResult.objects.filter(task_path__endswith="apply_class_list_import").exists():
            raise ConnectionError("server stopped")
        return queryset

    with (
        mock.patch.object(ClassListImport.objects, "filter", side_effect=stop_after_the_task_row),
        pytest.raises(ConnectionError),
    ):
        _confirm(client, world.cohort, pending)
    pending.refresh_from_db()
    assert pending.status == "previewed" and not pending.task_id
    assert not DBTaskResult.objects.exists()

    _confirm(client, world.cohort, pending)
    pending.refresh_from_db()
    assert pending.status == "queued"
    assert [str(task) for task in DBTaskResult.objects.values_list("id", flat=True)] == [
        pending.task_id
    ]
