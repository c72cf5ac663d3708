"""The PDF impact report of a force for a period: asked for here, drawn by the task worker
(the page follows its progress), then downloaded. Coordinators, funders and national viewers."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from minipolice.accounts.permissions import Perm
from minipolice.audit.services import record_audit
from minipolice.lib.access import require_permission
from minipolice.reports import selectors, services
from minipolice.reports.forms import PeriodForm
from minipolice.reports.periods import current_school_year


def _initial_period(request) -> dict:
    """The dashboard's dates when the link came from there; this school year otherwise."""
    start, end = current_school_year()
    if "start" in request.GET or "end" in request.GET:
        asked = PeriodForm(request.GET)
        if asked.is_valid():
            start, end = asked.cleaned_data["start"], asked.cleaned_data["end"]
    return {"start": start, "end": end}


@require_permission(Perm.REPORT_DOWNLOAD)
@require_http_methods(["GET", "POST"])
def report_start(request, pk):
    """GET: the period to report on, and the force's recent reports. POST: queue the report."""
    force = selectors.get_force_for_report(request.user, pk)
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            report = services.request_impact_report(
                acting_user=request.user,
                force=force,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                language=translation.get_language() or "",
            )
            return redirect("reports:report_progress", pk=report.pk)
    else:
        form = PeriodForm(initial=_initial_period(request))
    return render(
        request,
        "reports/report_start.html",
        {
            "force": force,
            "form": form,
            "reports": selectors.recent_reports(force),
            "dashboard_url": reverse("reports:force_dashboard", args=[force.pk]),
        },
    )


@require_permission(Perm.REPORT_DOWNLOAD)
@require_GET
def report_progress(request, pk):
    """How far the report has got; the fragment alone for htmx's polling."""
    report = selectors.get_report_for_user(request.user, pk)
    context = {
        "report": report,
        "force": report.force,
        "has_pdf": selectors.has_pdf(report),
        # Kept in English (services.REPORT_FAILED): shown in the page's language.
        "report_error": gettext(report.error) if report.error else "",
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "reports/partials/report_progress.html", context)
    return render(request, "reports/report_progress.html", context)


@require_permission(Perm.REPORT_DOWNLOAD)
@require_GET
def report_pdf(request, pk):
    """The report's PDF. Its photos are checked again first: if one may no longer be shown
    (consent withdrawn, photo withheld), the PDF is dropped and must be drawn again."""
    report = selectors.get_report_for_user(request.user, pk)
    if report.status != report.Status.DONE:
        raise Http404
    if not selectors.has_pdf(report):
        return redirect("reports:report_progress", pk=report.pk)  # it says why
    if not selectors.photos_still_shown(report):
        services.discard_pdf(report)
        return redirect("reports:report_progress", pk=report.pk)
    content = selectors.report_pdf(report)
    record_audit(
        acting_user=request.user,
        action="export",
        obj=report,
        force=report.force,
        label=f"Impact report #{report.pk}",
        fields={"photos": len(report.photo_ids)},
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"impact-report-{report.force.short_name}-{report.start}-{report.end}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
