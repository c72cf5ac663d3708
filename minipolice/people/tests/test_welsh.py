"""The people app in Welsh: pages, class-list errors (with their row numbers) and the subject
access export follow the language the browser asks for; English stays the default."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minipolice.lib.tests.pdf_text import pdf_text

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


def _page(client, url):
    response = client.get(url, **WELSH)
    assert response.status_code == 200
    return response.content.decode()


def test_child_page_is_in_welsh_with_no_english_left(world, client_for):
    page = _page(client_for(world.users["coordinator"]), f"/children/{world.child.pk}/")
    for welsh in ("Blwyddyn ysgol", "Nodiadau i arweinwyr", "Carfanau", "Rhieni a gwarcheidwaid"):
        assert welsh in page
    assert "Blwyddyn 5" in page  # the year group's label
    assert "Diogelu data" in page and "Lawrlwytho popeth a gedwir am Ada (PDF)" in page
    for english in (
        "Year group",
        "Notes for leaders",
        "Parents and guardians",
        "Change details",
        "Move to another cohort",
        "Download everything held about",
    ):
        assert english not in page


def test_lists_and_retention_are_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    children = _page(client, "/children/")
    assert "I ychwanegu plentyn, agorwch ei garfan." in children
    assert "To add a child, open their cohort." not in children
    assert "Rhieni a gwarcheidwaid" in _page(client, "/guardians/")
    assert "Ychwanegu arweinydd" in _page(client, "/leaders/")
    retention = _page(client, "/data-protection/")
    assert "Cadw data personol dim ond cyhyd ag y mae ei angen" in retention
    assert "Keeping personal data" not in retention


def test_english_is_the_default(world, client_for):
    page = client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/")
    assert "Parents and guardians" in page.content.decode()


def _upload(client, cohort, content: str, **headers):
    return client.post(
        reverse("people:cohort_import", args=[cohort.pk]),
        {"file": SimpleUploadedFile("class.csv", content.encode())},
        **headers,
    )


def test_class_list_errors_in_welsh_keep_their_row_numbers(world, client_for):
    client = client_for(world.users["coordinator"])
    content = (
        "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"
        "Grace,Hopper,5,Mary Hopper,mary@example.com,\n"
        "Alan,Turing,3,Ethel Turing,,\n"
    )
    page = _upload(client, world.cohort, content, **WELSH).content.decode()
    assert "Mae 2 broblem yn y ffeil." in page  # the two-form of Welsh plurals
    assert "Rhes 3, blwyddyn ysgol: rhaid iddo fod yn 5 neu 6" in page
    assert "Rhes 3, e-bost y gwarcheidwad: rhowch gyfeiriad e-bost neu rif ffôn" in page
    assert "must be 5 or 6" not in page and "Row 3" not in page
    english = _upload(client, world.cohort, content).content.decode()
    assert "Row 3, year group: must be 5 or 6" in english


def test_the_welsh_template_has_welsh_headings_that_are_accepted_in_either_language(
    world, client_for
):
    client = client_for(world.users["coordinator"])
    url = reverse("people:cohort_import_template", args=[world.cohort.pk])
    headings = client.get(url, **WELSH).content.decode().strip()
    assert headings.startswith("Enw cyntaf,Cyfenw,Blwyddyn ysgol,")
    content = headings + "\nGrace,Hopper,5,Mary Hopper,mary@example.com,\n"
    response = _upload(client, world.cohort, content)  # the English page
    assert response.status_code == 302, response.content.decode()


def test_subject_access_export_is_in_welsh_when_asked_for_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    document = json.loads(client.get(f"/children/{world.child.pk}/export.json", **WELSH).content)
    assert document["title"] == "Popeth a gedwir am Ada Lovelace"
    child = document["sections"]["child"]
    assert child["title"] == "Plentyn"
    assert child["data"]["Cyfenw"] == "Lovelace"
    assert child["data"]["Blwyddyn ysgol"] == "Blwyddyn 5"
    assert document["sections"]["cohorts"]["data"][0]["Carfan"] == "Year 5"
    pdf = client.get(f"/children/{world.child.pk}/export.pdf", **WELSH).content
    assert pdf.startswith(b"%PDF")
    assert b"Popeth a gedwir am Ada Lovelace" in pdf  # the document's title
    text = pdf_text(pdf)
    assert "Popeth a gedwir am Ada Lovelace" in text and "Cyfenw" in text
