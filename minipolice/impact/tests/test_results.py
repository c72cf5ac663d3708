"""Survey results: distributions and changes exactly right for known answers, "not enough
responses" below 5, the benchmark beside trust, feedback and its quotes."""

import re

import pytest
from django.utils import timezone

from minipolice.api.services import create_api_token
from minipolice.api.tests.conftest import ApiClient
from minipolice.impact import results
from minipolice.impact.models import Feedback, Phase
from minipolice.impact.tests.helpers import (
    cohort_ending_soon,
    faces,
    guardian_feedback,
    guardian_in,
    publish_child_version,
    run_round,
    teacher_feedback,
    teachers,
)
from minipolice.people import services as people

NEW_TRUST_TEXT = "I trust the police officers I meet."


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _section(page: str, key: str) -> str:
    """The part of the page about one question."""
    start = page.index(f'<section class="govuk-!-margin-bottom-8" id="q-{key}"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def known(world):
    """A cohort whose before round (version 1) had 6 children in class and 4 on paper, and
    whose after round (version 2, same keys, the trust statement reworded) had 8 in class."""
    cohort = cohort_ending_soon(world)
    trust_pre = [1, 2, 3, 3, 4, 5]
    knows_pre = [0, 1, 1, 2, 0]  # 101 is right (index 1): 2 of 5
    classroom = [
        {"trust_police": face, **({"non_emergency_number": knows_pre[i]} if i < 5 else {})}
        for i, face in enumerate(trust_pre)
    ]
    # Only three children answered "I know who my PCSO is": too few to show.
    for child in classroom[:3]:
        child["know_pcso"] = 5
    run_round(
        cohort,
        Phase.PRE,
        classroom,
        paper={
            "children": 4,
            "tallies": {("trust_police", 4): 2, ("trust_police", 5): 1, ("trust_police", 2): 1},
        },
    )
    publish_child_version({"trust_police": NEW_TRUST_TEXT})
    trust_post = [5, 5, 5, 4, 4, 3, 2, 5]
    knows_post = [1, 1, 1, 1, 1, 1, 0, 2]
    run_round(
        cohort,
        Phase.POST,
        [
            {"trust_police": t, "non_emergency_number": k}
            for t, k in zip(trust_post, knows_post, strict=True)
        ],
    )
    return cohort


def test_distributions_combine_classroom_paper_and_versions(known):
    found = results.results_for(known)
    assert found.n == {Phase.PRE: 10, Phase.POST: 8}
    assert found.versions == {
        Phase.PRE: ["Mini Police children's questionnaire, version 1"],
        Phase.POST: ["Mini Police children's questionnaire, version 2"],
    }
    trust = next(q for q in found.questions if q.key == "trust_police")
    assert trust.text == NEW_TRUST_TEXT  # the latest version's words
    assert [(b.value, b.count, b.percent) for b in trust.pre.bars] == [
        (1, 1, 10),
        (2, 2, 20),
        (3, 2, 20),
        (4, 3, 30),
        (5, 2, 20),
    ]
    assert (trust.pre.n, trust.pre.mean, trust.pre.top_two) == (10, 3.3, 50)
    assert [(b.value, b.count) for b in trust.post.bars] == [(1, 0), (2, 1), (3, 1), (4, 2), (5, 4)]
    assert (trust.post.n, trust.post.mean, trust.post.top_two) == (8, 4.1, 75)
    assert trust.change == 25
    knows = next(q for q in found.questions if q.key == "non_emergency_number")
    assert knows.is_knowledge
    assert (knows.pre.n, knows.pre.correct, knows.post.n, knows.post.correct) == (5, 40, 8, 75)
    assert [(b.label, b.count) for b in knows.pre.bars] == [("999", 2), ("101", 2), ("111", 1)]
    assert knows.change == 35


def test_cohort_page_shows_distribution_mean_and_change_with_n(known, world, client_for):
    page = _text(client_for(world.users["leader"]).get(f"/cohorts/{known.pk}/results/"))
    assert "50% → 75% (+25 points), n = 10 before, 8 after" in page
    assert "40% → 75% (+35 points), n = 5 before, 8 after" in page
    trust = _section(page, "trust_police")
    assert NEW_TRUST_TEXT in trust
    assert "Before (n = 10)" in trust and "After (n = 8)" in trust
    # The full distribution beside the mean, the table carrying the numbers.
    assert re.search(r"4: Yes, a bit</th> <td[^>]*>3</td> <td[^>]*>30%</td>", trust)
    assert "Mean: 3.3 out of 5" in trust and "Mean: 4.1 out of 5" in trust
    assert '<rect x="0" y="0" width="30" height="12"' in trust
    assert "style=" not in page
    assert "children&#x27;s questionnaire, version 1" in page
    assert "children&#x27;s questionnaire, version 2" in page


def test_a_question_answered_fewer_than_5_times_shows_no_figures(known, world, client_for):
    found = results.results_for(known)
    pcso = next(q for q in found.questions if q.key == "know_pcso")
    assert not pcso.pre.shown and pcso.pre.bars == [] and pcso.pre.top_two is None
    assert pcso.change is None
    section = _section(
        _text(client_for(world.users["leader"]).get(f"/cohorts/{known.pk}/results/")), "know_pcso"
    )
    assert "Not enough responses (fewer than 5)" in section
    assert "%" not in section


def test_a_round_of_fewer_than_5_children_shows_no_figures_for_anyone(world, client_for):
    cohort = cohort_ending_soon(world)
    run_round(cohort, Phase.PRE, faces("trust_police", 5, 5, 4, 1))
    run_round(cohort, Phase.POST, faces("trust_police", 5, 5, 4, 4, 5, 5))
    found = results.results_for(cohort)
    trust = next(q for q in found.questions if q.key == "trust_police")
    assert not found.shown[Phase.PRE] and found.shown[Phase.POST]
    assert trust.pre.bars == [] and trust.change is None
    assert trust.post.top_two == 100
    for role in ("coordinator", "national"):
        page = _text(client_for(world.users[role]).get(f"/cohorts/{cohort.pk}/results/"))
        section = _section(page, "trust_police")
        assert "Before:</strong> Not enough responses (fewer than 5)" in section
        assert "Before (n =" not in section and "After (n = 6)" in section
        assert "+" not in section.split("After (n = 6)")[0]


def test_benchmark_is_shown_beside_trust_with_its_label(known, world, client_for):
    page = _text(client_for(world.users["funder"]).get(f"/cohorts/{known.pk}/results/"))
    trust = _section(page, "trust_police")
    assert (
        "National benchmark: 75% of 10-year-olds had a positive opinion of the police "
        "(Crime Survey for England and Wales, 2012/13)."
    ) in trust
    assert "not a like-for-like comparison" in trust
    assert page.count("National benchmark") == 1
    assert "National benchmark" not in _section(page, "non_emergency_number")


def test_no_round_yet(world, client_for):
    page = _text(client_for(world.users["teacher"]).get(f"/cohorts/{world.cohort.pk}/results/"))
    assert "No survey round has been counted here yet." in page


# Feedback ------------------------------------------------------------------------------------
@pytest.fixture
def with_feedback(world):
    cohort = cohort_ending_soon(world)
    guardian_in(cohort, "Jo Quill", child_name=("Zed", "Quill"))
    staff = teachers(world, 5)
    for i, teacher in enumerate(staff):
        teacher_feedback(
            teacher,
            cohort,
            {
                "behaviour_improved": [5, 4, 4, 3, 5][i],
                "what_worked": f"Zed Quill loved session {i}. Jo Quill said so too.",
            },
            may_quote=i != 4,
        )
    # A teacher's feedback whose written answers were cleared keeps its scores only.
    Feedback.objects.filter(teacher=staff[0]).update(anonymised_at=timezone.now())
    parents = [
        guardian_in(cohort, f"Parent {i}", child_name=(f"Kid{i}", "Small")) for i in range(3)
    ]
    for i, parent in enumerate(parents):
        guardian_feedback(
            parent,
            cohort,
            {"talked_at_home": i % 2, "changes_noticed": "Much more confident."},
            may_quote=True,
        )
    return cohort, staff


def test_feedback_counts_distribution_and_only_quotable_quotes(with_feedback, world, client_for):
    cohort, staff = with_feedback
    found = results.results_for(cohort)
    teacher, guardian = found.feedback
    assert (teacher.given, guardian.given) == (5, 3)
    scored = {q.key: f for q, f in teacher.questions}
    assert [(b.value, b.count) for b in scored["behaviour_improved"].bars] == [
        (1, 0),
        (2, 0),
        (3, 1),
        (4, 2),
        (5, 2),
    ]
    assert not guardian.shown  # 3 parents: their answers are not shown, only the count
    # Quotes: only those who agreed, not cleared, redacted, "A teacher"; latest first.
    assert [q["text"] for q in teacher.quotes] == [
        "[name removed] loved session 3. [name removed] said so too.",
        "[name removed] loved session 2. [name removed] said so too.",
        "[name removed] loved session 1. [name removed] said so too.",
    ]
    assert {q["attribution"] for q in teacher.quotes} == {"A teacher"}
    assert {q["attribution"] for q in guardian.quotes} == {"A parent or carer"}

    page = _text(client_for(world.users["coordinator"]).get(f"/cohorts/{cohort.pk}/results/"))
    assert "Teachers who gave feedback: 5" in page
    assert "Parents and carers who gave feedback: 3" in page
    assert "Not enough feedback to show the answers (fewer than 5)." in page
    assert "[name removed] loved session 1." in page
    assert "session 0" not in page  # cleared
    assert "session 4" not in page  # did not agree to be quoted
    for name in ("Zed", "Quill", "Jo Quill", "Parent 0", "Kid0", "Teacher teacher", "teacher0@"):
        assert name not in page
    assert "A teacher" in page and "A parent or carer" in page


def test_quotes_are_the_latest_five(world):
    cohort = cohort_ending_soon(world)
    for i, teacher in enumerate(teachers(world, 7)):
        teacher_feedback(teacher, cohort, {"what_worked": f"Quote {i}"})
    (teacher, _) = results.results_for(cohort).feedback
    assert [q["text"] for q in teacher.quotes] == [f"Quote {i}" for i in (6, 5, 4, 3, 2)]


def test_guardian_choice_distribution_from_five_parents(world):
    cohort = cohort_ending_soon(world)
    for i in range(5):
        parent = guardian_in(cohort, f"Parent {i}", child_name=(f"Kid{i}", "Small"))
        guardian_feedback(parent, cohort, {"talked_at_home": [0, 0, 1, 3, 0][i]})
    (_, guardian) = results.results_for(cohort).feedback
    talked = {q.key: f for q, f in guardian.questions}["talked_at_home"]
    assert [(b.label, b.count, b.percent) for b in talked.bars] == [
        ("Often", 3, 60),
        ("Sometimes", 1, 20),
        ("Once or twice", 0, 0),
        ("Not at all", 1, 20),
    ]


# Levels --------------------------------------------------------------------------------------
def test_unit_area_and_force_pages_add_up_their_cohorts(world, client_for):
    first = cohort_ending_soon(world, name="First")
    second = cohort_ending_soon(world, name="Second")
    run_round(first, Phase.PRE, faces("trust_police", 1, 2, 3, 1, 2))
    run_round(second, Phase.PRE, faces("trust_police", 4, 5, 5, 4, 5))
    run_round(world.other_cohort, Phase.PRE, faces("trust_police", 1, 1, 1, 1, 1))
    for obj in (world.unit, world.area, world.force):
        found = results.results_for(obj)
        trust = next(q for q in found.questions if q.key == "trust_police")
        assert found.n[Phase.PRE] == 10
        assert [b.count for b in trust.pre.bars] == [2, 2, 1, 2, 3]
        assert found.cohorts[Phase.PRE] == 2
    coordinator = client_for(world.users["coordinator"])
    for url in (
        f"/units/{world.unit.pk}/results/",
        f"/areas/{world.area.pk}/results/",
        f"/surveys/forces/{world.force.pk}/results/",
    ):
        assert "Before (n = 10)" in _text(coordinator.get(url))


def test_aggregate_roles_see_fewer_than_5_feedback_givers_as_fewer_than_5(
    with_feedback, world, client_for
):
    cohort, _ = with_feedback
    page = _text(client_for(world.users["funder"]).get(f"/cohorts/{cohort.pk}/results/"))
    assert "Parents and carers who gave feedback: fewer than 5" in page
    assert "Teachers who gave feedback: 5" in page


def test_rounds_on_two_versions_with_the_same_keys_combine_in_one_distribution(world):
    first = cohort_ending_soon(world, name="First")
    second = cohort_ending_soon(world, name="Second")
    run_round(first, Phase.PRE, faces("trust_police", 1, 2, 3, 1, 2))
    publish_child_version({"trust_police": NEW_TRUST_TEXT})
    run_round(second, Phase.PRE, faces("trust_police", 4, 5, 5, 4, 5))
    found = results.results_for(world.unit)
    trust = next(q for q in found.questions if q.key == "trust_police")
    assert trust.text == NEW_TRUST_TEXT
    assert [b.count for b in trust.pre.bars] == [2, 2, 1, 2, 3]
    assert found.versions[Phase.PRE] == [
        "Mini Police children's questionnaire, version 1",
        "Mini Police children's questionnaire, version 2",
    ]


def test_quotes_never_show_a_name_of_a_child_who_joined_later_or_of_a_sibling(world, client_for):
    """A quote is redacted when it is saved, with the names of the cohort's children and
    parents then. A child who joins the cohort afterwards, or a brother in another cohort (he
    shares a parent with a child in this one), is named in it all the same: the results
    page and the API redact quotes again with the names known now."""
    cohort = cohort_ending_soon(world)
    mum = guardian_in(cohort, "Kate Stone", child_name=("Amy", "Stone"))
    brother = people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Tobias", last_name="Stone", year_group=6
    )
    people.link_guardian(acting_user=None, child=brother, guardian=mum)
    (teacher,) = teachers(world, 1)
    teacher_feedback(
        teacher,
        cohort,
        {"what_worked": "amy's brother Tobias came to watch. RUBY-MAE, who joined late, shone."},
    )
    people.add_child_to_cohort(
        acting_user=None, cohort=cohort, first_name="Ruby-Mae", last_name="Penn", year_group=5
    )

    coordinator = client_for(world.users["coordinator"])
    page = _text(coordinator.get(f"/cohorts/{cohort.pk}/results/"))
    assert "came to watch" in page
    token = create_api_token(acting_user=None, user=world.users["coordinator"], name="t")[1]
    api = str(ApiClient(token).get("/impact/results", {"cohort": cohort.pk}).json())
    assert "came to watch" in api
    for shown in (page, api, _text(coordinator.get(f"/units/{world.unit.pk}/results/"))):
        for name in ("amy", "Tobias", "RUBY", "MAE"):
            assert name not in shown


