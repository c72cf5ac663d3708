"""Dashboards and the impact report in the access matrix."""

from tests.access import row

# Every reader of a dashboard is sent on to the one they read (the national view, their
# force's or their area's dashboard).
READERS_SENT_ON = row(area_lead=302, coordinator=302, funder=302, national=302)
# The world's force: its coordinator, its funder and the national viewer read it; the area
# lead holds the permission for one area only (404 for the force).
FORCE_READERS = row(area_lead=404, coordinator=200, funder=200, national=200)
AREA_READERS = row(area_lead=200, coordinator=200, funder=200, national=200)
# The impact report: coordinators, funders and national viewers (area leads hold no
# report permission).
REPORT_READERS = row(coordinator=200, funder=200, national=200)

MATRIX = {
    "reports:dashboards": ("get", READERS_SENT_ON),
    # Only a national viewer compares forces; the other readers are sent to their own.
    "reports:national_dashboard": (
        "get",
        row(area_lead=302, coordinator=302, funder=302, national=200),
    ),
    "reports:force_dashboard": ("get", FORCE_READERS),
    "reports:area_dashboard": ("get", AREA_READERS),
    "reports:report_start": ("get", REPORT_READERS),
    "reports:report_progress": ("get", REPORT_READERS),
    "reports:report_pdf": ("get", REPORT_READERS),
}


def url_kwargs(world) -> dict:
    from minipolice.reports import services

    report = services._queue(None, world.force, *_period(), "")[0]
    services.draw_impact_report(report_id=report.pk)
    return {
        "reports:force_dashboard": {"pk": world.force.pk},
        "reports:area_dashboard": {"pk": world.area.pk},
        "reports:report_start": {"pk": world.force.pk},
        "reports:report_progress": {"pk": report.pk},
        "reports:report_pdf": {"pk": report.pk},
    }


def _period():
    from minipolice.reports.periods import current_school_year

    return current_school_year()
