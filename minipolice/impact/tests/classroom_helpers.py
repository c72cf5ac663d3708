"""Shared setup of the classroom, round and paper tests."""

import importlib

from django.apps import apps as global_apps

from minipolice.impact import services
from minipolice.impact.models import InstrumentKind, InstrumentVersion, QuestionKind

_library = importlib.import_module("minipolice.impact.migrations.0002_national_library")


def ensure_national_library() -> None:
    """The national library the migration seeds (a transactional test's flush removes it)."""
    if not InstrumentVersion.objects.filter(instrument__kind=InstrumentKind.CHILD).exists():
        _library.seed(global_apps, None)


def start(client, world, phase="pre"):
    """Start a round from the cohort's surveys page, as the leader's tablet does."""
    return client.post(f"/cohorts/{world.cohort.pk}/surveys/start/", {"phase": phase})


def child_questions(survey_round):
    return [
        q
        for q in services.questions_for(survey_round.version, survey_round.cohort)
        if q.kind != QuestionKind.TEXT
    ]


def face_questions(survey_round):
    return [q for q in child_questions(survey_round) if q.kind == QuestionKind.FACE]
