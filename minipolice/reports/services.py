"""The PDF impact report: asked for once per force and period, drawn by the task worker.

A report holds aggregates only, worked out as a funder sees them (children rounded to the
nearest 5, fewer than 5 hidden) whoever asks: it is written to be passed on. Its story photos
are those on the force's public pages (published, and every child tagged in them with media
consent for the force's website); a download checks them again (selectors.report_pdf).
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext

from minipolice.audit.services import record_audit
from minipolice.impact import results as survey_results
from minipolice.lib.disclosure import BASE
from minipolice.lib.stalled import requeue_stalled
from minipolice.organisations.models import Force, UnitStatus
from minipolice.reports import pdf, selectors
from minipolice.reports.models import ImpactReport

ACTIVE = [ImpactReport.Status.QUEUED, ImpactReport.Status.RUNNING]
PARTS = ["figures", "headline", "charts", "survey", "stories", "done"]
PHOTOS_SHOWN = 3
# Kept in English on the report (its `error`); the page shows it in its language.
REPORT_FAILED = gettext_noop(
    "The report could not be drawn because of an unexpected error. Ask for it again; if it "
    "fails twice, tell the service desk the report's number."
)


def report_language(report: ImpactReport) -> str:
    """The language the report is drawn in: the one it was asked for in; for a report that
    has none, Welsh for a Welsh-language force, else the site's default."""
    if report.language and translation.check_for_language(report.language):
        return report.language
    return "cy" if report.force.welsh_language else settings.LANGUAGE_CODE


def request_impact_report(
    *, acting_user, force: Force, start, end, language: str = ""
) -> ImpactReport:
    """Queue the impact report of `force` from `start` to `end`, to be drawn in `language`
    (the page's; empty: the force's, see report_language).

    Returns the new report, or the one already queued or being drawn for the same period: a
    second click (another tab, a colleague) starts nothing and shows the same progress (in
    the language of the first)."""
    from minipolice.reports.tasks import draw_impact_report_task

    report, created = _queue(acting_user, force, start, end, language)
    if created:
        # Enqueued once the report is committed, so the worker always finds it queued.
        try:
            result = draw_impact_report_task.enqueue(report.pk)
        except Exception:
            ImpactReport.objects.filter(pk=report.pk, status=ImpactReport.Status.QUEUED).update(
                status=ImpactReport.Status.FAILED, error=REPORT_FAILED
            )
            raise
        ImpactReport.objects.filter(pk=report.pk).update(task_id=str(result.id)[:64])
        report.refresh_from_db()
    return report


@transaction.atomic
def _queue(acting_user, force: Force, start, end, language: str) -> tuple[ImpactReport, bool]:
    # The force's row is locked first (PostgreSQL): a second click waits, then finds the
    # first one's report.
    Force.objects.select_for_update().filter(pk=force.pk).first()
    active = ImpactReport.objects.filter(
        force=force, start=start, end=end, status__in=ACTIVE
    ).first()
    if active is not None:
        return active, False
    report = ImpactReport(
        force=force,
        start=start,
        end=end,
        requested_by=acting_user,
        language=language or "",
        created_at=timezone.now(),
        total=len(PARTS),
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Another click made one in the meantime (SQLite has no row locks).
        return ImpactReport.objects.get(force=force, start=start, end=end, status__in=ACTIVE), False
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=report,
        force=force,
        label=f"Impact report #{report.pk}",
        fields={"start": start.isoformat(), "end": end.isoformat()},
    )
    return report, True


def draw_impact_report(*, report_id: int) -> dict:
    """The task's work: work out the figures, pick the photos and draw the PDF."""
    with transaction.atomic():
        report = ImpactReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status != ImpactReport.Status.QUEUED:
            return {"status": str(report.status) if report else "missing"}
        report.status = ImpactReport.Status.RUNNING
        report.save(update_fields=["status"])
    try:
        return _draw(report)
    except Exception:
        # The worker keeps the traceback with the task's result; the page shows REPORT_FAILED.
        ImpactReport.objects.filter(pk=report_id).update(
            status=ImpactReport.Status.FAILED, error=REPORT_FAILED, finished_at=timezone.now()
        )
        raise


