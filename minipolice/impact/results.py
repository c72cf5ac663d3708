"""The read side of survey results: what changed, per cohort, unit, area and force, and the
programme formats side by side. Scoped reads of the objects the pages are about, and figures
counted in SQL.

Every figure is a grouped COUNT or SUM (children's answers and paper tallies by question key,
answer and phase; feedback answers by question key and answer): no answer is loaded as a row,
and a page costs the same few queries whatever the number of cohorts or answers. Questions are
matched across versions of a questionnaire by their key; the text shown is the latest version's.

The children's answers are anonymous, but a class of 3 is identifiable: a round (phase) with
fewer than BASE (5) responses in scope shows "not enough responses" and no figure, for every
viewer; so does a single question answered fewer than BASE times. Feedback distributions follow
the same rule; the counts of feedback given are always shown (they count adults, not children).
"""

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.impact.models import (
    FACE_WORDS,
    FACES,
    TOP_TWO,
    TRUST_KEY,
    ChildAnswer,
    ChildResponse,
    Feedback,
    FeedbackAnswer,
    InstrumentKind,
    PaperTally,
    Phase,
    Question,
    QuestionKind,
    SurveyRound,
)
from minipolice.impact.services import quote_names
from minipolice.lib.access import get_or_404
from minipolice.lib.disclosure import BASE
from minipolice.lib.privacy import Identifiers
from minipolice.organisations.models import Area, Cohort, Force, Unit
from minipolice.organisations.selectors import visible_areas, visible_cohorts, visible_units
from minipolice.programme.models import ProgrammeTemplate

PERM = Perm.SURVEY_RESULTS
PHASES = [Phase.PRE, Phase.POST]
QUOTES_SHOWN = 5
QUOTE_ATTRIBUTION = {
    InstrumentKind.TEACHER: gettext_lazy("A teacher"),
    InstrumentKind.GUARDIAN: gettext_lazy("A parent or carer"),
}

# The national benchmark shown beside the trust statement. It answers a different question,
# asked differently (an interview of 10- to 15-year-olds), so it is context, not a comparison.
BENCHMARK_KEY = TRUST_KEY
BENCHMARK_PERCENT = 75
# The words in English (as the API gives them); pages show them in their language
# (benchmark_label, benchmark_note, not_enough).
_BENCHMARK_LABEL = gettext_noop(
    "National benchmark: %(percent)s%% of 10-year-olds had a positive opinion of the "
    "police (Crime Survey for England and Wales, 2012/13)."
)
_BENCHMARK_NOTE = gettext_noop(
    "This is a different question, asked in a different way, so it is not a like-for-like "
    "comparison with the answers here."
)
_NOT_ENOUGH = gettext_noop("Not enough responses (fewer than %(base)s)")
BENCHMARK_LABEL = _BENCHMARK_LABEL % {"percent": BENCHMARK_PERCENT}
BENCHMARK_NOTE = _BENCHMARK_NOTE
NOT_ENOUGH = _NOT_ENOUGH % {"base": BASE}


def benchmark_label() -> str:
    return _(_BENCHMARK_LABEL) % {"percent": BENCHMARK_PERCENT}


def benchmark_note() -> str:
    return _(_BENCHMARK_NOTE)


def not_enough() -> str:
    return _(_NOT_ENOUGH) % {"base": BASE}


def signed(change: int | None) -> str:
    """A change in percentage points as shown: +3, 0 or -2."""
    if change is None:
        return ""
    return f"+{change}" if change > 0 else str(change)


# Which objects the user may read results of ---------------------------------------------------
# National viewers read results of every force at every level: they are anonymous aggregates.
# Scope.can and scope_q give a national viewer nothing over a row, so the national case is here.
def _national(user) -> bool:
    scope = get_scope(user)
    return scope.is_national and scope.has(PERM)


def results_forces(user):
    """Forces whose results the user reads force-wide: a coordinator's or funder's; every
    force for a national viewer."""
    if _national(user):
        return Force.objects.order_by("name")
    return Force.objects.filter(pk__in=sorted(get_scope(user).ids(PERM, "force"))).order_by("name")


def results_areas(user):
    if _national(user):
        return Area.objects.select_related("force").order_by("force__name", "name")
    return visible_areas(user, PERM).order_by("force__name", "name")


def results_units(user):
    if _national(user):
        return Unit.objects.select_related("school", "school__area", "school__area__force")
    return visible_units(user, PERM)


def results_cohorts(user):
    cohorts = Cohort.objects.all() if _national(user) else visible_cohorts(user, PERM)
    return cohorts.select_related(
        "unit", "unit__school", "unit__school__area", "unit__school__area__force"
    )


