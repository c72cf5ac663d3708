"""Paper tallies: a round taken on paper typed in per statement and face, all or nothing."""

import uuid

import pytest

from minipolice.impact import services
from minipolice.impact.models import ChildResponse, PaperTally, SurveyRound
from minipolice.impact.tests.classroom_helpers import child_questions, face_questions


@pytest.fixture
def survey_round(world):
    return services.start_round(acting_user=None, cohort=world.cohort, phase="post")


def paper_url(survey_round):
    return f"/surveys/rounds/{survey_round.pk}/paper/"


def blank_form(survey_round, children=0):
    data = {"children": str(children)}
    for question in child_questions(survey_round):
        values = range(1, 6) if question.kind == "face" else range(len(question.options))
        for value in values:
            data[f"q{question.pk}_{value}"] = "0"
    return data


def saved(survey_round):
    return {
        (q, v): c
        for q, v, c in PaperTally.objects.filter(round=survey_round).values_list(
            "question_id", "value", "count"
        )
    }


def test_the_form_has_a_box_per_face_and_per_answer(survey_round, client_for, world):
    page = client_for(world.users["leader"]).get(paper_url(survey_round)).content.decode()
    face = face_questions(survey_round)[0]
    for value in range(1, 6):
        assert f'name="q{face.pk}_{value}"' in page
    assert "How many children answered on paper" in page
    choice = next(q for q in child_questions(survey_round) if q.kind == "choice")
    assert f'name="q{choice.pk}_0"' in page
    assert choice.options[0] in page


def test_tallies_save_and_replace_on_saving_again(survey_round, client_for, world):
    client = client_for(world.users["leader"])
    first, second = face_questions(survey_round)[:2]
    data = blank_form(survey_round, children=6) | {
        f"q{first.pk}_5": "4",
        f"q{first.pk}_4": "2",
        f"q{second.pk}_1": "1",
    }
    response = client.post(paper_url(survey_round), data)
    assert response["Location"] == f"/cohorts/{world.cohort.pk}/surveys/"
    survey_round.refresh_from_db()
    assert survey_round.paper_children == 6
    assert saved(survey_round) == {(first.pk, 5): 4, (first.pk, 4): 2, (second.pk, 1): 1}
    # The page shows what was saved ...
    page = client.get(paper_url(survey_round)).content.decode()
    assert (
        f'id="id_q{first.pk}_5" name="q{first.pk}_5" type="text" inputmode="numeric" value="4"'
        in page
    )
    # ... and saving again replaces it.
    data = blank_form(survey_round, children=3) | {f"q{second.pk}_3": "3"}
    client.post(paper_url(survey_round), data)
    survey_round.refresh_from_db()
    assert survey_round.paper_children == 3
    assert saved(survey_round) == {(second.pk, 3): 3}


def test_more_answers_than_children_redisplay_with_the_error_and_save_nothing(
    survey_round, client_for, world
):
    client = client_for(world.users["leader"])
    first, second = face_questions(survey_round)[:2]
    data = blank_form(survey_round, children=2) | {
        f"q{first.pk}_5": "2",
        f"q{first.pk}_4": "1",
        f"q{second.pk}_2": "2",
    }
    response = client.post(paper_url(survey_round), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "has 3 answers but only 2 children answered on paper" in page
    assert f'href="#id_q{first.pk}_1"' in page  # the summary links to the statement's first box
    assert "<title>Error:" in page
    assert not PaperTally.objects.exists()
    survey_round.refresh_from_db()
    assert survey_round.paper_children == 0


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "999"])
def test_a_box_that_is_not_a_count_is_an_error(survey_round, client_for, world, value):
    client = client_for(world.users["leader"])
    first = face_questions(survey_round)[0]
    data = blank_form(survey_round, children=5) | {f"q{first.pk}_3": value}
    response = client.post(paper_url(survey_round), data)
    assert response.status_code == 200
    assert f'href="#id_q{first.pk}_3"' in response.content.decode()
    assert not PaperTally.objects.exists()


def test_the_number_of_children_is_needed(survey_round, client_for, world):
    data = blank_form(survey_round) | {"children": ""}
    response = client_for(world.users["leader"]).post(paper_url(survey_round), data)
    assert "Enter how many children answered on paper" in response.content.decode()
    assert 'href="#id_children"' in response.content.decode()


def test_a_finished_round_keeps_its_tallies(survey_round, client_for, world):
    services.close_round(acting_user=None, survey_round=survey_round)
    client = client_for(world.users["leader"])
    assert "can no longer change" in client.get(paper_url(survey_round)).content.decode()
    first = face_questions(survey_round)[0]
    response = client.post(
        paper_url(survey_round), blank_form(survey_round, 1) | {f"q{first.pk}_5": "1"}
    )
    assert response.status_code == 200
    assert not PaperTally.objects.exists()


def test_paper_and_tablet_answers_are_both_counted(survey_round, client_for, world):
    """The round's children: the tablet's responses plus the paper ones, none counted twice."""
    client = client_for(world.users["leader"])
    face = face_questions(survey_round)[0]
    for _ in range(2):
        services.record_child_response(
            survey_round=survey_round, client_key=uuid.uuid4(), answers={face.pk: 5}
        )
    client.post(paper_url(survey_round), blank_form(survey_round, 3) | {f"q{face.pk}_5": "3"})
    client.post(paper_url(survey_round), blank_form(survey_round, 3) | {f"q{face.pk}_5": "3"})
    survey_round = SurveyRound.objects.get(pk=survey_round.pk)
    tablet = ChildResponse.objects.filter(round=survey_round).count()
    assert tablet + survey_round.paper_children == 5
    assert sum(saved(survey_round).values()) == 3
    assert (
        "2 on the tablet, 3 on paper"
        in client.get(f"/cohorts/{world.cohort.pk}/surveys/").content.decode()
    )


def test_the_paper_page_is_out_of_reach_of_other_forces_and_of_teachers(
    survey_round, client_for, world
):
    assert client_for(world.users["outsider"]).get(paper_url(survey_round)).status_code == 404
    assert client_for(world.users["teacher"]).get(paper_url(survey_round)).status_code == 403


def test_starting_on_paper_makes_the_round_without_classroom_mode(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        f"/cohorts/{world.cohort.pk}/surveys/start/", {"phase": "pre", "mode": "paper"}
    )
    survey_round = SurveyRound.objects.get()
    assert response["Location"] == paper_url(survey_round)
    assert client.get(paper_url(survey_round)).status_code == 200
