"""Results pages: what changed, per cohort, unit, area and force, and the programme formats
side by side. Thin views over impact.results (scoped reads and figures counted in SQL)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minipolice.impact import results
from minipolice.lib.access import require_permission
from minipolice.lib.disclosure import BASE, exact_children_counts


def _page(request, *, obj, level: str, title: str, caption: str, links: list):
    return render(
        request,
        "impact/results/results.html",
        {
            "obj": obj,
            "level": level,
            "title": title,
            "caption": caption,
            "links": links,
            "results": results.results_for(obj),
            "base": BASE,
            "not_enough": results.not_enough(),
            "benchmark_label": results.benchmark_label(),
            "benchmark_note": results.benchmark_note(),
            "counts_exact": exact_children_counts(request.user, results.PERM),
        },
    )


@require_GET
@require_permission(results.PERM)
def results_home(request):
    return render(
        request, "impact/results/home.html", {"links": results.results_links(request.user)}
    )


@require_GET
@require_permission(results.PERM)
def cohort_results(request, pk):
    cohort = results.get_cohort_for_results(request.user, pk)
    unit = cohort.unit
    return _page(
        request,
        obj=cohort,
        level="cohort",
        title=_("Survey results: %(name)s") % {"name": cohort.name},
        caption=f"{unit.name}, {unit.school.name}",
        links=[],
    )


@require_GET
@require_permission(results.PERM)
def unit_results(request, pk):
    unit = results.get_unit_for_results(request.user, pk)
    return _page(
        request,
        obj=unit,
        level="unit",
        title=_("Survey results: %(name)s") % {"name": unit.name},
        caption=_("All of the unit's cohorts, %(school)s") % {"school": unit.school.name},
        links=[],
    )


@require_GET
@require_permission(results.PERM)
def area_results(request, pk):
    area = results.get_area_for_results(request.user, pk)
    return _page(
        request,
        obj=area,
        level="area",
        title=_("Survey results: %(name)s") % {"name": area.name},
        caption=_("All of the area's cohorts, %(force)s") % {"force": area.force.name},
        links=[],
    )


@require_GET
@require_permission(results.PERM)
def force_results(request, pk):
    force = results.get_force_for_results(request.user, pk)
    return _page(
        request,
        obj=force,
        level="force",
        title=_("Survey results: %(name)s") % {"name": force.name},
        caption=_("All of the force's cohorts"),
        links=[
            (
                _("Compare programme formats"),
                reverse("impact:format_comparison", args=[force.pk]),
            )
        ],
    )


@require_GET
@require_permission(results.PERM)
def format_comparison(request, pk):
    force = results.get_force_for_results(request.user, pk)
    return render(
        request,
        "impact/results/formats.html",
        {
            "force": force,
            "comparison": results.format_comparison(force),
            "base": BASE,
            "not_enough": results.not_enough(),
        },
    )
