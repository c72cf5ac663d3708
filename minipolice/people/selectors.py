"""Scoped reads for children, guardians and leaders. Views use only these."""

from django.db.models import Max, Prefetch, Q, prefetch_related_objects

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_q, scope_reach, values_at
from minipolice.lib.access import get_or_404
from minipolice.organisations.selectors import visible_cohort_ids
from minipolice.people.models import (
    Child,
    ClassListImport,
    Enrolment,
    Guardian,
    Guardianship,
    RetentionRun,
)
from minipolice.people.retention import children_due, guardians_left_without_children

# A child's current enrolments (they may have left earlier cohorts) carry them to their unit,
# school and area: only those, as in `_enrolments_in_scope`.
CURRENT_ENROLMENT_PATHS = {
    "area": "cohort__unit__school__area_id",
    "school": "cohort__unit__school_id",
    "unit": "cohort__unit_id",
}


def _current_enrolments(child: Child) -> list[Enrolment]:
    """The child's current enrolments: from the prefetch of a list page when there is one,
    else loaded once (one query) and kept on the child."""
    _load_current_enrolments([child])
    return child.current_enrolments


def _load_current_enrolments(children) -> None:
    missing = [child for child in children if not hasattr(child, "current_enrolments")]
    if missing:
        prefetch_related_objects(missing, _current_enrolments_prefetch())


def _current_enrolments_prefetch() -> Prefetch:
    current = Enrolment.objects.filter(left__isnull=True).select_related(
        "cohort", "cohort__unit", "cohort__unit__school"
    )
    return Prefetch("enrolments", queryset=current, to_attr="current_enrolments")


@scope_reach(Child)
def _child_reach(child: Child, level: str) -> list:
    """Where a child is in reach, as `visible_children` says: their force, the units, schools
    and areas of their current enrolments, and their guardians."""
    if level == "force":
        return [child.force_id]
    if level == "guardian":
        return [link.guardian_id for link in child.guardianships.all()]
    if level not in CURRENT_ENROLMENT_PATHS:
        return []
    path = CURRENT_ENROLMENT_PATHS[level]
    return [found for e in _current_enrolments(child) for found in values_at(e, path)]


@scope_reach(Guardian)
def _guardian_reach(guardian: Guardian, level: str) -> list:
    """A guardian is in reach where one of their children is. From the links the selector
    loaded (`visible_links`: the children visible under the permission the guardian was fetched
    with), so ask only about permissions no wider than that one (manage after read)."""
    links = getattr(guardian, "visible_links", None)
    if links is None:
        links = list(
            guardian.guardianships.filter(child__anonymised_at__isnull=True).select_related("child")
        )
    if level in CURRENT_ENROLMENT_PATHS:
        _load_current_enrolments([link.child for link in links])  # one query for them all
    return [found for link in links for found in _child_reach(link.child, level)]


@scope_reach(User)
def _leader_reach(leader: User, level: str) -> list:
    """A leader is in reach where one of the units they lead is, by force or area, as
    `visible_leaders` says; from the assignments `leaders_list` loaded when it did."""
    assignments = getattr(leader, "leader_assignments", None)
    if assignments is None:
        assignments = list(
            leader.role_assignments.filter(role=Role.UNIT_LEADER).select_related("unit__school")
        )
    if level == "force":
        return [a.force_id for a in assignments]
    if level == "area":
        return [a.unit.school.area_id for a in assignments if a.unit_id is not None]
    return []


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
    return visible_children(user, perm).prefetch_related(_current_enrolments_prefetch())


def get_child_for_user(user, pk, perm: Perm = Perm.CHILDREN_READ) -> Child:
    return get_or_404(visible_children(user, perm), pk)


def child_enrolments(child: Child):
    return child.enrolments.select_related("cohort", "cohort__unit", "cohort__unit__school")


def child_guardianships(child: Child):
    return child.guardianships.select_related("guardian").order_by("guardian__name")