def get_force_for_results(user, pk) -> Force:
    return get_or_404(results_forces(user), pk)


def get_area_for_results(user, pk) -> Area:
    return get_or_404(results_areas(user), pk)


def get_unit_for_results(user, pk) -> Unit:
    return get_or_404(results_units(user), pk)


def get_cohort_for_results(user, pk) -> Cohort:
    return get_or_404(results_cohorts(user), pk)


def results_links(user) -> dict:
    """What the results home page lists: a national viewer, every force; others, the forces,
    areas, units and cohorts they read (cohorts only when they have a survey round)."""
    forces = list(results_forces(user))
    if _national(user):
        return {"forces": forces, "areas": [], "units": [], "cohorts": []}
    surveyed = SurveyRound.objects.filter(cohort=OuterRef("pk"))
    cohorts = (
        results_cohorts(user)
        .annotate(surveyed=Exists(surveyed))
        .filter(surveyed=True)
        .order_by("-start_date", "name")
    )
    return {
        "forces": forces,
        "areas": list(results_areas(user)),
        "units": list(results_units(user).order_by("name")),
        "cohorts": list(cohorts),
    }


# Scopes of rounds ------------------------------------------------------------------------------
def cohort_lookup(obj) -> dict:
    """The filter on cohorts that a results page covers: one cohort, or a unit's, area's or
    force's cohorts."""
    if isinstance(obj, Cohort):
        return {"pk": obj.pk}
    if isinstance(obj, Unit):
        return {"unit_id": obj.pk}
    if isinstance(obj, Area):
        return {"unit__school__area_id": obj.pk}
    if isinstance(obj, Force):
        return {"unit__school__area__force_id": obj.pk}
    raise TypeError(f"No results for {type(obj).__name__}")


def _under(prefix: str, lookup: dict) -> dict:
    return {f"{prefix}{key}": value for key, value in lookup.items()}


def _format_of(prefix: str):
    """A cohort's programme format: its template, a force's copy counted with its national
    origin. Cohorts with no template have none (None)."""
    return Coalesce(
        F(f"{prefix}programme_template__copied_from_id"),
        F(f"{prefix}programme_template_id"),
        output_field=IntegerField(),
    )


# Figures ---------------------------------------------------------------------------------------
def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class Bar:
    value: int
    label: str
    count: int
    percent: int


@dataclass
class PhaseFigures:
    """One question's answers in one phase (or one feedback question's answers)."""

    n: int
    shown: bool
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    top_two: int | None = None  # percentage of faces 4 and 5
    correct: int | None = None  # percentage right, for a knowledge question


@dataclass
class QuestionResult:
    key: str
    text: str
    kind: str
    is_knowledge: bool
    phases: dict  # phase -> PhaseFigures
    change: int | None = None  # percentage points, post minus pre (top two or correct)
    benchmark: bool = False

    @property
    def pre(self) -> PhaseFigures:
        return self.phases.get(Phase.PRE)

    @property
    def post(self) -> PhaseFigures:
        return self.phases.get(Phase.POST)

    @property
    def share_label(self) -> str:
        """Completes "Share who …" (the words of the page's language)."""
        if self.is_knowledge:
            return _("answered correctly")
        return _("chose one of the top two faces")

    @property
    def signed_change(self) -> str:
        return signed(self.change)


def _figures(question: Question, counts: dict, words: list[str], phase_shown: bool) -> PhaseFigures:
    """The distribution of `counts` ({value: count}) for `question`, or only its n when the
    phase or the question has fewer than BASE answers."""
    n = sum(counts.values())
    shown = phase_shown and n >= BASE
    figures = PhaseFigures(n=n, shown=shown)
    if not shown:
        return figures
    if question.kind == QuestionKind.FACE:
        values = [(face, f"{face}: {words[face - 1]}") for face in FACES]
        figures.mean = round(sum(v * c for v, c in counts.items()) / n, 1)
        figures.top_two = _percent(sum(counts.get(v, 0) for v in TOP_TWO), n)
    else:
        values = list(enumerate(question.options))
        if question.is_knowledge:
            figures.correct = _percent(counts.get(question.correct, 0), n)
    figures.bars = [
        Bar(value, label, counts.get(value, 0), _percent(counts.get(value, 0), n))
        for value, label in values
    ]
    return figures


def _share(figures: PhaseFigures | None) -> int | None:
    if figures is None or not figures.shown:
        return None
    return figures.top_two if figures.top_two is not None else figures.correct


