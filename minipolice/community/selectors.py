"""Scoped reads of community actions and their totals. Views use only these."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_paths, scope_q
from minipolice.community.models import MEASURES, CommunityAction, Participation
from minipolice.consent.enforcement import Decision, attendance_decisions
from minipolice.lib.access import get_or_404
from minipolice.lib.disclosure import CAPTION, exact_children_counts, rounded_children
from minipolice.lib.exports import ExportTable
from minipolice.people.models import Child, Enrolment
from minipolice.people.selectors import visible_children

ACTION_PATHS = scope_paths(
    CommunityAction,
    force="unit__school__area__force_id",
    area="unit__school__area_id",
    school="unit__school_id",
    unit="unit_id",
)


def _scope(user, perm: Perm) -> Q:
    scope = get_scope(user)
    if scope.is_national and scope.has(perm):
        return Q()  # national viewers: every force, aggregates only
    return scope_q(user, perm, **ACTION_PATHS)


def visible_actions(user, perm: Perm = Perm.COMMUNITY_READ):
    return (
        CommunityAction.objects.filter(_scope(user, perm))
        .select_related("unit", "unit__school", "unit__school__area")
        .annotate(children_count=Count("participations"))
    )


def get_action_for_user(user, pk, perm: Perm = Perm.COMMUNITY_READ) -> CommunityAction:
    return get_or_404(visible_actions(user, perm), pk)


def unit_actions(user, unit):
    return visible_actions(user).filter(unit=unit).order_by("-date", "-id")


def action_participants(user, action):
    """The children who took part, as far as the user may see children."""
    return (
        visible_children(user)
        .filter(participations__action=action)
        .order_by("last_name", "first_name", "id")
    )


@dataclass(frozen=True)
class Candidate:
    child: Child
    decision: Decision


def enrolled_on(unit, on: datetime.date):
    """Enrolments in one of the unit's cohorts running on the date (started, not yet ended)
    that the child had not left by then: who may take part in an action that day."""
    return Enrolment.objects.filter(
        Q(left__isnull=True) | Q(left__gte=on),
        cohort__unit=unit,
        cohort__start_date__lte=on,
        cohort__end_date__gte=on,
    )


def eligible_children(user, unit, on: datetime.date, extra_ids=()):
    """Children the user may see in one of the unit's cohorts running on the date, that they
    had not left (and those in `extra_ids`, already recorded as taking part)."""
    enrolled = enrolled_on(unit, on)
    return (
        visible_children(user)
        .filter(Q(pk__in=enrolled.values("child_id")) | Q(pk__in=list(extra_ids)))
        .order_by("last_name", "first_name", "id")
    )


def participant_candidates(user, unit, on: datetime.date, extra_ids=()) -> list[Candidate]:
    """Who may be ticked as taking part, each with the consent decision (taking part needs
    participation consent, decided by consent.enforcement as of the action's date)."""
    children = list(eligible_children(user, unit, on, extra_ids))
    decisions = attendance_decisions([c.pk for c in children], today=on)
    return [
        Candidate(c, decisions.get(c.pk, Decision(False, _("No consent recorded for taking part"))))
        for c in children
    ]


# Totals --------------------------------------------------------------------------------------
LEVELS = {
    "unit": ("unit_id", "unit__name", gettext_lazy("Unit")),
    "area": ("unit__school__area_id", "unit__school__area__name", gettext_lazy("Area")),
    "force": (
        "unit__school__area__force_id",
        "unit__school__area__force__name",
        gettext_lazy("Force"),
    ),
}


def reach_totals(user, *, level: str, start: datetime.date, end: datetime.date) -> dict:
    """Totals of every reach measure per unit, area or force for a date range, summed in SQL.

    Children are counted once per group however many actions they joined. For roles that may
    not read every child the totals cover (funders, national viewers, a leader whose vetting
    lapsed), each count of children is rounded to the nearest 5 and a count under 5 hidden, at
    every level and in the overall total alike: see `minipolice.lib.disclosure` for why
    rounding and not hiding small cells, which a reader could undo by subtracting one level or
    one date window from another.
    """
    id_path, name_path, heading = LEVELS[level]
    actions = CommunityAction.objects.filter(
        _scope(user, Perm.COMMUNITY_TOTALS), date__gte=start, date__lte=end
    )
    sums = {name: Sum(name) for name in MEASURES}
    rows = list(
        actions.values(id_path, name_path)
        .annotate(actions=Count("id"), **sums)
        .order_by(name_path, id_path)
    )
    taking_part = Participation.objects.filter(action__in=actions.values("pk"))
    children = dict(
        taking_part.values_list(f"action__{id_path}")
        .annotate(n=Count("child", distinct=True))
        .values_list(f"action__{id_path}", "n")
    )
    overall = actions.aggregate(actions=Count("id"), **sums)
    overall["children"] = taking_part.aggregate(n=Count("child", distinct=True))["n"]
    exact = exact_children_counts(user, Perm.COMMUNITY_TOTALS)
    for row in rows:
        row["name"] = row[name_path]
        row["children"] = children.get(row[id_path], 0)
    for row in [*rows, overall]:
        if not exact:
            row["children"] = rounded_children(row["children"])
        row["children_hidden"] = row["children"] is None
        row["measures"] = [(words, row[name] or 0) for name, words in MEASURES.items()]
    return {
        "rows": rows,
        "overall": overall,
        "heading": heading,
        "caption": None if exact else CAPTION,
    }


def totals_table(result: dict) -> ExportTable:
    """The totals of `reach_totals` as a download has them (hidden counts as words)."""
    measures = [words.capitalize() for words in MEASURES.values()]

    def children(row):
        return _("fewer than 5") if row["children_hidden"] else row["children"]

    rows = [
        [row["name"], row["actions"], children(row), *(n for _n, n in row["measures"])]
        for row in result["rows"]
    ]
    overall = result["overall"]
    rows.append(
        [_("Total"), overall["actions"], children(overall), *(n for _n, n in overall["measures"])]
    )
    return ExportTable(
        _("Totals for each %(level)s") % {"level": result["heading"].lower()},
        [str(result["heading"]), _("Actions"), _("Children taking part"), *measures],
        rows,
    )
