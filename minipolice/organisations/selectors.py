"""Scoped reads for forces, areas, schools, units and cohorts. Views use only these."""

from django.db.models import Count, Exists, Max, OuterRef, Q

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_paths, scope_q
from minipolice.lib.access import get_or_404
from minipolice.organisations.models import Area, Cohort, Force, School, Unit

AREA_PATHS = scope_paths(Area, force="force_id", area="id")
# A unit leader reaches a school through a unit: the one to-many path.
SCHOOL_PATHS = scope_paths(
    School, force="area__force_id", area="area_id", school="id", unit="units__id"
)
UNIT_PATHS = scope_paths(
    Unit, force="school__area__force_id", area="school__area_id", school="school_id", unit="id"
)
COHORT_PATHS = scope_paths(
    Cohort,
    force="unit__school__area__force_id",
    area="unit__school__area_id",
    school="unit__school_id",
    unit="unit_id",
)


def visible_forces(user, perm: Perm = Perm.AREA_READ):
    scope = get_scope(user)
    return Force.objects.filter(pk__in=sorted(scope.force_ids) if scope.has(perm) else [])


def forces_held(user, perm: Perm):
    """The forces where the user holds `perm` force-wide (a coordinator's force)."""
    return Force.objects.filter(pk__in=sorted(get_scope(user).ids(perm, "force")))


def visible_areas(user, perm: Perm = Perm.AREA_READ):
    return (
        Area.objects.filter(scope_q(user, perm, **AREA_PATHS))
        .select_related("force")
        .annotate(school_count=Count("schools", distinct=True))
    )


def get_area_for_user(user, pk, perm: Perm = Perm.AREA_READ) -> Area:
    return get_or_404(visible_areas(user, perm), pk)


def visible_schools(user, perm: Perm = Perm.SCHOOL_READ):
    q = scope_q(user, perm, **SCHOOL_PATHS)
    # A unit leader reaches a school through a unit; the join can repeat a school.
    schools = School.objects.filter(pk__in=School.objects.filter(q).values("pk")).select_related(
        "area", "area__force"
    )
    return schools.annotate(unit_count=Count("units"))


def get_school_for_user(user, pk, perm: Perm = Perm.SCHOOL_READ) -> School:
    return get_or_404(visible_schools(user, perm), pk)


def visible_units(user, perm: Perm = Perm.UNIT_READ):
    leaders = RoleAssignment.objects.filter(unit=OuterRef("pk"), role=Role.UNIT_LEADER)
    return (
        Unit.objects.filter(scope_q(user, perm, **UNIT_PATHS))
        .select_related("school", "school__area", "school__area__force")
        .annotate(has_leader=Exists(leaders))
    )


def get_unit_for_user(user, pk, perm: Perm = Perm.UNIT_READ) -> Unit:
    return get_or_404(visible_units(user, perm), pk)


def unit_leader_candidates(unit: Unit):
    """Leaders in the unit's force who do not lead this unit yet, each with the latest expiry of
    their vetting and safeguarding training, in one query."""
    return (
        User.objects.filter(
            role_assignments__force_id=unit.school.area.force_id,
            role_assignments__role=Role.UNIT_LEADER,
            is_active=True,
        )
        .exclude(role_assignments__unit=unit, role_assignments__role=Role.UNIT_LEADER)
        .annotate(
            vetting_expires=Max("vettings__expires"),
            training_expires=Max("safeguarding_trainings__expires"),
        )
        .order_by("full_name", "pk")
    )


def unit_leaders(unit: Unit):
    return (
        RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_LEADER)
        .select_related("user")
        .order_by("user__full_name")
    )


def visible_cohorts(user, perm: Perm = Perm.COHORT_READ):
    return (
        Cohort.objects.filter(scope_q(user, perm, **COHORT_PATHS))
        .select_related("unit", "unit__school", "unit__school__area")
        .annotate(children_count=Count("enrolments", filter=Q(enrolments__left__isnull=True)))
    )


def visible_cohort_ids(user, perm: Perm = Perm.COHORT_READ):
    """The ids of the cohorts visible_cohorts gives, as a subquery for `__in`: without its
    count of children, whose GROUP BY made every enrolment of a force cost a join (#15)."""
    return Cohort.objects.filter(scope_q(user, perm, **COHORT_PATHS)).values("pk")


def get_cohort_for_user(user, pk, perm: Perm = Perm.COHORT_READ) -> Cohort:
    # One cohort's page shows its programme format; the lists do not join it.
    return get_or_404(visible_cohorts(user, perm).select_related("programme_template"), pk)
