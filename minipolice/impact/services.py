"""Every write of the impact app: survey rounds, children's anonymous answers, paper tallies,
teacher and guardian feedback. (The questionnaire library's writes are in library.py.)"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minipolice.audit.services import record_audit
from minipolice.delivery.models import Session, SessionStatus
from minipolice.impact.models import (
    FACES,
    ChildAnswer,
    ChildResponse,
    Feedback,
    FeedbackAnswer,
    InstrumentKind,
    InstrumentVersion,
    PaperTally,
    Phase,
    Question,
    QuestionKind,
    RoundStatus,
    SurveyRound,
)
from minipolice.lib.privacy import Identifiers
from minipolice.lib.users import signed_in_or_none
from minipolice.organisations.models import Cohort
from minipolice.people.models import Child, Enrolment, Guardian, Guardianship
from minipolice.programme.models import Module

MAX_TEXT = 2000
MAX_KNOWLEDGE = 4  # knowledge questions in a child's round, besides the statements
# Feedback is asked "at the end": from three weeks before a cohort ends to four months after.
FEEDBACK_OPENS_BEFORE_END = datetime.timedelta(days=21)
FEEDBACK_CLOSES_AFTER_END = datetime.timedelta(days=120)


def feedback_open(cohort: Cohort, today: datetime.date | None = None) -> bool:
    """Open from three weeks before the cohort ends (or as soon as its "after" round has
    started, when a unit surveys early) until four months after it ends."""
    today = today or timezone.localdate()
    if today > cohort.end_date + FEEDBACK_CLOSES_AFTER_END:
        return False
    if today >= cohort.end_date - FEEDBACK_OPENS_BEFORE_END:
        return True
    return SurveyRound.objects.filter(cohort=cohort, phase=Phase.POST).exists()


def _moment(today: datetime.date | None) -> datetime.datetime:
    if today is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(15, 30)))


def _check_feedback_open(cohort: Cohort, today: datetime.date | None) -> None:
    if not feedback_open(cohort, today):
        raise ValidationError(
            _(
                "Feedback on %(cohort)s opens three weeks before it ends, on %(date)s (or when "
                "its “after” survey starts), and closes four months after it ends."
            )
            % {
                "cohort": cohort.name,
                "date": date_format(cohort.end_date - FEEDBACK_OPENS_BEFORE_END, "j F Y"),
            }
        )


# Which questionnaire and which questions -------------------------------------------------------
def current_version(force, kind: str) -> InstrumentVersion | None:
    """The version a force asks now: the latest published version of the force's own
    questionnaire of that kind when it has one, else the national library's."""
    versions = (
        InstrumentVersion.objects.filter(instrument__kind=kind, published_at__isnull=False)
        .filter(Q(instrument__force=force) | Q(instrument__force__isnull=True))
        .select_related("instrument")
    )
    own = versions.filter(instrument__force=force).order_by("-published_at", "-pk").first()
    if own is not None:
        return own
    return versions.filter(instrument__force__isnull=True).order_by("-published_at", "-pk").first()


def cohort_module_ids(cohort: Cohort) -> set[int]:
    """The modules the cohort is taught (its sessions' and its template's), with the national
    modules they were copied from, so a national knowledge question finds a force's copy. One
    query."""
    taught = Q(
        pk__in=Session.objects.filter(cohort=cohort, module__isnull=False)
        .exclude(status=SessionStatus.CANCELLED)
        .values("module_id")
    )
    if cohort.programme_template_id:
        taught |= Q(template_items__template_id=cohort.programme_template_id)
    found = set()
    for pk, origin in Module.objects.filter(taught).values_list("pk", "copied_from_id"):
        found.add(pk)
        if origin:
            found.add(origin)
    return found


def questions_for(version: InstrumentVersion, cohort: Cohort | None = None) -> list[Question]:
    """The questions of `version` asked of `cohort`: every question that belongs to no module,
    and "a few" knowledge questions (MAX_KNOWLEDGE, in order) of the modules the cohort is
    taught. A cohort with no plan yet is asked none of a module's: five minutes is the budget
    for a class of nine-year-olds, and a question about a topic never taught measures nothing."""
    questions = list(version.questions.order_by("position"))
    if cohort is None:
        return questions
    taught = cohort_module_ids(cohort)
    asked, knowledge = [], 0
    for question in questions:
        if question.module_id is None:
            asked.append(question)
        elif question.module_id in taught and knowledge < MAX_KNOWLEDGE:
            asked.append(question)
            knowledge += 1
    return asked


