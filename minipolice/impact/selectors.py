"""The home page's figures for aggregate-only roles, counted in SQL and naming no child, and
the scoped reads of survey rounds and feedback (survey results are read in impact.results).
A force's figures over a period (dashboards, the API's reports/summary) are counted in
minipolice.reports.selectors.

The disclosure rule is `minipolice.lib.disclosure`: every count of children shown to funders
and national viewers is rounded to the nearest BASE and one under BASE hidden, so that setting
one force beside the national figure on the home page cannot be subtracted down to a hidden
count.
"""

import datetime

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_paths, scope_q
from minipolice.consent.selectors import portal_guardians
from minipolice.impact.models import (
    FACE_WORDS,
    Feedback,
    Instrument,
    InstrumentVersion,
    Phase,
    Question,
    QuestionKind,
    SurveyRound,
)
from minipolice.impact.services import FEEDBACK_CLOSES_AFTER_END, FEEDBACK_OPENS_BEFORE_END
from minipolice.lib.access import get_or_404
from minipolice.lib.disclosure import rounded_children
from minipolice.organisations.models import Cohort, Force, Unit, UnitStatus
from minipolice.organisations.selectors import COHORT_PATHS, visible_cohorts, visible_forces
from minipolice.people.models import Enrolment
from minipolice.people.selectors import visible_children


def forces_for_aggregates(user):
    """The forces whose aggregates the user may read: every force for a national viewer."""
    scope = get_scope(user)
    if scope.is_national and scope.has(Perm.AGGREGATES_READ):
        return Force.objects.all()
    return visible_forces(user, Perm.AGGREGATES_READ)