REPORT_STALLED_AFTER = datetime.timedelta(minutes=10)
REPORT_INTERRUPTED = gettext_noop("The task worker stopped while drawing the report: queued again.")


def resume_interrupted_reports() -> int:
    """Queue again every report whose worker stopped while drawing it (its task has shown
    "running" for REPORT_STALLED_AFTER; a report takes seconds). Drawing writes nothing but the
    report's own row, so drawing again is safe. The stopped worker's task is recorded as
    failed. Run by the task worker's housekeeping (reports.tasks). Returns how many."""
    from minipolice.reports.tasks import draw_impact_report_task

    return requeue_stalled(
        task=draw_impact_report_task,
        model=ImpactReport,
        stalled_after=REPORT_STALLED_AFTER,
        progress_field="done",
        reason=REPORT_INTERRUPTED,
    )


def _progress(report: ImpactReport):
    def tick(part: str) -> None:
        ImpactReport.objects.filter(pk=report.pk).update(done=PARTS.index(part) + 1)

    return tick


def _draw(report: ImpactReport) -> dict:
    tick = _progress(report)
    # A task has no request, so no language of its own: the report's is set for its words.
    with translation.override(report_language(report)):
        content, photo_ids = impact_report_content(report.force, report.start, report.end)
        tick("figures")
        document = pdf.render(content, progress=tick)
    ImpactReport.objects.filter(pk=report.pk).update(
        status=ImpactReport.Status.DONE,
        pdf=document,
        photo_ids=photo_ids,
        finished_at=timezone.now(),
        done=len(PARTS),
    )
    return {"status": "done", "bytes": len(document), "photos": len(photo_ids)}


def impact_report_content(force: Force, start, end) -> tuple[pdf.ReportContent, list[int]]:
    """What the report prints, from the force's dashboard as a funder reads it."""
    dashboard = selectors.force_dashboard(force, start, end, exact=False)
    photos = selectors.report_photos(force, start, end, limit=PHOTOS_SHOWN)
    content = pdf.ReportContent(
        force_name=force.name,
        brand_colour=force.brand_colour,
        pcc_name=force.pcc_name,
        start=start,
        end=end,
        generated_on=timezone.localdate(),
        headline=[(f.label, f.display) for f in [*dashboard.headline, *dashboard.events]],
        charts=_charts(dashboard),
        reach=[(f.label, f.display) for f in dashboard.reach],
        survey_rounds=_survey_rounds(dashboard.survey),
        survey_rows=_survey_rows(dashboard.survey),
        benchmark=_benchmark(dashboard.survey),
        photos=[content for _, content in photos],
        method=_method(),
    )
    return content, [pk for pk, _ in photos]


def _charts(dashboard) -> list:
    terms = dashboard.terms
    names = [row.term.name for row in terms]
    statuses = list(UnitStatus)
    units = pdf.ChartData(
        title=gettext("Units by status at the end of each term"),
        categories=names,
        series=[(str(s.label), [row.units[s.value] for row in terms]) for s in statuses],
        stacked=True,
    )
    units_rows = [[row.term.name, *(str(row.units[s.value]) for s in statuses)] for row in terms]
    reached = pdf.ChartData(
        title=gettext("Children reached and sessions delivered each term"),
        categories=names,
        series=[
            (gettext("Children reached"), [row.children or 0 for row in terms]),
            (gettext("Sessions delivered"), [row.sessions_delivered for row in terms]),
        ],
    )
    reached_rows = [
        [
            row.term.name,
            selectors.hidden() if row.children is None else f"{row.children:,}",
            f"{row.sessions_delivered:,}",
            f"{row.sessions_cancelled:,}",
            row.attendance_display,
            f"{row.volunteer_hours:,.1f}",
        ]
        for row in terms
    ]
    return [
        (units, [gettext("Term"), *(str(s.label) for s in statuses)], units_rows),
        (
            reached,
            [
                gettext("Term"),
                gettext("Children reached"),
                gettext("Sessions delivered"),
                gettext("Cancelled"),
                gettext("Attendance"),
                gettext("Volunteer hours"),
            ],  # fmt: skip
            reached_rows,
        ),
    ]


