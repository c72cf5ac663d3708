"""What each role's home page shows: the things that need doing, in a few queries."""

import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from minipolice.accounts.models import Role
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, is_cleared
from minipolice.lib.disclosure import rounded_children
from minipolice.organisations.models import Cohort, Unit, UnitStatus
from minipolice.organisations.selectors import visible_cohorts, visible_units
from minipolice.people.models import Enrolment
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


def headline_figures(user):
    """Counts for aggregate-only roles: units by status and children enrolled, per force."""
    scope = get_scope(user)
    units = Unit.objects.all()
    enrolments = Enrolment.objects.filter(
        left__isnull=True, cohort__end_date__gte=timezone.localdate()
    )
    if not scope.is_national:
        forces = sorted(scope.ids(Perm.AGGREGATES_READ, "force"))
        units = units.filter(school__area__force_id__in=forces)
        enrolments = enrolments.filter(cohort__unit__school__area__force_id__in=forces)
    by_status = dict(units.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    children = enrolments.values("child_id").distinct().count()
    return {
        "units_by_status": [(s.label, by_status.get(s.value, 0)) for s in UnitStatus],
        "children_enrolled": rounded_children(children),  # see minipolice.lib.disclosure
        "cohorts": Cohort.objects.filter(unit__in=units).count(),
    }


# Programme delivery alerts (sessions and registers) --------------------------------------------
def units_without_recent_session(user, today=None):
    """Units in term, running a cohort for three weeks or more, with no session in three weeks."""
    from minipolice.delivery.selectors import units_without_recent_session as quiet

    return quiet(visible_units(user, Perm.SESSION_MANAGE), today)


def registers_not_taken(user, today=None):
    """Sessions more than two days ago whose register nobody has taken, across the areas and
    forces the user oversees (a leader's or teacher's own are on their registers to take)."""
    from minipolice.delivery.selectors import registers_overdue

    return registers_overdue(user, today)
