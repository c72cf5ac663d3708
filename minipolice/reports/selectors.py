"""Dashboards: a force's, an area's or every force's figures over a period, counted in SQL.

Every figure is an aggregate query (COUNT, COUNT DISTINCT or SUM with a FILTER per term), so a
dashboard costs the same queries whatever the number of units, sessions or register marks: no
row of a child, a mark or an action is loaded into Python. The figures per term are columns of
one query each, not a query per term.

Who reads what: `dashboard_forces` / `dashboard_areas` scope the pages. No figure names a child.
For roles that may not read every child the figures cover (funders, national viewers), each
count of children is rounded to the nearest 5 and a count of 1 to 4 shown as "fewer than 5",
and a rate worked out from fewer than 5 children is hidden: the rule of the action totals,
`minipolice.lib.disclosure`, which explains why rounding survives subtraction between levels,
pages and date windows.

The figures may be read from a read-only replica when one is configured (DATABASE_REPLICA_URL):
`build_dashboard` and `national_comparison` read inside `minipolice.lib.routers.reads_replica`.
They only read; anything that writes stays outside them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.awards.models import Certificate
from minipolice.community.models import MEASURES, CommunityAction
from minipolice.delivery.models import Attendance, AttendanceStatus, Session, SessionStatus
from minipolice.events.models import Event, EventPlace, EventStatus, Invitation
from minipolice.lib.access import get_or_404
from minipolice.lib.disclosure import BASE, exact_children_counts, rounded_children
from minipolice.lib.exports import ExportTable
from minipolice.lib.routers import reads_replica
from minipolice.organisations.models import Area, Force, Unit, UnitStatus, UnitStatusChange
from minipolice.people.models import Enrolment
from minipolice.reports.periods import Term, terms_between

PERM = Perm.DASHBOARD_READ
HIDDEN = "fewer than 5"  # in English; pages and downloads say hidden() in their language
# The reach measures a dashboard shows, in order (drivers spoken to is on the action totals).
REACH = ["homes_reached", "leaflets_delivered", "bags_collected", "vehicles_checked",
         "vehicles_over_limit"]  # fmt: skip


def hidden() -> str:
    """What a page or download shows for a hidden count, in its language."""
    return gettext("fewer than %(base)s") % {"base": BASE}


def caption() -> str:
    """lib.disclosure.CAPTION in the page's language (the same words and rule)."""
    return gettext(
        "Counts of children are rounded to the nearest %(base)s; counts of fewer than "
        "%(base)s are hidden. Each figure is rounded on its own, so totals may differ from the "
        "sum of the rows."
    ) % {"base": BASE}


# Who may read which dashboard -----------------------------------------------------------------
def _national(user) -> bool:
    scope = get_scope(user)
    return scope.is_national and scope.has(PERM)


def dashboard_forces(user):
    """Forces whose dashboard the user reads: a coordinator's or funder's; every force for a
    national viewer. Area leads read their areas only."""
    if _national(user):
        return Force.objects.order_by("name")
    return Force.objects.filter(pk__in=sorted(get_scope(user).ids(PERM, "force"))).order_by("name")


def dashboard_areas(user):
    """Areas whose dashboard the user reads: an area lead's, and every area of the forces above."""
    scope = get_scope(user)
    areas = Area.objects.select_related("force").order_by("force__name", "name")
    if _national(user):
        return areas
    return areas.filter(
        Q(pk__in=sorted(scope.ids(PERM, "area"))) | Q(force_id__in=sorted(scope.ids(PERM, "force")))
    )


def get_force_for_dashboard(user, pk) -> Force:
    return get_or_404(dashboard_forces(user), pk)


def get_area_for_dashboard(user, pk) -> Area:
    return get_or_404(dashboard_areas(user), pk)


def may_compare_forces(user) -> bool:
    return _national(user)


def exact_counts(user) -> bool:
    return exact_children_counts(user, PERM)