def _change(pre: PhaseFigures | None, post: PhaseFigures | None) -> int | None:
    before, after = _share(pre), _share(post)
    if before is None or after is None:
        return None
    return after - before


def _latest_questions(version_ids) -> dict[tuple[str, str], Question]:
    """For each (kind of questionnaire, question key) in these versions, the question of the
    latest version (its text is the one shown)."""
    latest: dict[tuple[str, str], Question] = {}
    questions = (
        Question.objects.filter(version_id__in=sorted(version_ids))
        .select_related("version__instrument")
        .order_by("-version__published_at", "-version__number", "-version_id", "position")
    )
    for question in questions:
        latest.setdefault((question.version.instrument.kind, question.key), question)
    return latest


def _order(questions: dict[str, Question]) -> list[Question]:
    return sorted(questions.values(), key=lambda q: (q.version.instrument.kind, q.position))


@dataclass
class VersionUsed:
    name: str
    number: int

    def __str__(self):
        return _("%(name)s, version %(number)s") % {"name": self.name, "number": self.number}


def _empty_group() -> dict:
    return {
        "n": dict.fromkeys(PHASES, 0),
        "versions": {phase: set() for phase in PHASES},
        "version_ids": set(),
        "cohort_phases": dict.fromkeys(PHASES, 0),
        "counts": {},
    }