def headline_figures(user):
    """The home page's counts for aggregate-only roles: units by status and children enrolled
    in a current cohort, over the forces the user reads (every force for a national viewer)."""
    scope = get_scope(user)
    units = Unit.objects.all()
    enrolments = Enrolment.objects.filter(
        left__isnull=True, cohort__end_date__gte=timezone.localdate()
    )
    if not scope.is_national:
        forces = sorted(scope.ids(Perm.AGGREGATES_READ, "force"))
        units = units.filter(school__area__force_id__in=forces)
        enrolments = enrolments.filter(cohort__unit__school__area__force_id__in=forces)
    by_status = dict(units.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    children = enrolments.values("child_id").distinct().count()
    return {
        "units_by_status": [(s.label, by_status.get(s.value, 0)) for s in UnitStatus],
        "children_enrolled": rounded_children(children),
        "cohorts": Cohort.objects.filter(unit__in=units).count(),
    }


# Survey rounds, feedback and questionnaires ----------------------------------------------------
ROUND_PATHS = scope_paths(
    SurveyRound, **{level: f"cohort__{path}" for level, path in COHORT_PATHS.items()}
)
FEEDBACK_PATHS = scope_paths(
    Feedback, **{level: f"cohort__{path}" for level, path in COHORT_PATHS.items()}
)


def visible_rounds(user, perm: Perm = Perm.SURVEY_RUN):
    return SurveyRound.objects.filter(scope_q(user, perm, **ROUND_PATHS)).select_related(
        "cohort",
        "cohort__unit",
        "cohort__unit__school",
        "cohort__unit__school__area",
        "cohort__unit__school__area__force",
        "version",
        "version__instrument",
    )


def get_round_for_user(user, pk, perm: Perm = Perm.SURVEY_RUN) -> SurveyRound:
    return get_or_404(visible_rounds(user, perm), pk)


def survey_cohorts(user, perm: Perm = Perm.SURVEY_RUN):
    """The cohorts whose rounds the user may run (or, with SURVEY_RESULTS, read)."""
    return visible_cohorts(user, perm).select_related("unit__school__area__force")


def cohort_rounds(user, cohort) -> dict:
    """The cohort's pre and post rounds ({phase: round or None}), each with `tablet_responses`
    (how many children answered on the tablet): one query."""
    rounds = (
        visible_rounds(user)
        .filter(cohort=cohort)
        .annotate(tablet_responses=Count("responses"))
        .order_by("phase")
    )
    found = {phase: None for phase in Phase.values}
    found.update({survey_round.phase: survey_round for survey_round in rounds})
    return found


def round_tallies(survey_round) -> dict:
    """The round's paper tallies as {(question id, value): count}."""
    return {
        (question_id, value): count
        for question_id, value, count in survey_round.tallies.values_list(
            "question_id", "value", "count"
        )
    }


def visible_instruments(user, perm: Perm = Perm.INSTRUMENT_READ):
    """The national library and the questionnaires of the forces where the user holds `perm`:
    force-wide (a coordinator's force, for INSTRUMENT_MANAGE), or any force they work in when
    a role below the force grants it (a teacher's or leader's, to read). A coordinator who
    also teaches in another force reads its questionnaires but never changes them."""
    scope = get_scope(user)
    if not scope.has(perm):
        return Instrument.objects.none()
    below_force = any(scope.ids(perm, level) for level in ("area", "school", "unit"))
    forces = scope.force_ids if below_force else scope.ids(perm, "force")
    return Instrument.objects.filter(
        Q(force__isnull=True) | Q(force_id__in=sorted(forces))
    ).select_related("force")


# The questionnaire library and feedback pages (library.py writes them) ------------------------
def get_instrument_for_user(user, pk, perm: Perm = Perm.INSTRUMENT_READ) -> Instrument:
    return get_or_404(visible_instruments(user, perm), pk)


def instrument_versions(instrument: Instrument) -> list[InstrumentVersion]:
    """The instrument's versions, newest first, each with how many questions it has."""
    return list(instrument.versions.annotate(question_count=Count("questions")).order_by("-number"))


def version_questions(version: InstrumentVersion) -> list[Question]:
    return list(version.questions.select_related("module").order_by("position"))


def get_question_for_user(user, pk, perm: Perm = Perm.INSTRUMENT_MANAGE) -> Question:
    return get_or_404(
        Question.objects.filter(
            version__instrument__in=visible_instruments(user, perm).values("pk")
        ).select_related("version", "version__instrument", "version__instrument__force"),
        pk,
    )


def feedback_rows(feedback: Feedback) -> list[dict]:
    """A feedback's answers as the person gave them: the question and the words they chose
    (the face's words, the answer chosen) or wrote."""
    kind = feedback.version.instrument.kind
    rows = []
    for answer in feedback.answers.select_related("question").order_by("question__position"):
        question = answer.question
        if question.kind == QuestionKind.TEXT:
            given = answer.text
        elif answer.value is None:
            given = ""
        elif question.kind == QuestionKind.FACE:
            given = FACE_WORDS[kind][answer.value - 1]
        else:
            given = question.options[answer.value]
        rows.append({"question": question, "answer": answer, "given": given})
    return rows


def teacher_feedback_given(user, cohort: Cohort) -> Feedback | None:
    return (
        Feedback.objects.filter(cohort=cohort, teacher=user)
        .select_related("version", "version__instrument")
        .first()
    )


def _portal_enrolments(user):
    return Enrolment.objects.filter(child__in=visible_children(user, Perm.OWN_CHILDREN))


def portal_feedback_cohorts(user, today: datetime.date | None = None) -> list[dict]:
    """The cohorts of the parent's own children whose feedback is open now, or that they have
    answered already: [{cohort, children (first names), done}]. Three queries."""
    today = today or timezone.localdate()
    guardians = portal_guardians(user)
    answered = set(
        Feedback.objects.filter(guardian__in=guardians).values_list("cohort_id", flat=True)
    )
    late = today - FEEDBACK_CLOSES_AFTER_END
    window = Q(end_date__gte=late, end_date__lte=today + FEEDBACK_OPENS_BEFORE_END)
    # A unit that surveys early opens feedback when its "after" round starts.
    window |= Q(end_date__gte=late, survey_rounds__phase=Phase.POST)
    cohorts = (
        Cohort.objects.filter(pk__in=_portal_enrolments(user).values("cohort_id"))
        .filter(window | Q(pk__in=sorted(answered)))
        .select_related("unit", "unit__school")
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=_portal_enrolments(user)
                .select_related("child")
                .order_by("child__first_name", "pk"),
                to_attr="own_enrolments",
            )
        )
        .distinct()
        .order_by("-end_date", "name", "pk")
    )
    return [
        {
            "cohort": cohort,
            "children": [e.child.first_name for e in cohort.own_enrolments],
            "done": cohort.pk in answered,
        }
        for cohort in cohorts
    ]


