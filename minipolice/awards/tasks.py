"""Background tasks of the awards app (Django's tasks API, run by `manage.py task_worker`)."""

from django_tasks import task


@task()
def run_bulk_issue_task(job_id: int) -> dict:
    """Issue a bulk issue's certificates and draw its combined PDF (services.run_bulk_issue)."""
    from minipolice.awards.services import run_bulk_issue

    return run_bulk_issue(job_id=job_id)