# Survey rounds ---------------------------------------------------------------------------------
def _locked_cohort(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


@transaction.atomic
def start_round(*, acting_user, cohort: Cohort, phase: str, started_at=None) -> SurveyRound:
    """Start the cohort's pre or post round, or resume it when it is paused. Starting twice
    (two leaders, two taps) gives the same round: one per cohort and phase."""
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose before or after the programme.")})
    cohort = _locked_cohort(cohort)
    existing = SurveyRound.objects.filter(cohort=cohort, phase=phase).first()
    if existing is not None:
        if existing.status == RoundStatus.CLOSED:
            raise ValidationError(
                _("The %(phase)s round has finished. Its answers are in the results.")
                % {"phase": existing.get_phase_display().lower()}
            )
        if existing.status == RoundStatus.PAUSED:
            existing.status = RoundStatus.RUNNING
            existing.save(update_fields=["status"])
            _audit_round(acting_user, existing, "update", {"status": RoundStatus.RUNNING})
        return existing
    version = current_version(cohort.unit.school.area.force, InstrumentKind.CHILD)
    if version is None:
        raise ValidationError(_("No children's questionnaire is published."))
    survey_round = SurveyRound.objects.create(
        cohort=cohort,
        version=version,
        phase=phase,
        started_by=signed_in_or_none(acting_user),
        started_at=started_at or timezone.now(),
    )
    _audit_round(acting_user, survey_round, "create")
    return survey_round


def _audit_round(acting_user, survey_round: SurveyRound, action: str, fields=None) -> None:
    """`action` is one of the audit log's verbs (AuditEntry.Action): a pause or a finish is an
    update of the round's status."""
    with translation.override(settings.LANGUAGE_CODE):  # the audit log is in English
        label = f"{survey_round.cohort}: {survey_round.get_phase_display()}"
    record_audit(
        acting_user=acting_user,
        action=action,
        obj=survey_round,
        fields=fields or {"phase": survey_round.phase},
        force=survey_round.cohort.unit.school.area.force,
        label=label,
    )


@transaction.atomic
def pause_round(*, acting_user, survey_round: SurveyRound) -> SurveyRound:
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.status == RoundStatus.RUNNING:
        survey_round.status = RoundStatus.PAUSED
        survey_round.save(update_fields=["status"])
        _audit_round(acting_user, survey_round, "update", {"status": RoundStatus.PAUSED})
    return survey_round


@transaction.atomic
def close_round(*, acting_user, survey_round: SurveyRound, closed_at=None) -> SurveyRound:
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.status != RoundStatus.CLOSED:
        survey_round.status = RoundStatus.CLOSED
        survey_round.closed_at = closed_at or timezone.now()
        survey_round.save(update_fields=["status", "closed_at"])
        _audit_round(acting_user, survey_round, "update", {"status": RoundStatus.CLOSED})
    return survey_round


def _check_value(question: Question, value) -> int:
    try:
        # A whole number or its digits: true is not 1, and 4.7 is not rounded down to 4.
        if isinstance(value, bool | float):
            raise TypeError
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("The answer to “%(question)s” is not one of its answers.")
            % {"question": question.text}
        ) from None
    allowed = FACES if question.kind == QuestionKind.FACE else range(len(question.options))
    if value not in allowed:
        raise ValidationError(
            _("The answer to “%(question)s” is not one of its answers.")
            % {"question": question.text}
        )
    return value


