"""The one mechanism every selector uses to scope a query by the user's role assignments.

Each scoped model's owning app declares once, in its selectors, how a row reaches the levels
of the hierarchy (`scope_paths`, or `scope_reach` for a rule paths cannot say). The same
declaration builds the SQL filter (`scope_q`) for lists and answers "may this user do `perm`
to this row?" (`Scope.can`) in Python, from the user's loaded role assignments and the row's
loaded ancestors, so a page's "may manage" flags cost no query.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module

from django.db.models import Manager, Q
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

    def can(self, perm: Perm, obj) -> bool:
        """The user holds `perm` over `obj`, a row they reached through a selector.

        Answered from the role assignments already loaded and `obj`'s ancestors, which the
        selector loads with it (`select_related`): no query. A level the object reaches only
        through rows not loaded (a school's units) is read only when the user holds `perm` at
        that level. National viewers hold no permission over a single row (aggregates only).
        """
        reach = _reach_of(obj)
        for level in LEVEL_FIELD:
            ids = self.ids(perm, level)
            if ids and not ids.isdisjoint(reach(obj, level)):
                return True
        return False

    def _grants(self, role: Role, perm: Perm) -> bool:
        if perm not in ROLE_GRANTS[role]:
            return False
        return not (role == Role.UNIT_LEADER and perm in NEEDS_CLEARANCE and not self.cleared)


EMPTY_SCOPE = Scope()

# model -> function(row, level) giving the ids of that level the row belongs to.
Reach = Callable[[object, str], Iterable[int | None]]
_REACH: dict[type, Reach] = {}


def scope_paths(model, **paths: str) -> dict[str, str]:
    """Declares how rows of `model` reach each level (the lookups `scope_q` takes, e.g. for
    units force="school__area__force_id", unit="id") and returns them for `scope_q`. The same
    paths, walked on a loaded row, answer `Scope.can`."""

    def reach(obj, level: str) -> list:
        return values_at(obj, paths[level]) if level in paths else []

    _REACH[model] = reach
    return paths


def scope_reach(model):
    """Declares, as a function(row, level) -> ids, how rows of `model` reach each level, for a
    rule that paths cannot say (a child is reached through their current enrolments only)."""

    def register(reach: Reach) -> Reach:
        _REACH[model] = reach
        return reach

    return register


def _reach_of(obj) -> Reach:
    if type(obj) not in _REACH:
        # The declaration lives in the owning app's selectors, which may not be imported yet.
        import_module(f"{obj._meta.app_config.name}.selectors")
    try:
        return _REACH[type(obj)]
    except KeyError:
        raise TypeError(f"No scope paths are declared for {type(obj).__name__}") from None


def values_at(obj, path: str) -> list:
    """The values at the end of a lookup path ("school__area__force_id") on a loaded row; a
    to-many step (a related manager) goes through its rows, from the prefetch cache when there
    is one."""
    return _walk(obj, path.split("__"))


def _walk(obj, parts: list[str]) -> list:
    if obj is None:
        return []
    if not parts:
        return [obj]
    value = getattr(obj, parts[0])
    if isinstance(value, Manager):
        return [found for row in value.all() for found in _walk(row, parts[1:])]
    return _walk(value, parts[1:])


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