# Reach of a dashboard: which units it counts ---------------------------------------------------
@dataclass(frozen=True)
class Reach:
    """The units a dashboard counts: a force's, or an area's. Each model reaches its unit by
    its own path (`prefix`), e.g. "cohort__unit__" for a session."""

    force_id: int | None = None
    area_id: int | None = None

    def q(self, prefix: str) -> Q:
        if self.area_id is not None:
            return Q(**{f"{prefix}school__area_id": self.area_id})
        if self.force_id is not None:
            return Q(**{f"{prefix}school__area__force_id": self.force_id})
        return Q()


def _in_term(date_path: str, term: Term) -> Q:
    return Q(**{f"{date_path}__gte": term.start, f"{date_path}__lte": term.end})


def _enrolled_during(term: Term, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}joined__lte": term.end,
            f"{prefix}cohort__start_date__lte": term.end,
            f"{prefix}cohort__end_date__gte": term.start,
        }
    ) & (Q(**{f"{prefix}left__isnull": True}) | Q(**{f"{prefix}left__gte": term.start}))


# Figures ---------------------------------------------------------------------------------------
@dataclass
class Figure:
    """One figure as a page shows it: `value` is None when it is hidden ("fewer than 5")."""

    key: str
    label: str
    value: int | float | None
    kind: str = "count"  # count, children, percent, hours

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        if self.value is None:
            return hidden()
        if self.kind == "percent":
            return f"{round(self.value * 100)}%"
        if self.kind == "hours":
            return f"{self.value:,.1f}"
        return f"{self.value:,}"


@dataclass
class TermRow:
    term: Term
    units: dict  # status -> units on the term's last day
    children: int | None
    sessions_delivered: int
    sessions_cancelled: int
    attendance_rate: float | None
    volunteer_hours: float
    community_actions: int
    homes_reached: int

    @property
    def status_counts(self) -> list[int]:
        return [self.units[value] for value in UnitStatus.values]

    @property
    def attendance_display(self) -> str:
        if self.attendance_rate is None:
            return hidden() if self.sessions_delivered else "–"
        return f"{round(self.attendance_rate * 100)}%"

    @property
    def active_units(self) -> int:
        return self.units.get(UnitStatus.ACTIVE, 0) + self.units.get(UnitStatus.TRIAL, 0)


@dataclass
class Dashboard:
    title: str
    start: datetime.date
    end: datetime.date
    exact: bool
    terms: list[TermRow]
    headline: list[Figure]
    reach: list[Figure]
    events: list[Figure]
    units_at_end: dict  # status -> units on the last day
    caption: str | None = None
    survey: object | None = None  # minipolice.impact.results.Results, when asked for
    figures: dict = field(default_factory=dict)  # key -> value, as the API gives them

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return list(UnitStatus.choices)

    def tables(self) -> list[ExportTable]:
        """Every table of the dashboard, as a download has them (hidden figures as words)."""
        return dashboard_tables(self)


def _children(value: int | None, exact: bool) -> int | None:
    return value if exact else rounded_children(value)


def _rate(present: int, marks: int, children: int, exact: bool) -> float | None:
    if not marks:
        return None
    if not exact and children < BASE:
        return None
    return round(present / marks, 3)


def _units_by_status_at(reach: Reach, days: list[datetime.date]) -> list[dict]:
    """Units of each status on each of `days`, from the dated status history: one query (each
    unit's status on each day is a subquery column; the outer query counts them)."""
    if not days:
        return []
    units = Unit.objects.filter(reach.q(""))
    for index, day in enumerate(days):
        latest = UnitStatusChange.objects.filter(unit=OuterRef("pk"), changed_on__lte=day)
        units = units.annotate(
            **{f"s{index}": Subquery(latest.order_by("-changed_on", "-id").values("to_status")[:1])}
        )
    counts = units.aggregate(
        **{
            f"n{index}_{status}": Count("pk", filter=Q(**{f"s{index}": status}))
            for index in range(len(days))
            for status in UnitStatus.values
        }
    )
    return [
        {status: counts[f"n{index}_{status}"] for status in UnitStatus.values}
        for index in range(len(days))
    ]


