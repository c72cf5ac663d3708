"""The demo's dates that follow the day it is loaded, so a leader always has a register to take.

The current cohorts run through the school year of `today`; the demo leader's cohort meets
weekly on today's weekday (Friday when the demo is loaded at a weekend, with a reward visit on
the day itself), five weeks back and three weeks on, with a half-term week skipped.
"""

import datetime

from django.utils import timezone

from minipolice.organisations.models import Cohort

DEMO_SCHOOL = "Oasis Connaught School"
WEEK = datetime.timedelta(weeks=1)


def school_year(today: datetime.date) -> int:
    """The year the school year of `today` began in (September to August)."""
    return today.year if today.month >= 9 else today.year - 1


def school_year_label(day: datetime.date) -> str:
    """Like "2026/27"."""
    year = school_year(day)
    return f"{year}/{(year + 1) % 100:02d}"


def current_cohort_name(today: datetime.date) -> str:
    return f"{school_year_label(today)} Year 5"


def current_cohort_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the first Monday of September to 19 July, stretched to take in the demo leader's
    sessions (five weeks before today to four weeks after) whatever the day."""
    year = school_year(today)
    september = datetime.date(year, 9, 1)
    start = september + datetime.timedelta(days=(7 - september.weekday()) % 7)
    end = datetime.date(year + 1, 7, 19)
    return min(start, today - 6 * WEEK), max(end, today + 5 * WEEK)


def session_weekday(today: datetime.date) -> int:
    return min(today.weekday(), 4)  # Monday to Friday; Friday's at a weekend


def half_term(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday to Friday of the week three weeks before the session's week: one week skipped."""
    anchor = today - datetime.timedelta(days=today.weekday()) - 3 * WEEK
    return anchor, anchor + datetime.timedelta(days=4)


def first_session(today: datetime.date) -> datetime.date:
    """Five weeks before the session day of today's week: four sessions held, one skipped."""
    day = today - datetime.timedelta(days=today.weekday() - session_weekday(today))
    return day - 5 * WEEK


def demo_cohort(today: datetime.date | None = None) -> Cohort | None:
    """The demo leader's current cohort (at Oasis Connaught School), or None before loading."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(
            unit__school__name=DEMO_SCHOOL,
            unit__school__area__force__short_name="avon-and-somerset",
            start_date__lte=today,
            end_date__gte=today,
        )
        .select_related("unit__school__area__force")
        .order_by("-start_date", "-pk")
        .first()
    )
