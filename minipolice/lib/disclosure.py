"""Disclosure control for counts of children shown to roles that see aggregates only.

The method: every count of children shown to a funder or national viewer is rounded to the
nearest `BASE` (5), and a count of 1 to 4 is not shown at all ("fewer than 5"); 0 stays 0.
Any other figure about children (an attendance rate) is hidden when it describes fewer than
BASE children (`suppress`). This is the one place for the rule and its constant; the figures
themselves are counted in minipolice.impact.selectors.
Pages and the API say so beside the figures.

Why rounding rather than hiding only the small cells (or hiding their complements too):
- The same children are counted at several levels (unit, area, force, every force), on several
  pages (action totals, the home page, the API summary) and for any date window the reader
  types. With small cells hidden and the rest exact, a reader subtracts: the force's 13 less its
  other unit's 10 gives the hidden unit's 3; 1-10 March less 2-10 March gives the children of
  1 March. Complementary suppression would have to be solved across every pair of levels and
  every window a reader could ask for, together; page by page it leaks.
- When every shown count is a multiple of 5, every sum or difference of shown counts is a
  multiple of 5, so none equals a hidden count (1 to 4). And a shown count stands for a band
  (10 is anything from 8 to 12), so the difference of two windows is not an exact count either.
- Each figure is rounded on its own, so a total need not equal the sum of its rounded rows.

Roles that may read the children themselves keep exact figures (`exact_children_counts`).
"""

from django.utils.functional import lazy
from django.utils.translation import gettext

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope

BASE = 5


def _caption() -> str:
    return gettext(
        "Counts of children are rounded to the nearest %(base)s; counts of fewer than %(base)s "
        "are hidden. Each figure is rounded on its own, so totals may differ from the sum of "
        "the rows."
    ) % {"base": BASE}


# In the reader's language, whenever it is shown.
CAPTION = lazy(_caption, str)()


def rounded_children(count: int | None) -> int | None:
    """`count` rounded to the nearest BASE (halves up); None for 1 to BASE - 1; 0 stays 0."""
    if count is None or 0 < count < BASE:
        return None
    return BASE * ((count + BASE // 2) // BASE)


def suppress(value: int | float | None, children: int | None = None) -> int | float | None:
    """`value`, or None when the children it describes (`children`, or `value` itself when it is
    a count of children) number fewer than BASE: a rate worked out from 3 children is hidden."""
    described = value if children is None else children
    if described is None or described < BASE:
        return None
    return value


def exact_children_counts(user, perm: Perm) -> bool:
    """Whether the figures `user` reads through `perm` may count children exactly: only when
    every assignment that gives `perm` also lets them read the children it covers.

    A funder who also leads one unit still sees the force rounded; a unit leader whose vetting
    has lapsed sees rounded figures until it is renewed. Compared level by level, so it errs on
    the side of rounding.
    """
    scope = get_scope(user)
    if scope.is_national and scope.has(perm):
        return False  # national viewers: every force, aggregates only
    return all(
        scope.ids(perm, level) <= scope.ids(Perm.CHILDREN_READ, level)
        for level in ("force", "area", "school", "unit")
    )
