"""Dashboards: a force's, an area's and every force's figures over a period, with a chart and a
table for each, and each table as CSV or XLSX. The PDF impact report is in report_views."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from minipolice.accounts.permissions import Perm
from minipolice.impact import results as survey_results
from minipolice.lib.access import require_permission
from minipolice.lib.charts import Series, bar_chart
from minipolice.lib.exports import export_response, wants_export
from minipolice.organisations.models import UnitStatus, UnitStatusChange
from minipolice.reports import selectors
from minipolice.reports.forms import PeriodForm
from minipolice.reports.periods import current_school_year, presets, school_year_of

TABLES = selectors.TABLE_TITLES

# Every dashboard template variable, so that a page without one of them renders the same.
PAGE_DEFAULTS = {
    "area": None,
    "area_page": False,
    "report_url": None,
    "results_url": None,
    "dashboard": None,
    "comparison": None,
}


def _period(request, *, areas=None):
    """(form, start, end, area) from the query string: `start`/`end` as the form writes them,
    or `from`/`to` as the API names them; this school year when none is given."""
    data = request.GET.copy()
    for alias, name in (("from", "start"), ("to", "end")):
        if alias in data and name not in data:
            data[name] = data[alias]
    asked = any(name in data for name in ("start", "start_0", "end", "end_0", "area"))
    start, end = current_school_year()
    form = PeriodForm(data if asked else None, initial={"start": start, "end": end}, areas=areas)
    if not form.is_bound:
        return form, start, end, None
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"], form.chosen_area()
    return form, None, None, None


def _first_year(force_ids) -> int | None:
    first = (
        UnitStatusChange.objects.filter(unit__school__area__force_id__in=force_ids)
        .order_by("changed_on")
        .values_list("changed_on", flat=True)
        .first()
    )
    return school_year_of(first) if first else None


def _download(request, *, name: str, tables):
    fmt = wants_export(request)
    wanted = request.GET.get("table", "")
    if wanted in TABLES:
        tables = [t for t in tables if t.title == str(TABLES[wanted])] or tables
    return export_response(filename=name, fmt=fmt, tables=tables)


def _charts(dashboard) -> dict:
    terms = [row.term.name for row in dashboard.terms]
    statuses = [s for s in UnitStatus if s != UnitStatus.CLOSED] + [UnitStatus.CLOSED]
    return {
        "units": bar_chart(
            chart_id="chart-units",
            title=gettext("Units by status at the end of each term"),
            description=gettext("A stacked bar for each term; the table below gives every figure."),
            categories=terms,
            series=[
                Series(str(s.label), [row.units[s.value] for row in dashboard.terms])
                for s in statuses
            ],
            stacked=True,
        ),
        "terms": bar_chart(
            chart_id="chart-terms",
            title=gettext("Children reached and sessions delivered each term"),
            description=gettext("Two bars for each term; the table below gives every figure."),
            categories=terms,
            series=[
                Series(gettext("Children reached"), [row.children for row in dashboard.terms]),
                Series(
                    gettext("Sessions delivered"),
                    [row.sessions_delivered for row in dashboard.terms],
                ),
            ],
        ),
    }


def _page(request, *, template_context: dict, dashboard, name: str):
    if wants_export(request):
        return _download(request, name=name, tables=dashboard.tables())
    survey = dashboard.survey
    return render(
        request,
        "reports/dashboard.html",
        {
            **template_context,
            "dashboard": dashboard,
            "charts": _charts(dashboard),
            "statuses": list(UnitStatus),
            "survey": survey,
            "benchmark_label": survey_results.benchmark_label(),
            "benchmark_note": survey_results.benchmark_note(),
            "querystring": request.GET.urlencode(),
        },
    )


@require_permission(Perm.DASHBOARD_READ)
@require_GET
def dashboard_home(request):
    """Straight to the one dashboard a user reads; a list when there are several."""
    if selectors.may_compare_forces(request.user):
        return redirect("reports:national_dashboard")
    forces = list(selectors.dashboard_forces(request.user))
    areas = [a for a in selectors.dashboard_areas(request.user) if a.force not in forces]
    if len(forces) == 1 and not areas:
        return redirect("reports:force_dashboard", pk=forces[0].pk)
    if len(areas) == 1 and not forces:
        return redirect("reports:area_dashboard", pk=areas[0].pk)
    return render(request, "reports/dashboard_home.html", {"forces": forces, "areas": areas})


@require_permission(Perm.DASHBOARD_READ)
@require_GET
def force_dashboard(request, pk):
    force = selectors.get_force_for_dashboard(request.user, pk)
    areas = list(force.areas.order_by("name"))
    form, start, end, area = _period(request, areas=areas)
    context = {
        **PAGE_DEFAULTS,
        "force": force,
        "area": area,
        "form": form,
        "presets": presets(since=_first_year([force.pk])),
        "report_url": reverse("reports:report_start", args=[force.pk]),
        "results_url": reverse("impact:force_results", args=[force.pk]),
    }
    if start is None:
        return render(request, "reports/dashboard.html", context)
    dashboard = selectors.force_dashboard(
        force, start, end, exact=selectors.exact_counts(request.user), area=area
    )
    name = f"dashboard-{force.short_name}-{area.name if area else 'all'}-{start}-{end}"
    return _page(request, template_context=context, dashboard=dashboard, name=name)


@require_permission(Perm.DASHBOARD_READ)
@require_GET
def area_dashboard(request, pk):
    area = selectors.get_area_for_dashboard(request.user, pk)
    form, start, end, _ = _period(request)
    context = {
        **PAGE_DEFAULTS,
        "force": area.force,
        "area": area,
        "area_page": True,
        "form": form,
        "presets": presets(since=_first_year([area.force_id])),
        "results_url": reverse("impact:area_results", args=[area.pk]),
    }
    if start is None:
        return render(request, "reports/dashboard.html", context)
    dashboard = selectors.area_dashboard(
        area, start, end, exact=selectors.exact_counts(request.user)
    )
    name = f"dashboard-{area.force.short_name}-{area.name}-{start}-{end}"
    return _page(request, template_context=context, dashboard=dashboard, name=name)


@require_permission(Perm.DASHBOARD_READ)
@require_GET
def national_dashboard(request):
    """Every force side by side (national viewers only: others read their own force)."""
    if not selectors.may_compare_forces(request.user):
        return redirect("reports:dashboards")
    form, start, end, _ = _period(request)
    context = {
        "form": form,
        "presets": presets(
            since=_first_year(selectors.dashboard_forces(request.user).values("pk"))
        ),
    }
    if start is None:
        return render(request, "reports/national.html", context)
    comparison = selectors.national_comparison(start, end, exact=False)
    sort = selectors.sort_national(comparison, request.GET.get("sort", ""))
    if wants_export(request):
        return export_response(
            filename=f"forces-side-by-side-{start}-{end}",
            fmt=wants_export(request),
            tables=[selectors.national_table(comparison)],
        )
    params = request.GET.copy()
    params.pop("sort", None)
    return render(
        request,
        "reports/national.html",
        {
            **context,
            "comparison": comparison,
            "sort": sort,
            "start": start,
            "end": end,
            "sort_querystring": params.urlencode(),
            "querystring": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )
