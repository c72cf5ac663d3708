"""What each role's home page shows: the things that need doing, in a few queries.

The figures for aggregate-only roles are minipolice.impact.selectors.headline_figures; the
delivery and story alerts are template tags of those apps (delivery_alerts, story_alerts)."""

import datetime

from django.db.models import Max, Q
from django.utils import timezone

from minipolice.accounts.models import Role
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, is_cleared
from minipolice.organisations.models import UnitStatus
from minipolice.organisations.selectors import visible_cohorts, visible_units
from minipolice.people.selectors import visible_leaders

SOON = datetime.timedelta(days=30)
OPEN_STATUSES = [UnitStatus.PROPOSED, UnitStatus.TRIAL, UnitStatus.ACTIVE, UnitStatus.PAUSED]


def units_without_leader(user):
    return visible_units(user, Perm.UNIT_MANAGE).filter(has_leader=False, status__in=OPEN_STATUSES)


def leaders_expiring(user, today=None):
    """Leaders whose vetting or safeguarding training has expired or expires within 30 days."""
    today = today or timezone.localdate()
    limit = today + SOON
    return (
        visible_leaders(user, Perm.LEADERS_MANAGE)
        .filter(
            Q(vetting_expires__lte=limit)
            | Q(training_expires__lte=limit)
            | Q(vetting_expires__isnull=True)
            | Q(training_expires__isnull=True)
        )
        .order_by("vetting_expires", "full_name")
    )


def cohorts_starting_soon(user, today=None):
    today = today or timezone.localdate()
    return (
        visible_cohorts(user)
        .filter(start_date__gte=today, start_date__lte=today + SOON)
        .order_by("start_date")
    )


def my_clearance(user, today=None):
    """A leader's own vetting and training, and which of them runs out within 30 days
    (`expiring`: what and when, for the home page's warning; expired ones are not cleared)."""
    scope = get_scope(user)
    # The scope worked out today's answer when it loaded (a leader's): no need to ask again.
    if today in (None, timezone.localdate()) and Role.UNIT_LEADER in scope.roles:
        cleared = scope.cleared
    else:
        cleared = is_cleared(user, today)
    today = today or timezone.localdate()
    vetting = user.vettings.aggregate(latest=Max("expires"))["latest"]
    training = user.safeguarding_trainings.aggregate(latest=Max("expires"))["latest"]
    expiring = [
        (what, expires)
        for what, expires in (("vetting", vetting), ("safeguarding training", training))
        if expires is not None and today <= expires <= today + SOON
    ]
    return {
        "cleared": cleared,
        "vetting_expires": vetting,
        "training_expires": training,
        "expiring": expiring,
        "today": today,
        "soon": today + SOON,
    }
