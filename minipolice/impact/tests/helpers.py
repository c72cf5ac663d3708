"""Builders for the impact app's tests, through the services as a leader, a teacher and a
parent would: survey rounds with children's answers (classroom and paper) and feedback."""

import datetime
import uuid

from django.utils import timezone

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.impact import services
from minipolice.impact.models import (
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Question,
    SurveyRound,
)
from minipolice.organisations import services as org
from minipolice.people import services as people
from minipolice.programme.models import ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE


def questions_by_key(version) -> dict:
    return {q.key: q for q in version.questions.all()}


def run_round(
    cohort, phase: str, answers: list[dict], *, paper: dict | None = None, close: bool = True
) -> SurveyRound:
    """A round of `cohort` in `phase`: each dict of `answers` ({question key: face or answer
    index}) is one child's classroom response; `paper` is {"children": n, "tallies":
    {(question key, value): count}}."""
    survey_round = services.start_round(acting_user=None, cohort=cohort, phase=phase)
    by_key = questions_by_key(survey_round.version)
    for child in answers:
        services.record_child_response(
            survey_round=survey_round,
            client_key=uuid.uuid4(),
            answers={by_key[key].pk: value for key, value in child.items()},
        )
    if paper:
        services.record_paper_tallies(
            acting_user=None,
            survey_round=survey_round,
            children=paper["children"],
            tallies={
                (by_key[key].pk, value): count for (key, value), count in paper["tallies"].items()
            },
        )
    if close:
        services.close_round(acting_user=None, survey_round=survey_round)
    return survey_round


def faces(key: str, *values: int) -> list[dict]:
    """One child's response per face in `values`, each answering only `key`."""
    return [{key: value} for value in values]


def standard_programme():
    """The national 8-week programme (its modules ask three knowledge questions)."""
    return ProgrammeTemplate.objects.filter(force=None, name=DEFAULT_TEMPLATE).first()


def cohort_ending_soon(world, *, unit=None, name="Summer term", template=None):
    """A cohort of the world's unit (or `unit`) ending in a week: feedback on it is open. It
    follows `template`, else the national 8-week programme (so it is asked knowledge
    questions)."""
    today = timezone.localdate()
    if template is None:
        template = standard_programme()
    return org.create_cohort(
        acting_user=None,
        unit=unit or world.unit,
        name=name,
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=7),
        programme_template=template,
    )


def teachers(world, n: int, prefix="teacher") -> list:
    found = []
    for i in range(n):
        user = create_user(
            acting_user=None,
            email=f"{prefix}{i}@example.org",
            full_name=f"Teacher {prefix} {i}",
            password="correct-horse-battery-staple",
        )
        assign_role(acting_user=None, user=user, role=Role.TEACHER, school=world.school)
        found.append(user)
    return found


def teacher_feedback(teacher, cohort, answers: dict, *, may_quote=True):
    """`answers` is {question key: face or text}."""
    version = services.current_version(cohort.unit.school.area.force, InstrumentKind.TEACHER)
    by_key = questions_by_key(version)
    return services.give_teacher_feedback(
        acting_user=teacher,
        cohort=cohort,
        answers={by_key[key].pk: value for key, value in answers.items()},
        may_quote=may_quote,
    )


def guardian_in(cohort, name: str, *, child_name=("Kit", "Carer")):
    """A guardian with a child in `cohort`."""
    force = cohort.unit.school.area.force
    child = people.add_child_to_cohort(
        acting_user=None,
        cohort=cohort,
        first_name=child_name[0],
        last_name=child_name[1],
        year_group=5,
    )
    guardian = people.create_guardian(acting_user=None, force=force, name=name)
    people.link_guardian(acting_user=None, child=child, guardian=guardian)
    return guardian


def guardian_feedback(guardian, cohort, answers: dict, *, may_quote=True):
    version = services.current_version(cohort.unit.school.area.force, InstrumentKind.GUARDIAN)
    by_key = questions_by_key(version)
    return services.give_guardian_feedback(
        acting_user=None,
        guardian=guardian,
        cohort=cohort,
        answers={by_key[key].pk: value for key, value in answers.items()},
        may_quote=may_quote,
    )


def publish_child_version(texts: dict | None = None) -> InstrumentVersion:
    """A new published version of the national children's questionnaire: the same questions
    and keys, with the texts of `texts` ({key: text}) changed. (The library's own services for
    drafts and publishing belong to its pages; results only need a second version.)"""
    instrument = Instrument.objects.get(force__isnull=True, kind=InstrumentKind.CHILD)
    latest = instrument.versions.order_by("-number").first()
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=latest.number + 1, published_at=timezone.now()
    )
    Question.objects.bulk_create(
        Question(
            version=version,
            position=q.position,
            key=q.key,
            kind=q.kind,
            text=(texts or {}).get(q.key, q.text),
            module=q.module,
            options=q.options,
            correct=q.correct,
        )
        for q in latest.questions.all()
    )
    return version