def record_child_response(
    *, survey_round: SurveyRound, client_key, answers: dict, received_at=None
) -> tuple[ChildResponse, bool]:
    """Save one child's answers ({question id: face or answer index}), anonymously. The
    tablet's key makes a repeated upload (after a lost connection) count once: the second
    gives back the first, `created` False. A child may skip any question, not all of them."""
    try:
        client_key = uuid.UUID(str(client_key))
    except ValueError:
        raise ValidationError(_("The answers have no valid key from the tablet.")) from None
    asked = {q.pk: q for q in questions_for(survey_round.version, survey_round.cohort)}
    checked = {}
    for question_id, value in answers.items():
        try:
            question = asked[int(question_id)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                _("An answer is for a question this round does not ask.")
            ) from None
        if question.kind == QuestionKind.TEXT:
            raise ValidationError(_("Children's answers are never written."))
        checked[question.pk] = _check_value(question, value)
    existing = ChildResponse.objects.filter(round=survey_round, client_key=client_key).first()
    if existing is not None:
        return existing, False
    if not checked:
        raise ValidationError(_("No question was answered."))
    try:
        with transaction.atomic():
            # The round's row is locked so that pausing or finishing waits for this to land.
            locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
            if locked.status == RoundStatus.CLOSED:
                raise ValidationError(_("This round has finished: it takes no more answers."))
            # The minute only, and random ids (models.ChildResponse): the order children sat
            # in is not kept.
            received = (received_at or timezone.now()).replace(second=0, microsecond=0)
            response = ChildResponse.objects.create(
                round=locked, client_key=client_key, received_at=received
            )
            ChildAnswer.objects.bulk_create(
                ChildAnswer(response=response, question_id=qid, value=value)
                for qid, value in checked.items()
            )
    except IntegrityError:
        # The same upload arrived twice at once: the other one saved it.
        return ChildResponse.objects.get(round=survey_round, client_key=client_key), False
    return response, True


@transaction.atomic
def record_paper_tallies(
    *, acting_user, survey_round: SurveyRound, children: int, tallies: dict
) -> SurveyRound:
    """Replace the round's paper tallies: `children` answered on paper, and `tallies` says how
    many gave each answer ({(question id, value): count}). All or nothing."""
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.status == RoundStatus.CLOSED:
        raise ValidationError(_("This round has finished: its tallies can no longer change."))
    if not isinstance(children, int) or children < 0 or children > 200:
        raise ValidationError(
            {"children": _("Enter how many children answered on paper (0 to 200).")}
        )
    asked = {q.pk: q for q in questions_for(survey_round.version, survey_round.cohort)}
    totals: dict[int, int] = {}
    rows = []
    errors = {}
    for (question_id, value), count in tallies.items():
        question = asked.get(int(question_id))
        if question is None or question.kind == QuestionKind.TEXT:
            raise ValidationError(_("A tally is for a question this round does not ask."))
        value = _check_value(question, value)
        if not isinstance(count, int) or count < 0:
            errors[f"q{question.pk}_{value}"] = _("Enter a whole number, 0 or more.")
            continue
        totals[question.pk] = totals.get(question.pk, 0) + count
        if count:
            rows.append(PaperTally(round=survey_round, question=question, value=value, count=count))
    for question_id, total in totals.items():
        if total > children:
            errors[f"q{question_id}"] = ngettext(
                "“%(question)s” has %(total)s answers but only %(children)s child answered on "
                "paper.",
                "“%(question)s” has %(total)s answers but only %(children)s children answered on "
                "paper.",
                children,
            ) % {"question": asked[question_id].text, "total": total, "children": children}
    if errors:
        raise ValidationError(errors)
    PaperTally.objects.filter(round=survey_round).delete()
    PaperTally.objects.bulk_create(rows)
    survey_round.paper_children = children
    survey_round.save(update_fields=["paper_children"])
    _audit_round(
        acting_user,
        survey_round,
        "update",
        {"paper_children": children, "answers": sum(totals.values())},
    )
    return survey_round


# Feedback --------------------------------------------------------------------------------------
def quote_names(cohort_ids) -> dict[int, list[str]]:
    """For each cohort, the names a quote on it never shows: its children's (past and present
    ones), their parents' and carers', and their brothers' and sisters' (the other children of
    those parents, in whatever cohort). Two queries."""
    names: dict[int, list[str]] = {pk: [] for pk in cohort_ids}
    children: dict[int, set[int]] = {pk: set() for pk in cohort_ids}
    enrolled = Enrolment.objects.filter(cohort_id__in=sorted(names)).values_list(
        "cohort_id", "child_id", "child__first_name", "child__last_name"
    )
    for cohort_id, child_id, first, last in enrolled:
        children[cohort_id].add(child_id)
        names[cohort_id] += [first, last, f"{first} {last}"]
    in_cohorts = set().union(*children.values()) if children else set()
    families: dict[int, dict] = {}  # guardian id -> {"name", "children": {child id: names}}
    rows = (
        Guardianship.objects.filter(guardian__guardianships__child_id__in=sorted(in_cohorts))
        .values_list(
            "guardian_id", "guardian__name", "child_id", "child__first_name", "child__last_name"
        )
        .distinct()
    )
    for guardian_id, guardian_name, child_id, first, last in rows:
        family = families.setdefault(guardian_id, {"name": guardian_name, "children": {}})
        family["children"][child_id] = [first, last, f"{first} {last}"]
    for cohort_id, members in children.items():
        for family in families.values():
            if members & family["children"].keys():
                names[cohort_id].append(family["name"])
                for child_names in family["children"].values():
                    names[cohort_id] += child_names
    return names