def _survey_rounds(survey) -> list[str]:
    if survey is None or not survey.any_round:
        return []
    too_few = gettext("(too few to report)")
    lines = []
    for _phase, label, n, shown, cohorts, _versions in survey.rounds:
        responses = ngettext("%(n)s response", "%(n)s responses", n) % {"n": n}
        from_cohorts = ngettext("from %(n)s cohort", "from %(n)s cohorts", cohorts) % {"n": cohorts}
        line = f"{label}: {responses} {from_cohorts}"
        lines.append(line if shown else f"{line} {too_few}")
    return lines


def _share(phase) -> str:
    if phase is None or not phase.shown:
        if phase is None:
            return "–"
        return gettext("fewer than %(base)s answers") % {"base": BASE}
    share = phase.top_two if phase.top_two is not None else phase.correct
    return "–" if share is None else f"{share}% (n={phase.n})"


def _survey_rows(survey) -> list[tuple[str, str, str, str]]:
    if survey is None or not survey.any_round:
        return []
    rows = []
    for question in survey.questions:
        change = (
            "–"
            if question.change is None
            else gettext("%(change)s points") % {"change": f"{question.change:+d}"}
        )
        share_who = gettext("(share who %(label)s)") % {"label": question.share_label}
        rows.append(
            (
                f"{question.text} {share_who}",
                _share(question.pre),
                _share(question.post),
                change,
            )
        )
    return rows


def _benchmark(survey) -> list[str]:
    if survey is None or not any(q.benchmark for q in survey.questions):
        return []
    return [survey_results.benchmark_label(), survey_results.benchmark_note()]


def _method() -> list[str]:
    return [
        gettext(
            "Figures are counted from the records the units keep in the Mini Police Hub: "
            "registers of each session, community actions, events and certificates. The period "
            "is split into school terms: autumn from 1 September to 31 December, spring from "
            "1 January to 31 March, summer from 1 April to 31 August."
        ),
        gettext(
            "Children reached are the children enrolled in a unit of the force at some time in "
            "the period. Attendance is the share of register marks that are present. Volunteer "
            "hours are the leaders present at each session delivered, times the session's "
            "length. Units by status are counted on the last day of each term from each unit's "
            "dated status history."
        ),
        selectors.caption()
        + " "
        + gettext(
            "A rate worked out from fewer than %(base)s children is not shown. The same rule "
            "applies to every page, download and report of the Hub, so no figure about a small "
            "group of children can be worked out by subtracting one published figure from "
            "another."
        )
        % {"base": BASE},
        gettext(
            "Survey change compares the before and after rounds of the cohorts that ran in the "
            "period: the share of children choosing one of the two happiest faces (or answering "
            "a knowledge question correctly). A round of fewer than %(base)s responses is left "
            "out, and n is the number of responses behind each share. The two rounds are not "
            "always the same children: change is a comparison of groups, not of each child."
        )
        % {"base": BASE},
        gettext(
            "Photos appear only from stories published on the force's public pages, and only "
            "when every child in them has a parent's or guardian's current consent to photos on "
            "the force's website. No child is named anywhere in this report."
        ),
    ]


def discard_pdf(report: ImpactReport) -> None:
    """Drop a report's PDF (a photo in it may no longer be shown): it must be drawn again."""
    ImpactReport.objects.filter(pk=report.pk).update(pdf=None)
    record_audit(
        acting_user=None,
        action="update",
        obj=report,
        force=report.force,
        label=f"Impact report #{report.pk}",
        fields={"pdf": "discarded: a photo's consent changed"},
    )
