"""Scoped reads for children, guardians and leaders. Views use only these."""

from django.db.models import Max, Prefetch, Q
from django.http import Http404

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_q
from minipolice.organisations.selectors import visible_cohorts
from minipolice.people.models import Child, Enrolment, Guardian, Guardianship


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _enrolments_in_scope(user, perm: Perm):
    # Only current enrolments: when a child leaves or moves school, the old unit's leaders and
    # teachers lose the record (the force's coordinator keeps it until retention).
    return Enrolment.objects.filter(
        left__isnull=True,
    ).filter(
        scope_q(
            user,
            perm,
            area="cohort__unit__school__area_id",
            school="cohort__unit__school_id",
            unit="cohort__unit_id",
        )
    )


def visible_children(user, perm: Perm = Perm.CHILDREN_READ):
    """Children the user may see: the force's for coordinators, else through enrolments."""
    scope = get_scope(user)
    q = Q(force_id__in=sorted(scope.ids(perm, "force")))
    q |= Q(pk__in=_enrolments_in_scope(user, perm).values("child_id"))
    guardian_ids = scope.ids(perm, "guardian")
    if guardian_ids:
        q |= Q(
            pk__in=Guardianship.objects.filter(guardian_id__in=sorted(guardian_ids)).values(
                "child_id"
            )
        )
    return Child.objects.filter(q, anonymised_at__isnull=True)


def children_list(user, perm: Perm = Perm.CHILDREN_READ):
    """Children with their current cohort, for list pages, in a fixed number of queries."""
    current = Enrolment.objects.filter(left__isnull=True).select_related("cohort", "cohort__unit")
    return visible_children(user, perm).prefetch_related(
        Prefetch("enrolments", queryset=current, to_attr="current_enrolments")
    )


def get_child_for_user(user, pk, perm: Perm = Perm.CHILDREN_READ) -> Child:
    return _get_or_404(visible_children(user, perm), pk)


def child_enrolments(child: Child):
    return child.enrolments.select_related("cohort", "cohort__unit", "cohort__unit__school")


def child_guardianships(child: Child):
    return child.guardianships.select_related("guardian").order_by("guardian__name")


def visible_guardians(user, perm: Perm = Perm.CHILDREN_READ):
    # An id list built once through the guardianship index; a correlated EXISTS here made
    # SQLite scan every guardian in the country (13 s at national scale, see bench/README.md).
    links = Guardianship.objects.filter(child__in=visible_children(user, perm))
    return Guardian.objects.filter(pk__in=links.values("guardian_id"), anonymised_at__isnull=True)


def manages_every_child_of(user, guardian: Guardian) -> bool:
    """The user may manage every child of `guardian` (whose records are kept). Only such a
    user may change the email address that signs in to all of those children's consents."""
    children = Child.objects.filter(guardianships__guardian=guardian, anonymised_at__isnull=True)
    managed = visible_children(user, Perm.CHILDREN_MANAGE).values("pk")
    return not children.exclude(pk__in=managed).exists()


def guardians_list(user, perm: Perm = Perm.CHILDREN_READ):
    visible = visible_children(user, perm)
    links = Guardianship.objects.filter(child__in=visible).select_related("child")
    return visible_guardians(user, perm).prefetch_related(
        Prefetch("guardianships", queryset=links, to_attr="visible_links")
    )


def get_guardian_for_user(user, pk, perm: Perm = Perm.CHILDREN_READ) -> Guardian:
    return _get_or_404(guardians_list(user, perm), pk)


def visible_leaders(user, perm: Perm = Perm.LEADERS_READ):
    """Users who lead a unit the viewer may see leaders of, with their latest expiry dates."""
    assignments = RoleAssignment.objects.filter(
        scope_q(user, perm, force="force_id", area="unit__school__area_id"),
        role=Role.UNIT_LEADER,
    )
    return User.objects.filter(pk__in=assignments.values("user_id")).annotate(
        vetting_expires=Max("vettings__expires"),
        training_expires=Max("safeguarding_trainings__expires"),
    )


def leaders_list(user, perm: Perm = Perm.LEADERS_READ):
    # Only the assignments the viewer may see: a leader who also serves another force keeps
    # that force's units to themselves.
    units = RoleAssignment.objects.filter(
        scope_q(user, perm, force="force_id", area="unit__school__area_id"), role=Role.UNIT_LEADER
    ).select_related("unit")
    return visible_leaders(user, perm).prefetch_related(
        Prefetch("role_assignments", queryset=units, to_attr="leader_assignments")
    )


def get_leader_for_user(user, pk, perm: Perm = Perm.LEADERS_READ) -> User:
    return _get_or_404(leaders_list(user, perm), pk)


def cohort_enrolments(user, cohort):
    """The cohort's enrolments, or None when the user may not see children's records."""
    if not get_scope(user).has(Perm.CHILDREN_READ):
        return None
    return (
        Enrolment.objects.filter(cohort=cohort, child__in=visible_children(user))
        .select_related("child")
        .order_by("left", "child__last_name", "child__first_name")
    )


def visible_enrolments(user, perm: Perm = Perm.CHILDREN_READ):
    """Enrolments of children the user may see (with `perm`), in cohorts the user may see."""
    return Enrolment.objects.filter(
        child__in=visible_children(user, perm),
        cohort__in=visible_cohorts(user).values("pk"),
    )


def current_members(**where):
    """The ids of children enrolled now (not left) in the cohorts `where` picks, e.g.
    cohort_id=3 or cohort__unit_id=7: a subquery for `pk__in`."""
    return Enrolment.objects.filter(left__isnull=True, **where).values("child_id")
