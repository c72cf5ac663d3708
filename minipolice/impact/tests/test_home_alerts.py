"""The home page reminds leaders of the rounds to take and teachers of the feedback to give."""

from minipolice.impact import services
from minipolice.impact.tests.helpers import cohort_ending_soon, teacher_feedback
from minipolice.lib.tests.threads import signed_in_client


def home_text(user) -> str:
    response = signed_in_client(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_leader_is_reminded_of_the_before_round_until_it_is_taken(world):
    text = home_text(world.users["leader"])
    assert "Surveys to take" in text
    assert f"/cohorts/{world.cohort.pk}/surveys/" in text
    assert "the “before” round" in text
    services.start_round(acting_user=world.users["leader"], cohort=world.cohort, phase="pre")
    assert "Surveys to take" not in home_text(world.users["leader"])


def test_a_cohort_near_its_end_asks_for_the_after_round(world):
    services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    ending = cohort_ending_soon(world)
    text = home_text(world.users["area_lead"])
    assert f"/cohorts/{ending.pk}/surveys/" in text and "the “after” round" in text
    assert f"/cohorts/{world.cohort.pk}/surveys/" not in text
    services.start_round(acting_user=None, cohort=ending, phase="post")
    assert "Surveys to take" not in home_text(world.users["area_lead"])


def test_a_teacher_is_reminded_of_feedback_until_it_is_given(world):
    assert "Feedback to give" not in home_text(world.users["teacher"])  # not open yet
    ending = cohort_ending_soon(world)
    text = home_text(world.users["teacher"])
    assert "Feedback to give" in text and f"/cohorts/{ending.pk}/feedback/" in text
    assert "Surveys to take" not in text  # teachers do not run rounds
    teacher_feedback(world.users["teacher"], ending, {"behaviour_improved": 4})
    assert "Feedback to give" not in home_text(world.users["teacher"])


def test_no_reminder_for_other_forces_funders_or_parents(world):
    ending = cohort_ending_soon(world)
    # Another force's coordinator is reminded of their own cohorts only.
    text = home_text(world.users["outsider"])
    assert f"/cohorts/{world.other_cohort.pk}/surveys/" in text
    assert f"/cohorts/{world.cohort.pk}/" not in text and f"/cohorts/{ending.pk}/" not in text
    for role in ("funder", "national", "guardian"):
        text = home_text(world.users[role])
        assert "Surveys to take" not in text and "Feedback to give" not in text, role
