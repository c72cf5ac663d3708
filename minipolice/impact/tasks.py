"""Background work of the impact app, run by `manage.py task_worker`."""

from minipolice.impact.privacy import clear_expired_feedback


def housekeeping() -> None:
    """Run every minute (the task worker's `housekeeping` hook): feedback on cohorts past
    their force's retention period loses its written answers (impact/privacy.py). Cheap when
    nothing is due: two queries."""
    clear_expired_feedback()