def _child_counts(lookup: dict, group=None):
    """The grouped counts for children's results over the rounds of the cohorts `lookup`
    names: per (group, phase) the responses, paper children and versions; per (group, phase,
    key, value) the answers. `group` (an expression on the cohort) splits them, e.g. by
    programme format; None keeps one group. Four queries.

    Over several cohorts (a unit, area or force), a round of fewer than BASE responses is
    left out: its own page shows no figures, and were it counted here, these figures less
    those of the other cohorts' pages would be its answers."""
    rounds = SurveyRound.objects.filter(**_under("cohort__", lookup))
    if "pk" not in lookup:
        tablet = (
            ChildResponse.objects.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rounds = rounds.annotate(
            counted=Coalesce(Subquery(tablet, output_field=IntegerField()), 0) + F("paper_children")
        ).filter(counted__gte=BASE)
    # Answers are found through the ids of the rounds in scope (an IN over the response's
    # round index), not by joining each answer up to the force: on a national dataset the join
    # made SQLite scan every answer (161 ms for one force against 19 ms).
    in_scope = rounds.values("pk")
    responses = ChildResponse.objects.filter(round_id__in=in_scope)
    answers = ChildAnswer.objects.filter(response__round_id__in=in_scope)
    tallies = PaperTally.objects.filter(round_id__in=in_scope)
    constant = Value(0, output_field=IntegerField())
    rounds = rounds.annotate(g=group("cohort__") if group else constant)
    responses = responses.annotate(g=group("round__cohort__") if group else constant)
    answers = answers.annotate(g=group("response__round__cohort__") if group else constant)
    tallies = tallies.annotate(g=group("round__cohort__") if group else constant)

    by_round = (
        rounds.order_by()
        .values("g", "phase", "version_id", "version__number", "version__instrument__name")
        .annotate(paper=Sum("paper_children"), cohorts=Count("cohort_id", distinct=True))
    )
    counted = responses.order_by().values("g", "round__phase").annotate(n=Count("pk"))
    answered = (
        answers.order_by()
        .values("g", "response__round__phase", "question__key", "value")
        .annotate(n=Count("pk"))
    )
    tallied = (
        tallies.order_by()
        .values("g", "round__phase", "question__key", "value")
        .annotate(n=Sum("count"))
    )
    groups: dict = {}

    def group_of(g):
        if g not in groups:
            groups[g] = _empty_group()
        return groups[g]

    for row in by_round:
        found = group_of(row["g"])
        found["n"][row["phase"]] += row["paper"] or 0
        found["cohort_phases"][row["phase"]] += row["cohorts"]
        found["version_ids"].add(row["version_id"])
        found["versions"][row["phase"]].add(
            str(VersionUsed(row["version__instrument__name"], row["version__number"]))
        )
    for row in counted:
        group_of(row["g"])["n"][row["round__phase"]] += row["n"]
    for row in answered:
        key = (row["question__key"], row["response__round__phase"])
        counts = group_of(row["g"])["counts"].setdefault(key, {})
        counts[row["value"]] = counts.get(row["value"], 0) + row["n"]
    for row in tallied:
        key = (row["question__key"], row["round__phase"])
        counts = group_of(row["g"])["counts"].setdefault(key, {})
        counts[row["value"]] = counts.get(row["value"], 0) + (row["n"] or 0)
    return groups


def _question_results(questions: list[Question], found: dict, phase_shown: dict) -> list:
    words = FACE_WORDS[InstrumentKind.CHILD]
    results = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        phases = {
            phase: _figures(
                question, found["counts"].get((question.key, phase), {}), words, phase_shown[phase]
            )
            for phase in PHASES
        }
        if not any(figures.n for figures in phases.values()):
            continue  # not asked here (a knowledge question of a module not taught)
        results.append(
            QuestionResult(
                key=question.key,
                text=question.text,
                kind=question.kind,
                is_knowledge=question.is_knowledge,
                phases=phases,
                change=_change(phases[Phase.PRE], phases[Phase.POST]),
                benchmark=question.key == BENCHMARK_KEY,
            )
        )
    return results


@dataclass
class FeedbackSummary:
    kind: str
    label: str
    given: int
    questions: list  # (question, PhaseFigures)
    versions: list
    quotes: list  # {"text", "attribution", "question"}

    @property
    def shown(self) -> bool:
        return self.given >= BASE


def _feedback_summaries(lookup: dict) -> tuple[list, set]:
    """Teacher and guardian feedback over the cohorts of `lookup`: how many gave it, the
    distribution of each scored question, and the latest quotes they agreed to (redacted
    again). Three queries here and two for the quotes' names, the questions' texts with the
    children's (in results_for)."""
    feedback = Feedback.objects.filter(**_under("cohort__", lookup))
    given = (
        feedback.order_by()
        .values(
            "version__instrument__kind",
            "version_id",
            "version__number",
            "version__instrument__name",
        )
        .annotate(n=Count("pk"))
    )
    answers = FeedbackAnswer.objects.filter(
        **_under("feedback__cohort__", lookup), value__isnull=False
    )
    scored = (
        answers.order_by()
        .values("feedback__version__instrument__kind", "question__key", "value")
        .annotate(n=Count("pk"))
    )
    kind = F("feedback__version__instrument__kind")
    quotes = (
        FeedbackAnswer.objects.filter(
            **_under("feedback__cohort__", lookup),
            feedback__may_quote=True,
            feedback__anonymised_at__isnull=True,
        )
        .exclude(quote="")
        .annotate(
            kind=kind,
            rank=Window(
                RowNumber(),
                partition_by=[kind],
                order_by=[F("feedback__submitted_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=QUOTES_SHOWN)
        .order_by("kind", "rank")
        .values("kind", "quote", "question__key", "feedback__cohort_id")
    )
    return {"given": list(given), "scored": list(scored), "quotes": _redacted(list(quotes))}, {
        row["version_id"] for row in given
    }


def _redacted(quotes: list[dict]) -> list[dict]:
    """The quotes redacted again with the names known now: a quote was redacted when saved,
    before a child joined its cohort or a brother or sister was recorded. Two queries when
    there are quotes, none when not."""
    if not quotes:
        return quotes
    names = quote_names({row["feedback__cohort_id"] for row in quotes})
    # force_id bounds a search of the database; here the text is only redacted.
    found = {pk: Identifiers(names=n, emails=[], force_id=0) for pk, n in names.items()}
    for row in quotes:
        row["quote"] = found[row["feedback__cohort_id"]].redact(row["quote"])
    return quotes


def _build_feedback(rows: dict, questions: dict[str, Question]) -> list[FeedbackSummary]:
    summaries = []
    for kind in (InstrumentKind.TEACHER, InstrumentKind.GUARDIAN):
        given = [r for r in rows["given"] if r["version__instrument__kind"] == kind]
        total = sum(r["n"] for r in given)
        counts: dict = {}
        for row in rows["scored"]:
            if row["feedback__version__instrument__kind"] == kind:
                counts.setdefault(row["question__key"], {})[row["value"]] = row["n"]
        asked = [
            q
            for q in _order(questions)
            if q.version.instrument.kind == kind and q.kind != QuestionKind.TEXT
        ]
        summaries.append(
            FeedbackSummary(
                kind=kind,
                label=str(InstrumentKind(kind).label),
                given=total,
                questions=[
                    (q, _figures(q, counts.get(q.key, {}), FACE_WORDS[kind], total >= BASE))
                    for q in asked
                ],
                versions=sorted(
                    {
                        str(VersionUsed(r["version__instrument__name"], r["version__number"]))
                        for r in given
                    }
                ),
                quotes=[
                    {
                        "text": row["quote"],
                        "attribution": str(QUOTE_ATTRIBUTION[kind]),
                        "question": getattr(
                            questions.get((kind, row["question__key"])), "text", ""
                        ),
                    }
                    for row in rows["quotes"]
                    if row["kind"] == kind
                ],
            )
        )
    return summaries


@dataclass
class Results:
    n: dict  # phase -> responses (classroom and paper)
    shown: dict  # phase -> enough responses to show figures
    questions: list  # QuestionResult
    versions: dict  # phase -> ["Children's questionnaire, version 1", ...]
    feedback: list  # FeedbackSummary
    cohorts: dict = field(default_factory=dict)  # phase -> cohorts with a round

    @property
    def any_round(self) -> bool:
        return any(self.versions.values())

    @property
    def rounds(self) -> list[tuple]:
        """(phase, label, n, shown, cohorts, versions) for the before and after rounds."""
        return [
            (
                phase,
                str(Phase(phase).label),
                self.n[phase],
                self.shown[phase],
                self.cohorts.get(phase, 0),
                self.versions[phase],
            )
            for phase in PHASES
        ]


def results_for(obj, *, cohorts_between: tuple | None = None) -> Results:
    """Everything the results page of a cohort, unit, area or force shows. Ten queries at most.

    `cohorts_between` (start, end) keeps the cohorts that ran at some time in that period, as
    a dashboard for a date range counts them."""
    lookup = cohort_lookup(obj)
    if cohorts_between is not None:
        start, end = cohorts_between
        lookup |= {"start_date__lte": end, "end_date__gte": start}
    found = _child_counts(lookup).get(0) or _empty_group()
    feedback_rows, feedback_versions = _feedback_summaries(lookup)
    questions = _latest_questions(found["version_ids"] | feedback_versions)
    child_questions = {k: q for k, q in questions.items() if k[0] == InstrumentKind.CHILD}
    other_questions = {k: q for k, q in questions.items() if k[0] != InstrumentKind.CHILD}
    shown = {phase: found["n"][phase] >= BASE for phase in PHASES}
    return Results(
        n=found["n"],
        shown=shown,
        questions=_question_results(_order(child_questions), found, shown),
        versions={phase: sorted(found["versions"][phase]) for phase in PHASES},
        feedback=_build_feedback(feedback_rows, other_questions),
        cohorts=found["cohort_phases"],
    )


# Programme formats side by side ----------------------------------------------------------------
@dataclass
class FormatColumn:
    name: str
    cohorts: dict  # phase -> cohorts with a round
    n: dict
    shown: dict
    versions: list


@dataclass
class FormatRow:
    key: str
    text: str
    is_knowledge: bool
    cells: list  # per format: {"pre", "post", "change", "n_pre", "n_post"}


def _cell(result: QuestionResult | None) -> dict:
    if result is None:  # not asked in this format
        return {"pre": None, "post": None, "change": None}
    return {"pre": _share(result.pre), "post": _share(result.post), "change": result.change}


def format_comparison(force: Force) -> dict:
    """The force's cohorts grouped by programme format (a force's copy of a national template
    counts with its origin), side by side: per format the cohorts surveyed, n before and after,
    and per statement the share of the top two faces before, after and the change. Six
    queries."""
    groups = _child_counts(cohort_lookup(force), group=_format_of)
    names = dict(
        ProgrammeTemplate.objects.filter(pk__in=[g for g in groups if g is not None]).values_list(
            "pk", "name"
        )
    )
    version_ids = (
        set().union(*(found["version_ids"] for found in groups.values())) if groups else set()
    )
    questions = _order(
        {
            k: q
            for k, q in _latest_questions(version_ids).items()
            if k[0] == InstrumentKind.CHILD and q.kind != QuestionKind.TEXT
        }
    )
    order = sorted(groups, key=lambda g: (g is None, names.get(g, ""), g or 0))
    columns = []
    per_format = []
    for g in order:
        found = groups[g]
        shown = {phase: found["n"][phase] >= BASE for phase in PHASES}
        columns.append(
            FormatColumn(
                name=names.get(g, _("No programme format")),
                cohorts=found["cohort_phases"],
                n=found["n"],
                shown=shown,
                versions=sorted(set().union(*found["versions"].values())),
            )
        )
        per_format.append({r.key: r for r in _question_results(questions, found, shown)})
    rows = [
        FormatRow(
            key=q.key,
            text=q.text,
            is_knowledge=q.is_knowledge,
            cells=[_cell(results.get(q.key)) for results in per_format],
        )
        for q in questions
        if any(q.key in results for results in per_format)
    ]
    return {"columns": columns, "rows": rows}
