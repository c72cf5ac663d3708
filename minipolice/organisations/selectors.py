"""Scoped reads for forces, areas, schools, units and cohorts. Views use only these."""

from django.db.models import Count, Exists, OuterRef, Q

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_q
from minipolice.lib.access import get_or_404
from minipolice.organisations.models import Area, Cohort, Force, School, Unit


def visible_forces(user, perm: Perm = Perm.AREA_READ):
    scope = get_scope(user)
    return Force.objects.filter(pk__in=sorted(scope.force_ids) if scope.has(perm) else [])


def visible_areas(user, perm: Perm = Perm.AREA_READ):
    return (
        Area.objects.filter(scope_q(user, perm, force="force_id", area="id"))
        .select_related("force")
        .annotate(school_count=Count("schools", distinct=True))
    )


def get_area_for_user(user, pk, perm: Perm = Perm.AREA_READ) -> Area:
    return get_or_404(visible_areas(user, perm), pk)


def visible_schools(user, perm: Perm = Perm.SCHOOL_READ):
    q = scope_q(user, perm, force="area__force_id", area="area_id", school="id", unit="units__id")
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
        Unit.objects.filter(
            scope_q(
                user,
                perm,
                force="school__area__force_id",
                area="school__area_id",
                school="school_id",
                unit="id",
            )
        )
        .select_related("school", "school__area", "school__area__force")
        .annotate(has_leader=Exists(leaders))
    )


def get_unit_for_user(user, pk, perm: Perm = Perm.UNIT_READ) -> Unit:
    return get_or_404(visible_units(user, perm), pk)


def unit_leaders(unit: Unit):
    return (
        RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_LEADER)
        .select_related("user")
        .order_by("user__full_name")
    )


def visible_cohorts(user, perm: Perm = Perm.COHORT_READ):
    return (
        Cohort.objects.filter(
            scope_q(
                user,
                perm,
                force="unit__school__area__force_id",
                area="unit__school__area_id",
                school="unit__school_id",
                unit="unit_id",
            )
        )
        .select_related("unit", "unit__school")
        .annotate(children_count=Count("enrolments", filter=Q(enrolments__left__isnull=True)))
    )


def get_cohort_for_user(user, pk, perm: Perm = Perm.COHORT_READ) -> Cohort:
    return get_or_404(visible_cohorts(user, perm), pk)
