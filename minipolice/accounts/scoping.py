"""The one mechanism every selector uses to scope a query by the user's role assignments."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.accounts.permissions import NEEDS_CLEARANCE, ROLE_GRANTS, ROLE_LEVEL, Perm

LEVEL_FIELD = {
    "force": "force_id",
    "area": "area_id",
    "school": "school_id",
    "unit": "unit_id",
    "guardian": "guardian_id",
}


@dataclass(frozen=True)
class Scope:
    """What one user may reach: for each role, the ids of the objects its assignments name."""

    ids_by_role: dict[Role, frozenset[int]] = field(default_factory=dict)
    force_ids: frozenset[int] = frozenset()
    is_national: bool = False
    cleared: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self.ids_by_role) | ({Role.NATIONAL_VIEWER} if self.is_national else set())

    def has(self, perm: Perm) -> bool:
        return any(self._grants(role, perm) for role in self.roles)

    def ids(self, perm: Perm, level: str) -> frozenset[int]:
        found: set[int] = set()
        for role, ids in self.ids_by_role.items():
            if ROLE_LEVEL[role] == level and self._grants(role, perm):
                found |= ids
        return frozenset(found)

    def _grants(self, role: Role, perm: Perm) -> bool:
        if perm not in ROLE_GRANTS[role]:
            return False
        return not (role == Role.UNIT_LEADER and perm in NEEDS_CLEARANCE and not self.cleared)


EMPTY_SCOPE = Scope()


def get_scope(user) -> Scope:
    """The user's scope, computed once per request (two queries) and kept on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_minipolice_scope", None)
    if cached is not None:
        return cached
    ids_by_role: dict[Role, set[int]] = {}
    forces: set[int] = set()
    national = False
    for a in RoleAssignment.objects.filter(user=user).only(*LEVEL_FIELD.values(), "role"):
        role = Role(a.role)
        level = ROLE_LEVEL[role]
        if level == "national":
            national = True
            continue
        ids_by_role.setdefault(role, set()).add(getattr(a, LEVEL_FIELD[level]))
        forces.add(a.force_id)
    cleared = Role.UNIT_LEADER in ids_by_role and is_cleared(user)
    scope = Scope(
        ids_by_role={role: frozenset(ids) for role, ids in ids_by_role.items()},
        force_ids=frozenset(forces),
        is_national=national,
        cleared=cleared,
    )
    user._minipolice_scope = scope
    return scope


def is_cleared(user, on=None) -> bool:
    """In-date vetting and in-date safeguarding training, both."""
    today = on or timezone.localdate()
    return (
        user.vettings.filter(granted__lte=today, expires__gte=today).exists()
        and user.safeguarding_trainings.filter(expires__gte=today).exists()
    )


def scope_q(user, perm: Perm, **paths: str) -> Q:
    """A Q that keeps the rows `user` holds `perm` over.

    `paths` maps a level (force, area, school, unit, guardian) to the lookup from the queried
    model to that level's id, e.g. for units: force="school__area__force_id", unit="id".
    """
    scope = get_scope(user)
    q = Q(pk__in=[])
    for level, path in paths.items():
        ids = scope.ids(perm, level)
        if ids:
            q |= Q(**{f"{path}__in": sorted(ids)})
    return q
