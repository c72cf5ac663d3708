"""The cohort's surveys page: starting, pausing and finishing its pre and post rounds."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import build_world
from minipolice.audit.models import AuditEntry
from minipolice.impact import services
from minipolice.impact.middleware import CLASSROOM_ROUND
from minipolice.impact.models import ChildResponse, RoundStatus, SurveyRound
from minipolice.impact.tests.classroom_helpers import ensure_national_library, start
from minipolice.lib.tests.threads import at_once, signed_in_client

NEEDS_POSTGRESQL = (
    "Needs PostgreSQL: SQLite takes one writer at a time, so two tablets cannot overlap "
    "there. Run with DATABASE_URL=postgres://..."
)


def surveys_url(world):
    return f"/cohorts/{world.cohort.pk}/surveys/"


def test_leader_sees_both_rounds_not_started(world, client_for):
    page = client_for(world.users["leader"]).get(surveys_url(world))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Not started") == 2
    assert "Start classroom mode" in text
    assert f"/cohorts/{world.cohort.pk}/results/" in text
    assert "The class teacher gives feedback from the cohort" in text


@pytest.mark.parametrize("role", ["teacher", "funder", "national", "guardian"])
def test_roles_that_do_not_run_rounds_are_refused(world, client_for, role):
    response = client_for(world.users[role]).get(surveys_url(world))
    assert response.status_code in (403, 302)
    if response.status_code == 302:  # a guardian's account is sent to the parent portal
        assert "/portal/" in response["Location"]


def test_another_forces_cohort_is_not_found(world, client_for):
    client = client_for(world.users["outsider"])
    assert client.get(surveys_url(world)).status_code == 404
    assert start(client, world).status_code == 404
    assert not SurveyRound.objects.exists()


def test_starting_twice_gives_one_round_and_locks_the_session(world, client_for):
    client = client_for(world.users["leader"])
    first = start(client, world)
    survey_round = SurveyRound.objects.get()
    assert first["Location"] == f"/surveys/rounds/{survey_round.pk}/classroom/"
    assert client.session[CLASSROOM_ROUND] == survey_round.pk
    # Locked: the cohort's page is out of reach here; a second tablet starts it again.
    assert start(client, world)["Location"].endswith("/classroom/leave/")
    second = start(signed_in_client(world.users["leader"]), world)
    assert second["Location"] == first["Location"]
    assert SurveyRound.objects.count() == 1
    assert survey_round.status == RoundStatus.RUNNING


def test_start_needs_a_post(world, client_for):
    client = client_for(world.users["leader"])
    assert client.get(f"/cohorts/{world.cohort.pk}/surveys/start/").status_code == 405
    assert not SurveyRound.objects.exists()


def test_a_finished_round_cannot_start_again_and_says_why(world, client_for):
    client = client_for(world.users["leader"])
    survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    services.close_round(acting_user=None, survey_round=survey_round)
    response = start(client, world)
    assert response["Location"] == surveys_url(world)
    assert CLASSROOM_ROUND not in client.session
    page = client.get(surveys_url(world)).content.decode()
    assert "The before (start of the programme) round has finished" in page
    assert "Resume classroom mode" not in page.split("After (end")[0]


def test_an_unknown_phase_is_refused_without_a_round(world, client_for):
    client = client_for(world.users["leader"])
    response = start(client, world, phase="during")
    assert response["Location"] == surveys_url(world)
    assert not SurveyRound.objects.exists()
    assert (
        "Choose before or after the programme." in client.get(surveys_url(world)).content.decode()
    )


def test_pause_then_resume_then_finish_from_the_surveys_page(world, client_for):
    client = client_for(world.users["area_lead"])
    survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="post")
    assert client.post(f"/surveys/rounds/{survey_round.pk}/pause/")["Location"] == surveys_url(
        world
    )
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.PAUSED
    assert "Paused" in client.get(surveys_url(world)).content.decode()
    start(client, world, phase="post")  # resume: classroom mode again
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.RUNNING
    client.session.flush()
    client = client_for(world.users["area_lead"])  # a fresh, unlocked session
    client.post(f"/surveys/rounds/{survey_round.pk}/finish/")
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.CLOSED
    assert survey_round.closed_at is not None


def test_pause_and_finish_need_a_post(world, client_for):
    client = client_for(world.users["leader"])
    survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    assert client.get(f"/surveys/rounds/{survey_round.pk}/pause/").status_code == 405
    assert client.get(f"/surveys/rounds/{survey_round.pk}/finish/").status_code == 405


def test_surveys_page_counts_tablet_and_paper_answers(world, client_for):
    survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    question = survey_round.version.questions.filter(kind="face").first()
    for _ in range(3):
        services.record_child_response(
            survey_round=survey_round,
            client_key=uuid.uuid4(),
            answers={question.pk: 5},
        )
    services.record_paper_tallies(
        acting_user=None, survey_round=survey_round, children=4, tallies={(question.pk, 4): 4}
    )
    page = client_for(world.users["leader"]).get(surveys_url(world)).content.decode()
    assert "3 on the tablet, 4 on paper" in page


def test_surveys_page_query_count_is_fixed(world, client_for):
    client = client_for(world.users["leader"])
    with CaptureQueriesContext(connection) as before:
        assert client.get(surveys_url(world)).status_code == 200
    pre = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    post = services.start_round(acting_user=None, cohort=world.cohort, phase="post")
    question = pre.version.questions.filter(kind="face").first()
    for survey_round in (pre, post):
        for _ in range(5):
            services.record_child_response(
                survey_round=survey_round,
                client_key=uuid.uuid4(),
                answers={question.pk: 3},
            )
    with CaptureQueriesContext(connection) as after:
        assert client.get(surveys_url(world)).status_code == 200
    # Without rounds the page also looks up the questionnaire a new round would use.
    assert len(after) <= len(before) <= 12, [q["sql"] for q in before.captured_queries]


# Races: real threads, PostgreSQL only -----------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_leaders_starting_the_same_round_at_once_get_one_round():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    ensure_national_library()
    world = build_world()
    clients = [signed_in_client(world.users["leader"]), signed_in_client(world.users["area_lead"])]
    responses = at_once(*[lambda c=c: start(c, world) for c in clients])
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    survey_round = SurveyRound.objects.get()
    assert {r["Location"] for r in responses} == {f"/surveys/rounds/{survey_round.pk}/classroom/"}


@pytest.mark.django_db(transaction=True)
def test_the_same_answers_uploaded_twice_at_once_count_once():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    ensure_national_library()
    world = build_world()
    survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    question = survey_round.version.questions.filter(kind="face").first()
    body = f'{{"client_key": "{uuid.uuid4()}", "answers": {{"{question.pk}": 4}}}}'
    clients = [signed_in_client(world.users["leader"]) for _ in range(2)]
    url = f"/surveys/rounds/{survey_round.pk}/classroom/answers/"
    responses = at_once(
        *[lambda c=c: c.post(url, body, content_type="application/json") for c in clients]
    )
    assert sorted(getattr(r, "status_code", r) for r in responses) == [200, 201]
    assert ChildResponse.objects.filter(round=survey_round).count() == 1


def test_starting_pausing_and_finishing_are_audited_with_the_audit_logs_actions(world, client_for):
    """The audit log's action is a short verb (PostgreSQL refuses more than 10 characters)."""
    client = client_for(world.users["coordinator"])
    survey_round = services.start_round(
        acting_user=world.users["leader"], cohort=world.cohort, phase="pre"
    )
    client.post(f"/surveys/rounds/{survey_round.pk}/pause/")
    client.post(f"/surveys/rounds/{survey_round.pk}/finish/")
    entries = AuditEntry.objects.filter(
        object_type="surveyround", object_id=str(survey_round.pk)
    ).order_by("pk")
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert [e.fields.get("status") for e in entries[1:]] == ["paused", "closed"]
    assert all(len(e.action) <= 10 for e in AuditEntry.objects.all())