def _per_term(reach: Reach, terms: list[Term], span: Term, *, exact: bool, today) -> list[TermRow]:
    """The figures of each term and of the whole period `span` (the last row): six queries,
    each with a column per term. With no terms, the whole period alone (as the API asks)."""
    periods = [*terms, span]
    n = range(len(periods))
    children = Enrolment.objects.filter(reach.q("cohort__unit__")).aggregate(
        **{
            f"c{i}": Count("child_id", distinct=True, filter=_enrolled_during(t))
            for i, t in enumerate(periods)
        }
    )
    delivered = Q(status=SessionStatus.PLANNED, date__lt=today)
    sessions = Session.objects.filter(
        reach.q("cohort__unit__"), date__gte=span.start, date__lte=span.end
    ).aggregate(
        **{
            f"d{i}": Count("pk", filter=delivered & _in_term("date", t))
            for i, t in enumerate(periods)
        },
        **{
            f"x{i}": Count("pk", filter=Q(status=SessionStatus.CANCELLED) & _in_term("date", t))
            for i, t in enumerate(periods)
        },
    )
    marked = Q(session__status=SessionStatus.PLANNED, session__date__lt=today)
    marks = Attendance.objects.filter(
        reach.q("session__cohort__unit__"),
        marked,
        session__date__gte=span.start,
        session__date__lte=span.end,
    ).aggregate(
        **{
            f"m{i}": Count("pk", filter=_in_term("session__date", t)) for i, t in enumerate(periods)
        },
        **{
            f"p{i}": Count(
                "pk",
                filter=Q(status=AttendanceStatus.PRESENT) & _in_term("session__date", t),
            )
            for i, t in enumerate(periods)
        },
        **{
            f"k{i}": Count("child_id", distinct=True, filter=_in_term("session__date", t))
            for i, t in enumerate(periods)
        },
    )
    minutes = Session.leaders_present.through.objects.filter(
        reach.q("session__cohort__unit__"),
        session__status=SessionStatus.PLANNED,
        session__date__lt=today,
        session__date__gte=span.start,
        session__date__lte=span.end,
    ).aggregate(
        **{
            f"h{i}": Sum("session__minutes", filter=_in_term("session__date", t))
            for i, t in enumerate(periods)
        }
    )
    actions = CommunityAction.objects.filter(
        reach.q("unit__"), date__gte=span.start, date__lte=span.end
    ).aggregate(
        **{f"a{i}": Count("pk", filter=_in_term("date", t)) for i, t in enumerate(periods)},
        **{
            f"o{i}": Sum("homes_reached", filter=_in_term("date", t)) for i, t in enumerate(periods)
        },
    )
    statuses = _units_by_status_at(reach, [min(t.end, today) for t in periods])
    return [
        TermRow(
            term=periods[i],
            units=statuses[i],
            children=_children(children[f"c{i}"], exact),
            sessions_delivered=sessions[f"d{i}"],
            sessions_cancelled=sessions[f"x{i}"],
            attendance_rate=_rate(marks[f"p{i}"], marks[f"m{i}"], marks[f"k{i}"], exact),
            volunteer_hours=round((minutes[f"h{i}"] or 0) / 60, 1),
            community_actions=actions[f"a{i}"],
            homes_reached=actions[f"o{i}"] or 0,
        )
        for i in n
    ]


def _reach_figures(reach: Reach, start, end) -> list[Figure]:
    sums = CommunityAction.objects.filter(
        reach.q("unit__"), date__gte=start, date__lte=end
    ).aggregate(actions=Count("pk"), **{name: Sum(name) for name in REACH})
    return [
        Figure("community_actions", gettext("Community actions"), sums["actions"]),
        *(Figure(name, MEASURES[name].capitalize(), sums[name] or 0) for name in REACH),
    ]


