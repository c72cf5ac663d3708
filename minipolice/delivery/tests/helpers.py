"""Small builders shared by the delivery and community tests."""

import datetime

from django.utils import timezone

from minipolice.consent.services import record_consent
from minipolice.delivery import services
from minipolice.people import services as people


def grant_participation(*children, expires=None):
    for child in children:
        record_consent(
            acting_user=None,
            child=child,
            kind="participation",
            status="granted",
            method="paper",
            given_by_name="A parent",
            expires=expires,
        )


def refuse_participation(child):
    record_consent(
        acting_user=None,
        child=child,
        kind="participation",
        status="refused",
        method="paper",
        given_by_name="A parent",
    )


def add_children(cohort, n, *, consent=True, first="Kid"):
    children = [
        people.add_child_to_cohort(
            acting_user=None,
            cohort=cohort,
            first_name=f"{first}{i}",
            last_name="Register",
            year_group=5,
            joined=cohort.start_date,
        )
        for i in range(n)
    ]
    if consent:
        grant_participation(*children)
    return children


def session_on(cohort, day=None, **extra):
    return services.add_session(
        acting_user=None,
        cohort=cohort,
        date=day or timezone.localdate(),
        start_time=extra.pop("start_time", datetime.time(14, 0)),
        minutes=extra.pop("minutes", 60),
        place=extra.pop("place", "School hall"),
        **extra,
    )
