"""GET /api/v1/impact/results: the figures of the results pages, with the same scoping."""

import pytest

from minipolice.api.services import create_api_token
from minipolice.api.tests.conftest import ApiClient
from minipolice.impact.models import Phase
from minipolice.impact.tests.helpers import (
    cohort_ending_soon,
    faces,
    guardian_in,
    run_round,
    teacher_feedback,
    teachers,
)


def _api(user) -> ApiClient:
    return ApiClient(create_api_token(acting_user=None, user=user, name="results")[1])


@pytest.fixture
def surveyed(world):
    cohort = cohort_ending_soon(world)
    guardian_in(cohort, "Jo Quill", child_name=("Zed", "Quill"))
    run_round(cohort, Phase.PRE, faces("trust_police", 1, 2, 3, 4, 5, 5))
    run_round(cohort, Phase.POST, faces("trust_police", 4, 4, 5, 5, 5, 3))
    for teacher in teachers(world, 2):
        teacher_feedback(
            teacher, cohort, {"behaviour_improved": 5, "what_worked": "Zed Quill shone."}
        )
    return cohort


def test_cohort_results_give_the_distribution_change_and_benchmark(world, surveyed):
    body = _api(world.users["leader"]).get("/impact/results", {"cohort": surveyed.pk}).json()
    assert body["level"] == "cohort" and body["id"] == surveyed.pk
    assert [(r["phase"], r["responses"]) for r in body["rounds"]] == [("pre", 6), ("post", 6)]
    trust = next(q for q in body["questions"] if q["key"] == "trust_police")
    assert [b["count"] for b in trust["pre"]["distribution"]] == [1, 1, 1, 1, 2]
    assert (trust["pre"]["top_two"], trust["post"]["top_two"], trust["change"]) == (50, 83, 33)
    assert trust["benchmark"] is True
    assert body["benchmark"]["percent"] == 75
    assert "Crime Survey for England and Wales, 2012/13" in body["benchmark"]["label"]
    teacher = body["feedback"][0]
    assert teacher["kind"] == "teacher" and teacher["given"] == 2
    assert teacher["questions"] == []  # fewer than 5 teachers
    assert {q["text"] for q in teacher["quotes"]} == {"[name removed] shone."}
    assert "Zed" not in str(body) and "Quill" not in str(body)
    # Aggregate roles are not told that 1 to 4 teachers answered.
    funder = _api(world.users["funder"]).get("/impact/results", {"cohort": surveyed.pk}).json()
    assert funder["feedback"][0]["given"] is None


def test_fewer_than_5_responses_give_no_figures(world):
    cohort = cohort_ending_soon(world)
    run_round(cohort, Phase.PRE, faces("trust_police", 5, 5, 1))
    body = _api(world.users["coordinator"]).get("/impact/results", {"cohort": cohort.pk}).json()
    assert body["rounds"][0]["responses"] is None
    trust = next(q for q in body["questions"] if q["key"] == "trust_police")
    assert trust["pre"] == {
        "n": None,
        "distribution": [],
        "mean": None,
        "top_two": None,
        "correct": None,
    }


def test_scoping_matches_the_pages(world, surveyed):
    run_round(world.other_cohort, Phase.PRE, faces("trust_police", 1, 1, 1, 1, 1))
    funder = _api(world.users["funder"])
    assert funder.get("/impact/results", {"force": world.force.pk}).status_code == 200
    assert funder.get("/impact/results", {"force": world.other_force.pk}).status_code == 404
    assert funder.get("/impact/results", {"cohort": world.other_cohort.pk}).status_code == 404
    national = _api(world.users["national"])
    for params in (
        {"force": world.other_force.pk},
        {"area": world.other_unit.school.area_id},
        {"unit": world.other_unit.pk},
        {"cohort": world.other_cohort.pk},
    ):
        assert national.get("/impact/results", params).status_code == 200, params
    leader = _api(world.users["leader"])
    assert leader.get("/impact/results", {"area": world.area.pk}).status_code == 404
    assert leader.get("/impact/results", {"unit": world.unit.pk}).status_code == 200
    assert (
        _api(world.users["guardian"]).get("/impact/results", {"cohort": surveyed.pk}).status_code
        == 403
    )


def test_exactly_one_scope_is_asked_for(world):
    api = _api(world.users["coordinator"])
    assert api.get("/impact/results").status_code == 400
    both = api.get("/impact/results", {"unit": world.unit.pk, "force": world.force.pk})
    assert both.status_code == 400