def child_guardians(child: Child):
    """The child's guardians whose records are kept, by name (who may have signed a form)."""
    return Guardian.objects.filter(guardianships__child=child, anonymised_at__isnull=True).order_by(
        "name"
    )


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
    return get_or_404(guardians_list(user, perm), pk)


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
    ).select_related("unit__school")
    return visible_leaders(user, perm).prefetch_related(
        Prefetch("role_assignments", queryset=units, to_attr="leader_assignments")
    )


def get_leader_for_user(user, pk, perm: Perm = Perm.LEADERS_READ) -> User:
    return get_or_404(leaders_list(user, perm), pk)


def cohort_enrolments(user, cohort):
    """The cohort's enrolments, or None when the user may not see children's records."""
    if not get_scope(user).has(Perm.CHILDREN_READ):
        return None
    return (
        Enrolment.objects.filter(cohort=cohort, child__in=visible_children(user))
        .select_related("child")
        .order_by("left", "child__last_name", "child__first_name")
    )


# Data protection -----------------------------------------------------------------------------
def guardians_erased_with(child: Child) -> list[Guardian]:
    """The child's guardians with no other child whose data is kept: erasing the child
    erases them too."""
    children = Child.objects.filter(pk=child.pk)
    return list(guardians_left_without_children(children).order_by("name", "pk"))


def children_due_for_user(user, today):
    """The dry run for the forces where the user handles data protection: the children the next
    retention run would anonymise (a queryset, to page in SQL)."""
    return children_due(today, get_scope(user).ids(Perm.DATA_PROTECTION, "force"))


def recent_retention_runs(user, limit: int = 10) -> list[dict]:
    """The latest retention runs, each with how many children and guardians it anonymised in
    the forces where the user handles data protection."""
    force_ids = get_scope(user).ids(Perm.DATA_PROTECTION, "force")
    runs = []
    for run in RetentionRun.objects.order_by("-started_at", "-id")[:limit]:
        counts = [run.by_force.get(str(pk), {}) for pk in force_ids]
        runs.append(
            {
                "run": run,
                "children": sum(c.get("children", 0) for c in counts),
                "guardians": sum(c.get("guardians", 0) for c in counts),
            }
        )
    return runs


# Class list imports --------------------------------------------------------------------------
def get_class_list_import_for_user(user, cohort, pk):
    """The user's own import for this cohort; 404 for anyone else's, or another cohort's."""
    found = get_or_404(ClassListImport.objects.filter(cohort=cohort, uploaded_by=user), pk)
    found.cohort = cohort  # already fetched and authorised, with the relations pages need
    return found


def cohort_enrolments_to_match(cohort):
    """The cohort's enrolments, now and formerly, of children whose records are kept: an import
    matches its rows to these children only."""
    return Enrolment.objects.filter(
        cohort=cohort, child__anonymised_at__isnull=True
    ).select_related("child")


def cohort_guardians_to_match(cohort):
    """Guardians already linked to a child of the cohort, in its force, whose records are kept:
    never wider than the cohort, or an uploader could link (and so see) any parent in the
    force by putting their email in a file."""
    return Guardian.objects.filter(
        pk__in=Guardianship.objects.filter(child__enrolments__cohort=cohort).values("guardian_id"),
        force_id=cohort.unit.school.area.force_id,
        anonymised_at__isnull=True,
    ).order_by("pk")


def existing_links(*, child_ids, guardian_ids) -> set[tuple[int, int]]:
    """The (child id, guardian id) pairs among these already linked."""
    return set(
        Guardianship.objects.filter(
            child_id__in=sorted(child_ids), guardian_id__in=sorted(guardian_ids)
        ).values_list("child_id", "guardian_id")
    )


def visible_enrolments(user, perm: Perm = Perm.CHILDREN_READ):
    """Enrolments of children the user may see (with `perm`), in cohorts the user may see."""
    return Enrolment.objects.filter(
        child__in=visible_children(user, perm),
        cohort__in=visible_cohort_ids(user),
    )


def current_members(**where):
    """The ids of children enrolled now (not left) in the cohorts `where` picks, e.g.
    cohort_id=3 or cohort__unit_id=7: a subquery for `pk__in`."""
    return Enrolment.objects.filter(left__isnull=True, **where).values("child_id")
