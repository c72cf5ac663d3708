"""Dashboards, downloads and the impact report in Welsh.

The report is drawn by the task worker, which has no request and so no language: the report
keeps the language it was asked for in, and the worker draws it in that language."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from minipolice.reports import services
from minipolice.reports.models import ImpactReport
from minipolice.reports.periods import current_school_year
from minipolice.reports.tests.test_report import DATABASE_TASKS, _dates, pdf_text

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def _text(response) -> str:
    assert response.status_code == 200
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_force_dashboard_is_in_welsh(world, client_for):
    url = reverse("reports:force_dashboard", args=[world.force.pk])
    text = _text(client_for(world.users["funder"]).get(url, **WELSH))
    for welsh in ("Prif ffigurau", "Unedau yn ôl statws", "Plant a gyrhaeddwyd", "Hydref",
                  "Cyrhaeddiad cymunedol", "Newid yn yr arolwg", "Lawrlwytho y tabl hwn:",
                  "Mae niferoedd plant yn cael eu talgrynnu i’r 5 agosaf"):  # fmt: skip
        assert welsh in text, welsh
    for english in ("Headline figures", "Children reached", "Autumn", "Download this table",
                    "Counts of children are rounded"):  # fmt: skip
        assert english not in text, english


def test_a_download_has_welsh_headers(world, client_for):
    url = reverse("reports:force_dashboard", args=[world.force.pk])
    response = client_for(world.users["coordinator"]).get(
        url, {"format": "csv", "table": "terms"}, **WELSH
    )
    assert response.status_code == 200
    head = response.content.decode().splitlines()[0]
    assert head.startswith("Tymor,O,I,Plant a gyrhaeddwyd,Sesiynau a gyflwynwyd")


def test_a_report_asked_for_in_welsh_is_drawn_in_welsh_by_the_worker(world, client_for, settings):
    settings.TASKS = DATABASE_TASKS  # queued, not drawn in the request
    client = client_for(world.users["coordinator"])
    first, last = current_school_year()
    dates = {**_dates("start", first), **_dates("end", last)}
    asked = client.post(reverse("reports:report_start", args=[world.force.pk]), dates, **WELSH)
    assert asked.status_code == 302
    report = ImpactReport.objects.get()
    assert report.language == "cy" and report.status == "queued"

    # The worker: no request, the default language active.
    with translation.override("en-gb"):
        services.draw_impact_report(report_id=report.pk)
        assert translation.get_language() == "en-gb"
    report.refresh_from_db()
    assert report.status == "done"
    text = pdf_text(bytes(report.pdf))
    for welsh in ("Adroddiad effaith yr Heddlu Bach", "Prif ffigurau", "Cyrhaeddiad cymunedol",
                  "Dull a niferoedd bach", "Tudalen 1", "Testshire Police"):  # fmt: skip
        assert welsh in text, welsh
    for english in ("Mini Police impact report", "Headline figures", "Method and small numbers",
                    "Page 1"):  # fmt: skip
        assert english not in text, english

    page = _text(client.get(reverse("reports:report_progress", args=[report.pk]), **WELSH))
    assert "Mae’r adroddiad effaith yn barod" in page


def test_a_report_asked_for_in_english_records_english(world, client_for, settings):
    settings.TASKS = DATABASE_TASKS
    first, last = current_school_year()
    dates = {**_dates("start", first), **_dates("end", last)}
    client_for(world.users["coordinator"]).post(
        reverse("reports:report_start", args=[world.force.pk]), dates
    )
    assert ImpactReport.objects.get().language == "en-gb"


def test_a_report_without_a_language_follows_the_force(world):
    report = ImpactReport(force=world.force, language="")
    assert services.report_language(report) == "en-gb"
    world.force.welsh_language = True
    assert services.report_language(report) == "cy"
    report.language = "en-gb"  # asked for in English: English, whatever the force
    assert services.report_language(report) == "en-gb"


def test_a_failed_report_says_so_in_welsh(world, client_for):
    report = ImpactReport.objects.create(
        force=world.force,
        start=world.cohort.start_date,
        end=world.cohort.end_date,
        created_at=timezone.now(),
        status=ImpactReport.Status.FAILED,
        error=services.REPORT_FAILED,
    )
    url = reverse("reports:report_progress", args=[report.pk])
    text = _text(client_for(world.users["coordinator"]).get(url, **WELSH))
    assert "Nid oedd modd llunio’r adroddiad oherwydd gwall annisgwyl." in text
    assert "unexpected error" not in text
