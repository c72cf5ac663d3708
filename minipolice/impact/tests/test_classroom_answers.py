"""The tablet's offline queue uploads each child's answers as JSON: counted once per key."""

import json
import uuid

import pytest
from django.test import Client

from minipolice.impact import services
from minipolice.impact.models import ChildAnswer, ChildResponse, RoundStatus, SurveyRound
from minipolice.impact.tests.classroom_helpers import child_questions, face_questions, start


@pytest.fixture
def locked(world, client_for):
    client = client_for(world.users["leader"])
    start(client, world)
    client.survey_round = SurveyRound.objects.get()
    return client


def upload(client, survey_round, body):
    return client.post(
        f"/surveys/rounds/{survey_round.pk}/classroom/answers/",
        json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
    )


def answers_of(survey_round, **values):
    faces = face_questions(survey_round)
    return {str(faces[0].pk): 4, str(faces[1].pk): 1, **values}


def test_an_upload_is_counted_then_a_repeat_is_recognised(locked):
    survey_round = locked.survey_round
    body = {"client_key": str(uuid.uuid4()), "answers": answers_of(survey_round)}
    first = upload(locked, survey_round, body)
    assert first.status_code == 201
    assert first.json()["counted"] is True
    second = upload(locked, survey_round, body)
    assert second.status_code == 200
    assert ChildResponse.objects.filter(round=survey_round).count() == 1
    assert ChildAnswer.objects.count() == 2


def test_a_knowledge_question_takes_the_index_of_an_answer(locked):
    survey_round = locked.survey_round
    choice = next(q for q in child_questions(survey_round) if q.kind == "choice")
    body = {"client_key": str(uuid.uuid4()), "answers": {str(choice.pk): 1}}
    assert upload(locked, survey_round, body).status_code == 201
    assert ChildAnswer.objects.get().value == 1


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        {"client_key": "not-a-key", "answers": {}},
        {"answers": {"1": 3}},
        {"client_key": "00000000-0000-4000-8000-000000000000", "answers": "5"},
        {"client_key": "00000000-0000-4000-8000-000000000000", "answers": {}},
    ],
)
def test_bad_uploads_are_refused_with_a_reason(locked, body):
    response = upload(locked, locked.survey_round, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not ChildResponse.objects.exists()


def test_a_face_outside_one_to_five_is_refused(locked):
    survey_round = locked.survey_round
    face = face_questions(survey_round)[0]
    body = {"client_key": str(uuid.uuid4()), "answers": {str(face.pk): 6}}
    response = upload(locked, survey_round, body)
    assert response.status_code == 400
    assert "is not one of its answers" in response.json()["error"]
    assert not ChildResponse.objects.exists()


def test_a_question_of_another_questionnaire_is_refused(locked, world):
    survey_round = locked.survey_round
    teacher_question = services.current_version(world.force, "teacher").questions.first()
    body = {"client_key": str(uuid.uuid4()), "answers": {str(teacher_question.pk): 3}}
    assert upload(locked, survey_round, body).status_code == 400


def test_a_finished_round_answers_409(locked):
    survey_round = locked.survey_round
    services.close_round(acting_user=None, survey_round=survey_round)
    body = {"client_key": str(uuid.uuid4()), "answers": answers_of(survey_round)}
    response = upload(locked, survey_round, body)
    assert response.status_code == 409
    assert not ChildResponse.objects.exists()


def test_a_paused_round_still_takes_the_queue_of_answers(locked):
    """Answers given before the pause may arrive after it, when the Wi-Fi comes back."""
    survey_round = locked.survey_round
    SurveyRound.objects.filter(pk=survey_round.pk).update(status=RoundStatus.PAUSED)
    body = {"client_key": str(uuid.uuid4()), "answers": answers_of(survey_round)}
    assert upload(locked, survey_round, body).status_code == 201


def test_another_forces_round_is_not_found(world, client_for):
    other = services.start_round(acting_user=None, cohort=world.other_cohort, phase="pre")
    client = client_for(world.users["leader"])
    body = {"client_key": str(uuid.uuid4()), "answers": answers_of(other)}
    assert upload(client, other, body).status_code == 404
    outsider = client_for(world.users["outsider"])
    mine = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    assert upload(outsider, mine, body).status_code == 404
    assert not ChildResponse.objects.exists()


def test_teachers_cannot_upload_and_a_get_is_not_allowed(world, client_for, locked):
    survey_round = locked.survey_round
    assert locked.get(f"/surveys/rounds/{survey_round.pk}/classroom/answers/").status_code == 405
    teacher = client_for(world.users["teacher"])
    body = {"client_key": str(uuid.uuid4()), "answers": answers_of(survey_round)}
    assert upload(teacher, survey_round, body).status_code == 403


def test_an_upload_without_the_csrf_token_is_refused(world, locked):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["leader"])
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    body = {"client_key": str(uuid.uuid4()), "answers": answers_of(locked.survey_round)}
    assert upload(client, locked.survey_round, body).status_code == 403


def test_a_deeply_nested_body_is_refused_not_a_server_error(locked):
    """json.loads gives up on deep nesting with a RecursionError: still a 400, not a 500."""
    body = '{"a": ' * 10_000 + "1" + "}" * 10_000
    response = upload(locked, locked.survey_round, body)
    assert response.status_code == 400
    assert response.json()["error"] == "The answers are not JSON."
    assert not ChildResponse.objects.exists()


@pytest.mark.parametrize("value", [True, 4.7, "4.0", [4]])
def test_an_answer_that_is_not_a_whole_number_is_refused(locked, value):
    """A face is 1 to 5 exactly: true is not 1, and 4.7 is not rounded down to 4."""
    survey_round = locked.survey_round
    face = face_questions(survey_round)[0]
    body = {"client_key": str(uuid.uuid4()), "answers": {str(face.pk): value}}
    response = upload(locked, survey_round, body)
    assert response.status_code == 400
    assert "is not one of its answers" in response.json()["error"]
    assert not ChildResponse.objects.exists()