def test_a_hidden_small_round_cannot_be_found_by_subtracting_cohorts_from_their_unit(
    world, client_for
):
    """Three children answered in one cohort: its page shows no figures. Had the unit's page
    counted them, the unit's figures less the other cohort's page would give their answers.
    A round of fewer than 5 is counted on no page: not its unit's, area's, force's nor the
    programme formats'."""
    small = cohort_ending_soon(world, name="Small")
    big = cohort_ending_soon(world, name="Big")
    run_round(small, Phase.PRE, faces("trust_police", 1, 1, 1))
    run_round(big, Phase.PRE, faces("trust_police", 4, 4, 5, 5, 5))
    coordinator = client_for(world.users["coordinator"])
    assert "Before (n = 5)" in _text(coordinator.get(f"/cohorts/{big.pk}/results/"))
    for obj in (world.unit, world.area, world.force):
        found = results.results_for(obj)
        trust = next(q for q in found.questions if q.key == "trust_police")
        assert found.n[Phase.PRE] == 5
        assert [b.count for b in trust.pre.bars] == [0, 0, 0, 2, 3]
        assert found.cohorts[Phase.PRE] == 1
    for url in (
        f"/units/{world.unit.pk}/results/",
        f"/areas/{world.area.pk}/results/",
        f"/surveys/forces/{world.force.pk}/results/",
    ):
        page = _text(coordinator.get(url))
        assert "Before (n = 5)" in page
        assert "not counted here" in page
    (column,) = results.format_comparison(world.force)["columns"]
    assert column.n[Phase.PRE] == 5
