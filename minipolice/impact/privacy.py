"""The impact app's personal data: teachers' and guardians' feedback (people/privacy.py lists
the hooks).

The children's survey answers are anonymous by design: no child id, name or device is stored
with them, so there is nothing of a child's here to export, anonymise or redact.

Feedback is linked to who gave it. A guardian's subject access export lists their feedback as
they gave it; erasing or anonymising them clears their written answers (text and quote), marks
the feedback anonymised and unlinks it from them: the scores stay, counted as aggregates.
Names of other people in written answers are redacted on erasure (remove_identifiers).

Retention is per cohort, not per person: once a cohort's end date is further back than its
force's retention period (the same rule as children's records, people/retention.py), the
written answers of every feedback on it, teachers' and guardians', are cleared
(`clear_expired_feedback`, run by the app's housekeeping in tasks.py).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from minipolice.audit.services import record_audit
from minipolice.impact.models import FACE_WORDS, Feedback, FeedbackAnswer, QuestionKind
from minipolice.lib.privacy import Identifiers, Section, mentions, redact_rows, text
from minipolice.organisations.models import Cohort, Force
from minipolice.people.privacy import child_identifiers, guardian_identifiers, mention_section
from minipolice.people.retention import keep_from


def _given(answer: FeedbackAnswer, kind: str) -> str:
    question = answer.question
    if question.kind == QuestionKind.TEXT:
        return answer.text
    if answer.value is None:
        return ""
    if question.kind == QuestionKind.FACE:
        return f"{answer.value}: {FACE_WORDS[kind][answer.value - 1]}"
    return question.options[answer.value]


def _written_answers(identifiers: Identifiers):
    """Written feedback answers on the cohorts of the units the person belonged to."""
    return (
        FeedbackAnswer.objects.filter(feedback__cohort__unit_id__in=identifiers.unit_ids)
        .select_related("feedback", "question")
        .order_by("pk")
    )


def _mentions_section(identifiers: Identifiers, exclude_guardian=None) -> Section:
    answers = _written_answers(identifiers)
    if exclude_guardian is not None:
        answers = answers.exclude(feedback__guardian=exclude_guardian)
    return mention_section(
        "survey_feedback_mentions",
        "Teachers' and parents' written feedback that names them",
        (
            (
                f"Feedback #{answer.feedback_id}",
                {"Given": answer.feedback.submitted_at, answer.question.text: answer.text},
            )
            for answer, _ in mentions(answers, ["text", "quote"], identifiers)
        ),
    )


def child_sections(child) -> list[Section]:
    return [_mentions_section(child_identifiers(child))]


def guardian_sections(guardian) -> list[Section]:
    feedback = (
        Feedback.objects.filter(guardian=guardian)
        .select_related("cohort", "cohort__unit", "version__instrument")
        .prefetch_related("answers__question")
        .order_by("submitted_at", "pk")
    )
    return [
        Section(
            "survey_feedback",
            "Feedback given in the parent portal",
            [
                {
                    "Given": text(item.submitted_at),
                    "Group": f"{item.cohort.unit.name}: {item.cohort.name}",
                    "Questionnaire": f"{item.version.instrument.name}, version "
                    f"{item.version.number}",
                    "May be quoted without their name": "Yes" if item.may_quote else "No",
                    **{
                        answer.question.text: _given(answer, item.version.instrument.kind)
                        for answer in sorted(item.answers.all(), key=lambda a: a.question.position)
                    },
                }
                for item in feedback
            ],
        ),
        _mentions_section(guardian_identifiers(guardian), exclude_guardian=guardian),
    ]


def _clear(feedback, **also) -> int:
    """Clear the written answers of `feedback` (a queryset); the scores stay."""
    FeedbackAnswer.objects.filter(feedback__in=feedback.values("pk")).exclude(
        text="", quote=""
    ).update(text="", quote="")
    return feedback.update(anonymised_at=timezone.now(), **also)


def anonymise_guardian(guardian) -> None:
    _clear(Feedback.objects.filter(guardian=guardian), guardian=None)


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    return redact_rows(
        _written_answers(identifiers),
        ["text", "quote"],
        identifiers,
        lambda answer, _: (
            f"written answer in feedback #{answer.feedback_id} of "
            f"{text(answer.feedback.submitted_at.date())}"
        ),
    )


def expired_cohorts(today: datetime.date):
    """Cohorts whose end date is before their force's keep-from date (people/retention.py)."""
    due = Q(pk__in=[])
    for force in Force.objects.all():
        due |= Q(unit__school__area__force_id=force.pk, end_date__lt=keep_from(force, today))
    return Cohort.objects.filter(due)


def clear_expired_feedback(today: datetime.date | None = None) -> int:
    """Clear the written answers of feedback on cohorts past retention; how many were cleared.
    Audited once per force (how many, never whose)."""
    today = today or timezone.localdate()
    due = Feedback.objects.filter(
        anonymised_at__isnull=True, cohort__in=expired_cohorts(today)
    ).select_related("cohort__unit__school__area__force")
    by_force: dict[int, list[Feedback]] = {}
    for feedback in due:
        by_force.setdefault(feedback.cohort.unit.school.area.force_id, []).append(feedback)
    for rows in by_force.values():
        _clear(Feedback.objects.filter(pk__in=[f.pk for f in rows]))
        force = rows[0].cohort.unit.school.area.force
        record_audit(
            acting_user=None,
            action="update",
            obj=force,
            force=force,
            label=f"Retention: written feedback cleared for {force.name}",
            fields={
                "retention": "survey feedback",
                "feedback_cleared": len(rows),
                "cohorts": sorted({f.cohort_id for f in rows}),
            },
        )
    return sum(len(rows) for rows in by_force.values())
