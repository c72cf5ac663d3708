"""Background tasks of the reports app (Django's tasks API, run by `manage.py task_worker`)."""

from django_tasks import task


@task()
def draw_impact_report_task(report_id: int) -> dict:
    """Work out and draw an impact report's PDF (services.draw_impact_report)."""
    from minipolice.reports.services import draw_impact_report

    return draw_impact_report(report_id=report_id)


def housekeeping() -> None:
    """Run every minute by `manage.py task_worker` (its `housekeeping` hook): a report whose
    worker was killed while drawing it is queued again (services.resume_interrupted_reports)."""
    from minipolice.reports.services import resume_interrupted_reports  # the same cycle

    resume_interrupted_reports()