def get_portal_feedback_cohort(user, pk) -> Cohort:
    """A cohort one of the parent's own children is (or was) in, or 404."""
    return get_or_404(
        Cohort.objects.filter(pk__in=_portal_enrolments(user).values("cohort_id")).select_related(
            "unit", "unit__school", "unit__school__area", "unit__school__area__force"
        ),
        pk,
    )


def portal_guardian_for_cohort(user, cohort: Cohort):
    """Which of the parent's guardian records has a child in `cohort`."""
    return (
        portal_guardians(user)
        .filter(guardianships__child__enrolments__cohort=cohort)
        .distinct()
        .first()
    )


def guardian_feedback_given(guardian, cohort: Cohort) -> Feedback | None:
    if guardian is None:
        return None
    return (
        Feedback.objects.filter(cohort=cohort, guardian=guardian)
        .select_related("version", "version__instrument")
        .first()
    )


# The home page's reminders ------------------------------------------------------------------
# An "after" round is still asked for two weeks after a cohort's end date.
AFTER_ROUND_GRACE = datetime.timedelta(days=14)


def surveys_due(user, today: datetime.date | None = None):
    """Current cohorts whose "before" round has not been taken (from their start until the
    "after" round's time), and cohorts near or just past their end with no "after" round, among
    those the user may run. `due_phase(cohort, today)` says which. One query."""
    today = today or timezone.localdate()
    after_from = today + FEEDBACK_OPENS_BEFORE_END
    rounds = SurveyRound.objects.filter(cohort=OuterRef("pk"))
    before_due = Q(end_date__gt=after_from) & ~Exists(rounds.filter(phase=Phase.PRE))
    after_due = Q(end_date__lte=after_from, end_date__gte=today - AFTER_ROUND_GRACE) & ~Exists(
        rounds.filter(phase=Phase.POST)
    )
    return (
        visible_cohorts(user, Perm.SURVEY_RUN)
        .filter(before_due | after_due, start_date__lte=today)
        .order_by("end_date", "unit__name", "pk")
    )


def due_phase(cohort, today: datetime.date | None = None) -> str:
    """The round a cohort of `surveys_due` waits for."""
    today = today or timezone.localdate()
    return Phase.PRE if cohort.end_date > today + FEEDBACK_OPENS_BEFORE_END else Phase.POST


def feedback_due(user, today: datetime.date | None = None):
    """The cohorts of a teacher's school whose feedback is open and not yet given by them."""
    today = today or timezone.localdate()
    post_started = Exists(SurveyRound.objects.filter(cohort=OuterRef("pk"), phase=Phase.POST))
    given = Exists(Feedback.objects.filter(cohort=OuterRef("pk"), teacher=user))
    return (
        visible_cohorts(user, Perm.FEEDBACK_GIVE)
        .annotate(post_started=post_started, given=given)
        .filter(end_date__gte=today - FEEDBACK_CLOSES_AFTER_END, given=False)
        .filter(Q(end_date__lte=today + FEEDBACK_OPENS_BEFORE_END) | Q(post_started=True))
        .order_by("end_date", "pk")
    )
