"""Survey results (what changed): the figures of the results pages, from impact.results, with
the same scoping and the same "not enough responses" rule. The children's answers are
anonymous; nothing here names anyone."""

from typing import Literal

from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from minipolice.api.common import Id, require, responses
from minipolice.impact import results
from minipolice.lib.disclosure import BASE, exact_children_counts

router = Router(tags=["impact"])

LEVELS = ("cohort", "unit", "area", "force")
GETTERS = {
    "cohort": results.get_cohort_for_results,
    "unit": results.get_unit_for_results,
    "area": results.get_area_for_results,
    "force": results.get_force_for_results,
}


class ResultsQuery(Schema):
    cohort: Id | None = None
    unit: Id | None = None
    area: Id | None = None
    force: Id | None = None

    @model_validator(mode="after")
    def exactly_one(self):
        given = [level for level in LEVELS if getattr(self, level) is not None]
        if len(given) != 1:
            raise ValueError("Give exactly one of cohort, unit, area or force.")
        return self

    @property
    def level(self) -> str:
        return next(level for level in LEVELS if getattr(self, level) is not None)


class BarOut(Schema):
    value: int = Field(description="The face (1 to 5) or the answer's index")
    label: str
    count: int
    percent: int


class FiguresOut(Schema):
    n: int | None = Field(description=f"Answers; null when fewer than {BASE}")
    distribution: list[BarOut] = Field(description=f"Empty when fewer than {BASE} answered")
    mean: float | None = Field(description="Mean face (1 to 5), for five-face questions")
    top_two: int | None = Field(description="Percentage choosing face 4 or 5")
    correct: int | None = Field(description="Percentage answering correctly (knowledge)")


class QuestionOut(Schema):
    key: str
    text: str = Field(description="The latest version's words")
    kind: Literal["face", "choice"]
    knowledge: bool
    pre: FiguresOut
    post: FiguresOut
    change: int | None = Field(
        description="Percentage points, after minus before (top two faces, or correct)"
    )
    benchmark: bool = Field(description="The national benchmark is shown beside it")


class RoundOut(Schema):
    phase: Literal["pre", "post"]
    responses: int | None = Field(
        description=f"Classroom and paper responses; null when 1 to {BASE - 1}"
    )
    cohorts: int
    versions: list[str]


class FeedbackQuestionOut(Schema):
    key: str
    text: str
    figures: FiguresOut


class QuoteOut(Schema):
    text: str = Field(description="As agreed to be quoted, any child's or parent's name removed")
    attribution: str
    question: str


class FeedbackOut(Schema):
    kind: Literal["teacher", "guardian"]
    given: int | None = Field(
        description=f"How many gave feedback; null for 1 to {BASE - 1} when your role reads "
        "aggregates only (funders, national viewers)"
    )
    versions: list[str]
    questions: list[FeedbackQuestionOut] = Field(
        description=f"Empty when fewer than {BASE} gave feedback"
    )
    quotes: list[QuoteOut]


class BenchmarkOut(Schema):
    question: str
    percent: int
    label: str
    note: str


class ResultsOut(Schema):
    level: Literal["cohort", "unit", "area", "force"]
    id: int
    suppressed_below: int
    rounds: list[RoundOut]
    questions: list[QuestionOut]
    feedback: list[FeedbackOut]
    benchmark: BenchmarkOut


def _figures(figures) -> dict:
    shown = figures.shown
    return {
        "n": figures.n if shown else None,
        "distribution": [vars(bar) for bar in figures.bars] if shown else [],
        "mean": figures.mean,
        "top_two": figures.top_two,
        "correct": figures.correct,
    }


@router.get("/impact/results", response=responses({200: ResultsOut}))
def impact_results(request, query: Query[ResultsQuery]):
    """The survey results of one cohort, unit, area or force: before and after, per question,
    with the change in percentage points and feedback beside them. A round with fewer than 5
    responses, or a question answered fewer than 5 times, gives no figures."""
    require(request, results.PERM)
    level = query.level
    obj = GETTERS[level](request.user, getattr(query, level))
    found = results.results_for(obj)
    exact = exact_children_counts(request.user, results.PERM)
    return {
        "level": level,
        "id": obj.pk,
        "suppressed_below": BASE,
        "rounds": [
            {
                "phase": phase,
                "responses": n if shown or not n else None,
                "cohorts": cohorts,
                "versions": versions,
            }
            for phase, _, n, shown, cohorts, versions in found.rounds
        ],
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "kind": q.kind,
                "knowledge": q.is_knowledge,
                "pre": _figures(q.pre),
                "post": _figures(q.post),
                "change": q.change,
                "benchmark": q.benchmark,
            }
            for q in found.questions
        ],
        "feedback": [
            {
                "kind": summary.kind,
                "given": summary.given if exact or not 0 < summary.given < BASE else None,
                "versions": summary.versions,
                "questions": [
                    {"key": question.key, "text": question.text, "figures": _figures(figures)}
                    for question, figures in summary.questions
                ]
                if summary.shown
                else [],
                "quotes": summary.quotes,
            }
            for summary in found.feedback
        ],
        "benchmark": {
            "question": results.BENCHMARK_KEY,
            "percent": results.BENCHMARK_PERCENT,
            "label": results.BENCHMARK_LABEL,
            "note": results.BENCHMARK_NOTE,
        },
    }
