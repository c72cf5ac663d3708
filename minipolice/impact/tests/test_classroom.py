"""Classroom mode: the session locked to the round, the children's form, leaving it."""

import re
import uuid

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from minipolice.impact import services
from minipolice.impact.classroom_views import LEAVE_TRIES
from minipolice.impact.middleware import CLASSROOM_ROUND
from minipolice.impact.models import ChildAnswer, ChildResponse, RoundStatus, SurveyRound
from minipolice.impact.tests.classroom_helpers import child_questions, face_questions, start


@pytest.fixture
def locked(world, client_for):
    """The leader's client, locked to the cohort's pre round."""
    client = client_for(world.users["leader"])
    start(client, world)
    client.survey_round = SurveyRound.objects.get()
    return client


def classroom_url(survey_round):
    return f"/surveys/rounds/{survey_round.pk}/classroom/"


def leave_url(survey_round):
    return f"/surveys/rounds/{survey_round.pk}/classroom/leave/"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cohorts/{cohort}/",
        "/cohorts/{cohort}/surveys/",
        "/cohorts/{cohort}/results/",
        "/children/{child}/",
        "/surveys/rounds/{round}/paper/",
        "/accounts/email/",
        "/surveys/questionnaires/",
    ],
)
def test_the_lock_sends_every_other_address_to_the_leave_page(world, locked, path):
    url = path.format(cohort=world.cohort.pk, child=world.child.pk, round=locked.survey_round.pk)
    for method in ("get", "post"):
        response = getattr(locked, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"] == leave_url(locked.survey_round), (method, url)


def test_the_lock_leaves_the_classroom_static_files_and_health_checks_open(locked):
    survey_round = locked.survey_round
    assert locked.get(classroom_url(survey_round)).status_code == 200
    assert locked.get(leave_url(survey_round)).status_code == 200
    assert locked.get("/healthz").status_code == 200
    assert locked.get("/static/impact/classroom.js").status_code in (200, 404)  # not a redirect


def test_the_lock_refuses_another_rounds_classroom(world, locked):
    post = services.start_round(acting_user=None, cohort=world.cohort, phase="post")
    response = locked.get(classroom_url(post))
    assert response["Location"] == leave_url(locked.survey_round)


def test_the_classroom_without_the_lock_goes_back_to_the_surveys_page(world, client_for):
    survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    client = client_for(world.users["leader"])
    response = client.get(classroom_url(survey_round))
    assert response["Location"] == f"/cohorts/{world.cohort.pk}/surveys/"
    assert client.get(leave_url(survey_round))["Location"] == response["Location"]


def test_the_classroom_page_asks_every_question_with_five_faces_and_their_words(locked):
    page = locked.get(classroom_url(locked.survey_round)).content.decode()
    questions = child_questions(locked.survey_round)
    for question in questions:
        assert f'name="q{question.pk}"' in page
    face = face_questions(locked.survey_round)[0]
    assert len(re.findall(rf'name="q{face.pk}" value="\d"', page)) == 5
    for word in ["No, not at all", "Not really", "Not sure", "Yes, a bit", "Yes, a lot"]:
        assert word in page
    assert "Tap a face" in page
    assert 'lang="en-GB"' in page
    assert "govuk-header" not in page  # no staff header or menu for the children
    assert "<script>" not in page  # no inline script without the CSP nonce
    assert "/static/impact/classroom.js" in page


def test_a_child_answers_with_the_form_and_one_anonymous_response_is_saved(locked):
    survey_round = locked.survey_round
    page = locked.get(classroom_url(survey_round)).content.decode()
    key = re.search(r'name="client_key" value="([0-9a-f-]+)"', page)[1]
    faces = face_questions(survey_round)
    data = {"client_key": key, f"q{faces[0].pk}": "5", f"q{faces[1].pk}": "2"}
    response = locked.post(classroom_url(survey_round), data)
    assert response["Location"] == classroom_url(survey_round) + "?thanks=1"
    thanks = locked.get(response["Location"]).content.decode()
    assert "Pass the tablet to the next person" in thanks
    assert "Start" in thanks
    # A double tap sends the same form again: still one child.
    locked.post(classroom_url(survey_round), data)
    response = ChildResponse.objects.get(round=survey_round)
    assert response.client_key == uuid.UUID(key)
    assert dict(ChildAnswer.objects.values_list("question_id", "value")) == {
        faces[0].pk: 5,
        faces[1].pk: 2,
    }
    field_names = {f.name for f in ChildResponse._meta.get_fields()}
    assert not field_names & {"child", "user", "name", "device", "ip_address"}
    # The next child gets a new key.
    again = locked.get(classroom_url(survey_round)).content.decode()
    assert key not in again


def test_a_form_with_no_answer_says_so_and_saves_nothing(locked):
    survey_round = locked.survey_round
    response = locked.post(classroom_url(survey_round), {"client_key": str(uuid.uuid4())})
    assert response.status_code == 200
    assert "No question was answered." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ChildResponse.objects.exists()


def test_a_paused_round_shows_the_children_to_give_the_tablet_back(locked):
    survey_round = locked.survey_round
    SurveyRound.objects.filter(pk=survey_round.pk).update(status=RoundStatus.PAUSED)
    page = locked.get(classroom_url(survey_round)).content.decode()
    assert "This survey is paused" in page
    locked.post(classroom_url(survey_round), {"client_key": str(uuid.uuid4())})
    assert not ChildResponse.objects.exists()


def test_classroom_page_query_count(locked):
    url = classroom_url(locked.survey_round)
    with CaptureQueriesContext(connection) as queries:
        assert locked.get(url).status_code == 200
    assert len(queries) <= 10, [q["sql"] for q in queries.captured_queries]


# Leaving ---------------------------------------------------------------------------------------
def test_back_to_the_questions_needs_no_password(locked):
    page = locked.get(leave_url(locked.survey_round)).content.decode()
    assert f'href="{classroom_url(locked.survey_round)}"' in page
    assert "Back to the questions" in page


def test_a_wrong_password_keeps_the_lock_and_the_round(locked):
    survey_round = locked.survey_round
    response = locked.post(leave_url(survey_round), {"password": "guess", "action": "finish"})
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert locked.session[CLASSROOM_ROUND] == survey_round.pk
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.RUNNING
    assert locked.get("/")["Location"] == leave_url(survey_round)


def test_the_right_password_pauses_and_unlocks(world, locked):
    survey_round = locked.survey_round
    response = locked.post(leave_url(survey_round), {"password": PASSWORD, "action": "pause"})
    assert response["Location"] == f"/cohorts/{world.cohort.pk}/surveys/"
    assert CLASSROOM_ROUND not in locked.session
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.PAUSED
    page = locked.get(response["Location"])
    assert page.status_code == 200
    assert "You have left classroom mode" in page.content.decode()
    # Resumed by starting again.
    assert start(locked, world)["Location"] == classroom_url(survey_round)
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.RUNNING


def test_the_right_password_finishes_and_unlocks(world, locked):
    survey_round = locked.survey_round
    locked.post(leave_url(survey_round), {"password": PASSWORD, "action": "finish"})
    assert CLASSROOM_ROUND not in locked.session
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.CLOSED
    assert locked.get(f"/cohorts/{world.cohort.pk}/surveys/").status_code == 200


def test_after_five_wrong_passwords_the_session_is_signed_out(world, locked):
    survey_round = locked.survey_round
    for attempt in range(1, LEAVE_TRIES):
        response = locked.post(leave_url(survey_round), {"password": "no", "action": "pause"})
        assert response.status_code == 200, attempt
        assert f"After {LEAVE_TRIES - attempt} more wrong password" in response.content.decode()
    response = locked.post(leave_url(survey_round), {"password": "no", "action": "pause"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in locked.session
    assert CLASSROOM_ROUND not in locked.session
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.RUNNING  # nothing changed but the sign-out
    # The next request is a signed-out one: off to sign in, not into the staff pages.
    assert locked.get(f"/cohorts/{world.cohort.pk}/").status_code == 302
    # Axes counted none of these: the leader is not locked out of signing in again.
    assert not AccessAttempt.objects.exists()


def test_a_right_password_after_wrong_ones_starts_the_count_again(world, locked):
    survey_round = locked.survey_round
    for _ in range(LEAVE_TRIES - 1):
        locked.post(leave_url(survey_round), {"password": "no", "action": "pause"})
    locked.post(leave_url(survey_round), {"password": PASSWORD, "action": "pause"})
    start(locked, world)
    page = locked.get(leave_url(survey_round)).content.decode()
    assert f"After {LEAVE_TRIES} more wrong passwords" in page