def quote_identifiers(cohort: Cohort) -> Identifiers:
    """The names of the cohort's children, their guardians and their brothers and sisters: a
    quote never shows one (results redact quotes again when shown, for names added since)."""
    return Identifiers(
        names=quote_names([cohort.pk])[cohort.pk],
        emails=[],
        force_id=cohort.unit.school.area.force_id,
    )


def _save_feedback(*, acting_user, feedback: Feedback, answers: dict) -> Feedback:
    """Check and save `answers` ({question id: face, answer index or text}) for `feedback`."""
    questions = list(feedback.version.questions.order_by("position"))
    identifiers = quote_identifiers(feedback.cohort)
    rows = []
    errors = {}
    for question in questions:
        given = answers.get(question.pk, answers.get(str(question.pk)))
        if given in (None, ""):
            continue
        if question.kind == QuestionKind.TEXT:
            written = str(given).strip()
            if len(written) > MAX_TEXT:
                errors[f"q{question.pk}"] = _("Write %(count)s characters or fewer.") % {
                    "count": MAX_TEXT
                }
                continue
            quote = identifiers.redact(written) if identifiers else written
            rows.append(
                FeedbackAnswer(feedback=feedback, question=question, text=written, quote=quote)
            )
        else:
            try:
                value = _check_value(question, given)
            except ValidationError as error:
                errors[f"q{question.pk}"] = error.messages[0]
                continue
            rows.append(FeedbackAnswer(feedback=feedback, question=question, value=value))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Answer at least one question."))
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already given feedback on this cohort. Thank you.")
        ) from None
    for row in rows:
        row.feedback = feedback
    FeedbackAnswer.objects.bulk_create(rows)
    record_audit(
        acting_user=acting_user,
        # The audit log's actions are its five verbs (AuditEntry.Action, ten characters).
        action="create",
        obj=feedback,
        fields={"answers": len(rows), "may_quote": feedback.may_quote},
        force=feedback.cohort.unit.school.area.force,
        label=f"Feedback #{feedback.pk} on {feedback.cohort}",
    )
    return feedback


@transaction.atomic
def give_teacher_feedback(
    *, acting_user, cohort: Cohort, answers: dict, may_quote: bool, today=None
) -> Feedback:
    """`today` is the real today unless back-filling (the demo data)."""
    _check_feedback_open(cohort, today)
    version = current_version(cohort.unit.school.area.force, InstrumentKind.TEACHER)
    if version is None:
        raise ValidationError(_("No teacher feedback questionnaire is published."))
    feedback = Feedback(
        cohort=cohort,
        version=version,
        teacher=signed_in_or_none(acting_user),
        may_quote=bool(may_quote),
        submitted_at=_moment(today),
    )
    if feedback.teacher is None:
        raise ValidationError(_("Sign in to give feedback."))
    return _save_feedback(acting_user=acting_user, feedback=feedback, answers=answers)


@transaction.atomic
def give_guardian_feedback(
    *, acting_user, guardian: Guardian, cohort: Cohort, answers: dict, may_quote: bool, today=None
) -> Feedback:
    if not Child.objects.filter(
        guardianships__guardian=guardian, enrolments__cohort=cohort
    ).exists():
        raise ValidationError(_("None of your children is in this cohort."))
    _check_feedback_open(cohort, today)
    version = current_version(cohort.unit.school.area.force, InstrumentKind.GUARDIAN)
    if version is None:
        raise ValidationError(_("No parent and carer feedback questionnaire is published."))
    feedback = Feedback(
        cohort=cohort,
        version=version,
        guardian=guardian,
        may_quote=bool(may_quote),
        submitted_at=_moment(today),
    )
    return _save_feedback(acting_user=acting_user, feedback=feedback, answers=answers)
