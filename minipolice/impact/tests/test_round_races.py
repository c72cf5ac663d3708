"""Races around a running round, with real threads on PostgreSQL: a leader finishing the
round while a tablet's queue uploads, and the same paper tallies confirmed in two tabs.

The round's row is the lock: recording a response, typing tallies and finishing all take it,
so a response lands before the finish or is refused after it, never in between.
"""

import json
import uuid

import pytest
from django.db import connection

from conftest import build_world
from minipolice.impact import services
from minipolice.impact.models import ChildResponse, PaperTally, RoundStatus, SurveyRound
from minipolice.impact.tests.classroom_helpers import ensure_national_library, face_questions
from minipolice.lib.tests.threads import at_once, signed_in_client

NEEDS_POSTGRESQL = (
    "Needs PostgreSQL: SQLite takes one writer at a time, so the posts cannot overlap there. "
    "Run with DATABASE_URL=postgres://..."
)


def _running_round(world) -> SurveyRound:
    ensure_national_library()
    return services.start_round(acting_user=None, cohort=world.cohort, phase="pre")


@pytest.mark.django_db(transaction=True)
def test_no_answer_is_counted_after_the_round_is_finished():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    world = build_world()
    survey_round = _running_round(world)
    face = face_questions(survey_round)[0]
    url = f"/surveys/rounds/{survey_round.pk}/classroom/answers/"
    tablets = [signed_in_client(world.users["leader"]) for _ in range(4)]
    finisher = signed_in_client(world.users["area_lead"])

    def upload(client):
        body = json.dumps({"client_key": str(uuid.uuid4()), "answers": {str(face.pk): 4}})
        return client.post(url, body, content_type="application/json")

    responses = at_once(
        *[lambda c=c: upload(c) for c in tablets],
        lambda: finisher.post(f"/surveys/rounds/{survey_round.pk}/finish/"),
    )
    codes = [getattr(r, "status_code", r) for r in responses]
    assert codes[-1] == 302
    assert set(codes[:-1]) <= {201, 400, 409}, codes
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.CLOSED
    counted = ChildResponse.objects.filter(round=survey_round)
    # Every 201 is a saved response, every refusal saved nothing, and none arrived after the
    # finish (responses carry only the minute, so compare counts, not times).
    assert counted.count() == codes.count(201)
    assert all(r.received_at <= survey_round.closed_at for r in counted)
    assert upload(tablets[0]).status_code == 409


@pytest.mark.django_db(transaction=True)
def test_the_same_paper_tallies_confirmed_in_two_tabs_are_saved_once():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    world = build_world()
    survey_round = _running_round(world)
    face = face_questions(survey_round)[0]
    data = {"children": "6", f"q{face.pk}_4": "2", f"q{face.pk}_5": "4"}
    url = f"/surveys/rounds/{survey_round.pk}/paper/"
    tabs = [signed_in_client(world.users["leader"]) for _ in range(2)]
    responses = at_once(*[lambda c=c: c.post(url, data) for c in tabs])
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert sorted(PaperTally.objects.filter(round=survey_round).values_list("value", "count")) == [
        (4, 2),
        (5, 4),
    ]
    survey_round.refresh_from_db()
    assert survey_round.paper_children == 6
