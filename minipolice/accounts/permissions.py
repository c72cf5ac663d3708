"""Who may do what: a fixed vocabulary of permissions attached to roles.

Read this table in one glance. `*_manage` implies `*_read`. A permission says what a role may
do; the role assignment's scope (force, area, school, unit) says where.
"""

from enum import StrEnum

from minipolice.accounts.models import Role


class Perm(StrEnum):
    AREA_READ = "area_read"
    AREA_MANAGE = "area_manage"
    SCHOOL_READ = "school_read"
    SCHOOL_MANAGE = "school_manage"
    UNIT_READ = "unit_read"
    UNIT_MANAGE = "unit_manage"
    COHORT_READ = "cohort_read"
    COHORT_MANAGE = "cohort_manage"
    CHILDREN_READ = "children_read"
    CHILDREN_MANAGE = "children_manage"
    CHILD_NOTES = "child_notes"  # leaders' notes on additional needs
    LEADERS_READ = "leaders_read"
    LEADERS_MANAGE = "leaders_manage"
    AUDIT_READ = "audit_read"
    AGGREGATES_READ = "aggregates_read"
    OWN_CHILDREN = "own_children"


P = Perm
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    #                      areas          schools          units          cohorts          children            leaders           other
    Role.NATIONAL_VIEWER: frozenset({                                                                                            P.AGGREGATES_READ}),
    Role.FORCE_COORDINATOR: frozenset({P.AREA_MANAGE, P.SCHOOL_MANAGE, P.UNIT_MANAGE, P.COHORT_MANAGE, P.CHILDREN_MANAGE, P.CHILD_NOTES, P.LEADERS_MANAGE, P.AUDIT_READ, P.AGGREGATES_READ}),
    Role.AREA_LEAD:       frozenset({P.AREA_READ,   P.SCHOOL_MANAGE, P.UNIT_MANAGE, P.COHORT_MANAGE, P.CHILDREN_MANAGE, P.LEADERS_MANAGE}),
    Role.UNIT_LEADER:     frozenset({               P.SCHOOL_READ,   P.UNIT_READ,   P.COHORT_MANAGE, P.CHILDREN_MANAGE, P.CHILD_NOTES}),
    Role.TEACHER:         frozenset({               P.SCHOOL_READ,   P.UNIT_READ,   P.COHORT_MANAGE, P.CHILDREN_MANAGE}),
    Role.GUARDIAN:        frozenset({                                                                                            P.OWN_CHILDREN}),
    Role.FUNDER:          frozenset({                                                                                            P.AGGREGATES_READ}),
}  # fmt: skip

IMPLIES: dict[Perm, Perm] = {
    P.AREA_MANAGE: P.AREA_READ,
    P.SCHOOL_MANAGE: P.SCHOOL_READ,
    P.UNIT_MANAGE: P.UNIT_READ,
    P.COHORT_MANAGE: P.COHORT_READ,
    P.CHILDREN_MANAGE: P.CHILDREN_READ,
    P.LEADERS_MANAGE: P.LEADERS_READ,
}

# Permissions over children's records: a unit leader holds them only while their vetting and
# safeguarding training are in date.
NEEDS_CLEARANCE = frozenset({P.CHILDREN_READ, P.CHILDREN_MANAGE, P.CHILD_NOTES})

# Which roles' assignments are scoped at which level of the hierarchy.
ROLE_LEVEL = {
    Role.FORCE_COORDINATOR: "force",
    Role.FUNDER: "force",
    Role.AREA_LEAD: "area",
    Role.TEACHER: "school",
    Role.UNIT_LEADER: "unit",
    Role.GUARDIAN: "guardian",
    Role.NATIONAL_VIEWER: "national",
}


def permissions_of(role: Role) -> frozenset[Perm]:
    granted = set(ROLE_PERMISSIONS[role])
    granted |= {IMPLIES[p] for p in granted if p in IMPLIES}
    return frozenset(granted)


ROLE_GRANTS: dict[Role, frozenset[Perm]] = {role: permissions_of(role) for role in Role}
