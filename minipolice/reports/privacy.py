"""The reports app's personal data: the story photos printed in an impact report's PDF.

A report keeps the ids of the photos it printed. When a child's consent changes or their
record is anonymised, the public app takes their photos down first (hooks run in app order);
then every stored report whose photos may no longer all be shown loses its PDF, so it must
be drawn again without them. Downloads check the same again (report_views.report_pdf).
"""

from minipolice.reports import selectors, services
from minipolice.reports.models import ImpactReport


def _drop_reports_no_longer_shown() -> None:
    stored = (
        ImpactReport.objects.filter(pdf__isnull=False)
        .exclude(photo_ids=[])
        .select_related("force")
        .defer("pdf")
    )
    for report in stored:
        if not selectors.photos_still_shown(report):
            services.discard_pdf(report)


def anonymise_child(child) -> None:
    _drop_reports_no_longer_shown()


def consent_recorded(*, acting_user, child, consent) -> None:
    _drop_reports_no_longer_shown()