def _issued_between(start: datetime.date, end: datetime.date) -> Q:
    """Issued on a day from `start` to `end`, as a range of times: `issued_at__date` makes
    SQLite call a date function on every certificate (110 ms against 1 ms nationally)."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    if end >= datetime.date.max - datetime.timedelta(days=1):
        return Q(issued_at__gte=first)
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return Q(issued_at__gte=first, issued_at__lt=after)


def _event_scope(reach: Reach) -> Q:
    """Events a dashboard counts: held by the force, or (for an area) by the area, by one of
    its units, or with one of its units invited."""
    if reach.area_id is None:
        return Q(force_id=reach.force_id) if reach.force_id is not None else Q()
    invited = Invitation.objects.filter(event=OuterRef("pk"), unit__school__area_id=reach.area_id)
    return Q(area_id=reach.area_id) | Q(unit__school__area_id=reach.area_id) | Q(Exists(invited))


def _event_figures(reach: Reach, start, end, *, exact: bool, today) -> list[Figure]:
    held = Event.objects.filter(
        _event_scope(reach), date__gte=start, date__lte=min(end, today)
    ).exclude(status=EventStatus.CANCELLED)
    places = EventPlace.objects.filter(
        reach.q("invitation__unit__"),
        event__date__gte=start,
        event__date__lte=end,
        checked_in_at__isnull=False,
    )
    attending = places.aggregate(n=Count("child_id", distinct=True))["n"]
    certificates = Certificate.objects.filter(
        reach.q("award__cohort__unit__"), _issued_between(start, end)
    ).aggregate(n=Count("award_id", distinct=True))["n"]
    return [
        Figure("events_held", gettext("Events held"), held.count()),
        Figure(
            "event_children",
            gettext("Children attending events"),
            _children(attending, exact),
            "children",
        ),
        Figure(
            "certificates_issued",
            gettext("Certificates issued"),
            _children(certificates, exact),
            "children",
        ),
    ]


@reads_replica
def build_dashboard(
    *,
    title: str,
    reach: Reach,
    start: datetime.date,
    end: datetime.date,
    exact: bool,
    survey_of=None,
    each_term: bool = True,
) -> Dashboard:
    """The dashboard of `reach` from `start` to `end`. `survey_of` (a force or area) adds its
    survey results for cohorts that ran in the period; `each_term=False` leaves out the
    figures of each term (the API's summary, whose period may span a century)."""
    today = timezone.localdate()
    terms = terms_between(start, end) if each_term else []
    whole_period = Term(gettext("Whole period"), start, end)
    rows = _per_term(reach, terms, whole_period, exact=exact, today=today)
    whole = rows[-1]
    headline = [
        Figure("active_units", gettext("Active and trial units at the end"), whole.active_units),
        Figure("children_enrolled", gettext("Children reached"), whole.children, "children"),
        Figure("sessions_delivered", gettext("Sessions delivered"), whole.sessions_delivered),
        Figure("sessions_cancelled", gettext("Sessions cancelled"), whole.sessions_cancelled),
        Figure("attendance_rate", gettext("Attendance"), whole.attendance_rate, "percent"),
        Figure("volunteer_hours", gettext("Volunteer hours"), whole.volunteer_hours, "hours"),
    ]
    reach_figures = _reach_figures(reach, start, end)
    events = _event_figures(reach, start, end, exact=exact, today=today)
    figures = {f.key: f.value for f in [*headline, *reach_figures, *events]}
    figures["units_by_status"] = whole.units
    survey = None
    if survey_of is not None:
        from minipolice.impact.results import results_for

        survey = results_for(survey_of, cohorts_between=(start, end))
    return Dashboard(
        title=title,
        start=start,
        end=end,
        exact=exact,
        terms=rows[:-1],
        headline=headline,
        reach=reach_figures,
        events=events,
        units_at_end=whole.units,
        caption=None if exact else caption(),
        survey=survey,
        figures=figures,
    )


def force_dashboard(
    force: Force, start, end, *, exact: bool, area: Area | None = None, survey=True
):
    reach = Reach(force_id=force.pk, area_id=area.pk if area else None)
    title = f"{area.name}, {force.name}" if area else force.name
    return build_dashboard(
        title=title,
        reach=reach,
        start=start,
        end=end,
        exact=exact,
        survey_of=(area or force) if survey else None,
    )


def area_dashboard(area: Area, start, end, *, exact: bool, survey=True):
    return force_dashboard(area.force, start, end, exact=exact, area=area, survey=survey)


def summary(force: Force, start: datetime.date, end: datetime.date) -> dict:
    """A force's figures for a period as the API gives them: always rounded and suppressed,
    whoever asks (the API serves partner scripts; a coordinator reads exact figures on the
    dashboard)."""
    dashboard = build_dashboard(
        title=force.name,
        reach=Reach(force_id=force.pk),
        start=start,
        end=end,
        exact=False,
        each_term=False,
    )
    return {
        "force": force.pk,
        "period_from": start,
        "period_to": end,
        "suppressed_below": BASE,
        "children_rounded_to": BASE,
        **{key: dashboard.figures[key] for key in SUMMARY_KEYS},
    }


SUMMARY_KEYS = [
    "units_by_status",
    "children_enrolled",
    "sessions_delivered",
    "sessions_cancelled",
    "attendance_rate",
    "volunteer_hours",
    "homes_reached",
    "community_actions",
    "certificates_issued",
    "events_held",
    "event_children",
]


def children_enrolled(force: Force, start: datetime.date, end: datetime.date) -> int:
    """The exact count of children enrolled in the force at some time in the period (for tests
    and the bench: pages and the API show it rounded to those who may not read children)."""
    period = Term("Whole period", start, end)
    return Enrolment.objects.filter(
        Reach(force_id=force.pk).q("cohort__unit__"), _enrolled_during(period)
    ).aggregate(n=Count("child_id", distinct=True))["n"]


def units_by_status(force: Force, on: datetime.date) -> dict[str, int]:
    """How many of the force's units had each status on `on`, from their dated history."""
    return _units_by_status_at(Reach(force_id=force.pk), [on])[0]


# Every force side by side ----------------------------------------------------------------------
NATIONAL_COLUMNS = [
    # key, heading, kind
    ("active_units", gettext_lazy("Active and trial units"), "count"),
    ("children_enrolled", gettext_lazy("Children reached"), "children"),
    ("sessions_delivered", gettext_lazy("Sessions delivered"), "count"),
    ("sessions_cancelled", gettext_lazy("Sessions cancelled"), "count"),
    ("attendance_rate", gettext_lazy("Attendance"), "percent"),
    ("volunteer_hours", gettext_lazy("Volunteer hours"), "hours"),
    ("community_actions", gettext_lazy("Community actions"), "count"),
    ("homes_reached", gettext_lazy("Homes reached"), "count"),
    ("events_held", gettext_lazy("Events held"), "count"),
    ("event_children", gettext_lazy("Children attending events"), "children"),
    ("certificates_issued", gettext_lazy("Certificates issued"), "children"),
]


@dataclass
class NationalRow:
    force: Force | None  # None for the total
    figures: list[Figure]
    units: dict = field(default_factory=dict)  # status -> units on the last day

    def summary(self) -> dict:
        """The row as the API gives it (the keys of `summary`)."""
        found = {f.key: f.value for f in self.figures}
        return {
            "force": self.force.pk if self.force else None,
            "force_name": self.force.name if self.force else "All forces",
            "units_by_status": self.units,
            **{key: found[key] for key in SUMMARY_KEYS if key != "units_by_status"},
        }

    def value(self, key):
        return next(f.value for f in self.figures if f.key == key)


def _by_force(queryset, force_path: str, **aggregates) -> dict[int, dict]:
    rows = queryset.values(force_path).annotate(**aggregates).order_by()
    return {row.pop(force_path): row for row in rows}


@reads_replica
def national_comparison(start: datetime.date, end: datetime.date, *, exact: bool = False) -> dict:
    """Every force's figures for the period side by side, and the national total: one grouped
    query per figure, whatever the number of forces. Totals are added from the forces' exact
    counts and then rounded on their own (a child is enrolled in one force only)."""
    today = timezone.localdate()
    forces = list(Force.objects.order_by("name"))
    whole = Term("Whole period", start, end)
    unit_force = "school__area__force_id"
    latest = UnitStatusChange.objects.filter(unit=OuterRef("pk"), changed_on__lte=min(end, today))
    # Grouped by force and status, so each unit's status is looked up once (a FILTER per
    # status would repeat the subquery five times).
    units: dict[int, dict] = {}
    status_rows = (
        Unit.objects.annotate(
            status_then=Subquery(latest.order_by("-changed_on", "-id").values("to_status")[:1])
        )
        .values(unit_force, "status_then")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in status_rows:
        if row["status_then"] is None:  # no status yet on that day
            continue
        units.setdefault(row[unit_force], {})[f"units_{row['status_then']}"] = row["n"]
    children = _by_force(
        Enrolment.objects.filter(_enrolled_during(whole)),
        f"cohort__unit__{unit_force}",
        children_enrolled=Count("child_id", distinct=True),
    )
    sessions = _by_force(
        Session.objects.filter(date__gte=start, date__lte=end),
        f"cohort__unit__{unit_force}",
        sessions_delivered=Count("pk", filter=Q(status=SessionStatus.PLANNED, date__lt=today)),
        sessions_cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
    )
    marks = _by_force(
        Attendance.objects.filter(
            session__status=SessionStatus.PLANNED,
            session__date__lt=today,
            session__date__gte=start,
            session__date__lte=end,
        ),
        f"session__cohort__unit__{unit_force}",
        marks=Count("pk"),
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        marked_children=Count("child_id", distinct=True),
    )
    minutes = _by_force(
        Session.leaders_present.through.objects.filter(
            session__status=SessionStatus.PLANNED,
            session__date__lt=today,
            session__date__gte=start,
            session__date__lte=end,
        ),
        f"session__cohort__unit__{unit_force}",
        minutes=Sum("session__minutes"),
    )
    actions = _by_force(
        CommunityAction.objects.filter(date__gte=start, date__lte=end),
        f"unit__{unit_force}",
        community_actions=Count("pk"),
        homes_reached=Sum("homes_reached"),
    )
    events = _by_force(
        Event.objects.filter(date__gte=start, date__lte=min(end, today)).exclude(
            status=EventStatus.CANCELLED
        ),
        "force_id",
        events_held=Count("pk"),
    )
    places = _by_force(
        EventPlace.objects.filter(
            event__date__gte=start, event__date__lte=end, checked_in_at__isnull=False
        ),
        "event__force_id",
        event_children=Count("child_id", distinct=True),
    )
    certificates = _by_force(
        Certificate.objects.filter(_issued_between(start, end)),
        f"award__cohort__unit__{unit_force}",
        certificates_issued=Count("award_id", distinct=True),
    )
    groups = [units, children, sessions, marks, minutes, actions, events, places, certificates]
    raw = {}
    for force in forces:
        found = {}
        for group in groups:
            found.update(group.get(force.pk, {}))
        raw[force.pk] = found
    total = {}
    for found in raw.values():
        for key, value in found.items():
            total[key] = total.get(key, 0) + (value or 0)
    rows = [
        NationalRow(force, _national_figures(raw[force.pk], exact), _units(raw[force.pk]))
        for force in forces
    ]
    return {
        "rows": rows,
        "total": NationalRow(None, _national_figures(total, exact), _units(total)),
        "columns": NATIONAL_COLUMNS,
        "caption": None if exact else caption(),
    }


def _units(found: dict) -> dict[str, int]:
    return {status: found.get(f"units_{status}", 0) for status in UnitStatus.values}


def _national_figures(found: dict, exact: bool) -> list[Figure]:
    units = _units(found)
    values = {
        "active_units": units[UnitStatus.ACTIVE] + units[UnitStatus.TRIAL],
        "children_enrolled": _children(found.get("children_enrolled", 0), exact),
        "sessions_delivered": found.get("sessions_delivered", 0),
        "sessions_cancelled": found.get("sessions_cancelled", 0),
        "attendance_rate": _rate(
            found.get("present", 0), found.get("marks", 0), found.get("marked_children", 0), exact
        ),
        "volunteer_hours": round((found.get("minutes") or 0) / 60, 1),
        "community_actions": found.get("community_actions", 0),
        "homes_reached": found.get("homes_reached") or 0,
        "events_held": found.get("events_held", 0),
        "event_children": _children(found.get("event_children", 0), exact),
        "certificates_issued": _children(found.get("certificates_issued", 0), exact),
    }
    return [Figure(key, str(heading), values[key], kind) for key, heading, kind in NATIONAL_COLUMNS]


def sort_national(comparison: dict, sort: str) -> str:
    """Sort the forces in place by a column (`-key` for largest first); hidden figures last.
    Returns the sort applied (the force name when `sort` is not a column)."""
    keys = {key for key, _, _ in NATIONAL_COLUMNS}
    key = sort.lstrip("-")
    if key not in keys:
        comparison["rows"].sort(key=lambda row: row.force.name)
        return "force"
    descending = sort.startswith("-")
    shown = [r for r in comparison["rows"] if r.value(key) is not None]
    hidden = [r for r in comparison["rows"] if r.value(key) is None]
    shown.sort(key=lambda row: (row.value(key), row.force.name), reverse=descending)
    comparison["rows"] = shown + sorted(hidden, key=lambda row: row.force.name)
    return sort


# Downloads ------------------------------------------------------------------------------------
# The dashboard's tables by the key a download asks for (?table=...), with their titles.
TABLE_TITLES = {
    "headline": gettext_lazy("Headline figures"),
    "units": gettext_lazy("Units by status"),
    "terms": gettext_lazy("Each term"),
    "reach": gettext_lazy("Community reach"),
    "survey": gettext_lazy("Survey change"),
}


def _cell(figure: Figure):
    if figure.value is None:
        return hidden()
    if figure.kind == "percent":
        return round(figure.value * 100, 1)
    return figure.value


def dashboard_tables(dashboard: Dashboard) -> list[ExportTable]:
    statuses = list(UnitStatus.choices)
    period = gettext("%(start)s to %(end)s") % {
        "start": dashboard.start.isoformat(),
        "end": dashboard.end.isoformat(),
    }

    def children(value):
        return hidden() if value is None else value

    tables = [
        ExportTable(
            str(TABLE_TITLES["headline"]),
            [gettext("Figure"), gettext("Value"), gettext("Period")],
            [
                [f.label + (" (%)" if f.kind == "percent" else ""), _cell(f), period]
                for f in [*dashboard.headline, *dashboard.events]
            ],  # fmt: skip
        ),
        ExportTable(
            str(TABLE_TITLES["units"]),
            [gettext("Term"), gettext("On"), *(str(label) for _, label in statuses)],
            [
                [row.term.name, row.term.end, *(row.units[value] for value, _ in statuses)]
                for row in dashboard.terms
            ],  # fmt: skip
        ),
        ExportTable(
            str(TABLE_TITLES["terms"]),
            [
                gettext("Term"),
                gettext("From"),
                gettext("To"),
                gettext("Children reached"),
                gettext("Sessions delivered"),
                gettext("Sessions cancelled"),
                gettext("Attendance (%)"),
                gettext("Volunteer hours"),
                gettext("Community actions"),
                gettext("Homes reached"),
            ],
            [
                [
                    row.term.name,
                    row.term.start,
                    row.term.end,
                    children(row.children),
                    row.sessions_delivered,
                    row.sessions_cancelled,
                    hidden()
                    if row.attendance_rate is None
                    else round(row.attendance_rate * 100, 1),
                    row.volunteer_hours,
                    row.community_actions,
                    row.homes_reached,
                ]
                for row in dashboard.terms
            ],
        ),  # fmt: skip
        ExportTable(
            str(TABLE_TITLES["reach"]),
            [gettext("Measure"), gettext("Total")],
            [[f.label, f.value] for f in dashboard.reach],
        ),
    ]
    if dashboard.survey is not None:
        tables.append(survey_table(dashboard.survey))
    return tables


def survey_table(results) -> ExportTable:
    rows = []
    for q in results.questions:
        pre, post = q.pre, q.post
        rows.append(
            [
                q.text,
                q.share_label,
                pre.n if pre else 0,
                _share(pre, q),
                post.n if post else 0,
                _share(post, q),
                "" if q.change is None else q.change,
            ]
        )
    return ExportTable(
        str(TABLE_TITLES["survey"]),
        [
            gettext("Question"),
            gettext("Share who"),
            gettext("n before"),
            gettext("Before (%)"),
            gettext("n after"),
            gettext("After (%)"),
            gettext("Change (points)"),
        ],  # fmt: skip
        rows,
    )


def _share(phase, question):
    if phase is None or not phase.shown:
        return gettext("not enough responses")
    value = phase.correct if question.is_knowledge else phase.top_two
    return "" if value is None else value


def national_table(comparison: dict) -> ExportTable:
    every_force = gettext("All forces")
    return ExportTable(
        gettext("Forces side by side"),
        [
            gettext("Force"),
            *(
                f"{heading}{' (%)' if kind == 'percent' else ''}"
                for _, heading, kind in comparison["columns"]
            ),
        ],  # fmt: skip
        [
            [row.force.name if row.force else every_force, *(_cell(f) for f in row.figures)]
            for row in [*comparison["rows"], comparison["total"]]
        ],
    )


# The impact report -----------------------------------------------------------------------------
def report_forces(user):
    """Forces whose impact report the user may ask for and download (coordinators, funders,
    national viewers): a report is aggregates only, so any of them reads a colleague's."""
    scope = get_scope(user)
    if scope.is_national and scope.has(Perm.REPORT_DOWNLOAD):
        return Force.objects.order_by("name")
    ids = sorted(scope.ids(Perm.REPORT_DOWNLOAD, "force"))
    return Force.objects.filter(pk__in=ids).order_by("name")


def get_force_for_report(user, pk) -> Force:
    return get_or_404(report_forces(user), pk)


def get_report_for_user(user, pk):
    from minipolice.reports.models import ImpactReport

    reports = ImpactReport.objects.filter(force__in=report_forces(user)).select_related("force")
    return get_or_404(reports.defer("pdf"), pk)


def recent_reports(force: Force, limit: int = 10):
    from minipolice.reports.models import ImpactReport

    return list(
        ImpactReport.objects.filter(force=force)
        .select_related("requested_by")
        .defer("pdf")
        .order_by("-created_at", "-id")[:limit]
    )


def report_photos(force: Force, start, end, *, limit: int) -> list:
    """Up to `limit` photos for the report, one per story: from the force's published stories
    of the period (by the activity's date, else the day it was published), newest first,
    each as the public pages show it (every child tagged has media consent for the force's
    website). [(photo id, pdf.StoryPhotoContent)]."""
    from minipolice.public import selectors as public
    from minipolice.reports.pdf import StoryPhotoContent

    stories = (
        public.published_stories(force)
        .filter(
            Q(happened_on__gte=start, happened_on__lte=end)
            | Q(
                happened_on__isnull=True, published_at__date__gte=start, published_at__date__lte=end
            )  # fmt: skip
        )
        .order_by("-happened_on", "-published_at", "-pk")[: limit * 3]
    )
    chosen = []
    for story in stories:
        shown = public.shown_photos(story)
        if not shown:
            continue
        photo = shown[0]
        try:
            with photo.image.open("rb") as image:
                data = image.read()
        except (OSError, ValueError):
            continue  # a file missing from storage is left out, not a failed report
        chosen.append(
            (
                photo.pk,
                StoryPhotoContent(
                    story_title=story.title,
                    unit_name=story.unit.name,
                    happened_on=story.happened_on,
                    caption=photo.caption,
                    image=data,
                ),
            )
        )
        if len(chosen) == limit:
            break
    return chosen


def photos_still_shown(report) -> bool:
    """May every photo in the report's PDF still be shown as the public pages would (story
    published, photo not withheld, every child tagged still with consent)?"""
    from minipolice.public import selectors as public

    if not report.photo_ids:
        return True
    shown = public.photos_shown_now(report.force, report.photo_ids)
    return {photo.pk for photo in shown} == set(report.photo_ids)


def has_pdf(report) -> bool:
    from minipolice.reports.models import ImpactReport

    return ImpactReport.objects.filter(pk=report.pk, pdf__isnull=False).exists()


def report_pdf(report) -> bytes | None:
    """The report's PDF, read only when asked for (the report's row is read without it)."""
    from minipolice.reports.models import ImpactReport

    content = ImpactReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).first()
    return bytes(content) if content else None
