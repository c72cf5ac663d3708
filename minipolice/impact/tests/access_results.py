"""Who may open the survey results pages.

Results are anonymous aggregates: every staff role reads them over its own scope, funders
over their force and national viewers over every force (at every level). A teacher or leader
has no area or force page (404: out of their scope); guardians have no results (403)."""

from tests.access import row

STAFF_AND_VIEWERS = row(
    teacher=200, leader=200, area_lead=200, coordinator=200, funder=200, national=200
)
AREA_AND_ABOVE = row(
    teacher=404, leader=404, area_lead=200, coordinator=200, funder=200, national=200
)
FORCE_WIDE = row(teacher=404, leader=404, area_lead=404, coordinator=200, funder=200, national=200)

MATRIX = {
    "impact:results_home": ("get", STAFF_AND_VIEWERS),
    "impact:cohort_results": ("get", STAFF_AND_VIEWERS),
    "impact:unit_results": ("get", STAFF_AND_VIEWERS),
    "impact:area_results": ("get", AREA_AND_ABOVE),
    "impact:force_results": ("get", FORCE_WIDE),
    "impact:format_comparison": ("get", FORCE_WIDE),
}


def url_kwargs(world) -> dict:
    return {
        "impact:force_results": {"pk": world.force.pk},
        "impact:format_comparison": {"pk": world.force.pk},
    }
