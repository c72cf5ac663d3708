"""The impact app in Welsh: pages asked for with Accept-Language cy show Welsh, from the
children's classroom mode to the results (English stays the default)."""

import html
import re

import pytest

from minipolice.impact.models import Phase, SurveyRound
from minipolice.impact.tests.classroom_helpers import start
from minipolice.impact.tests.helpers import cohort_ending_soon, faces, run_round

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def _text(response) -> str:
    """The page's visible text, tags and extra spaces removed."""
    assert response.status_code == 200
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


def test_the_classroom_speaks_welsh_to_the_children(world, leader):
    start(leader, world)
    survey_round = SurveyRound.objects.get()
    response = leader.get(f"/surveys/rounds/{survey_round.pk}/classroom/", **WELSH)
    page = response.content.decode()
    text = _text(response)
    assert '<html lang="cy"' in page
    for welsh in ("Tapia wyneb", "Dw i wedi gorffen", "Pasia’r llechen i’r person nesaf.",
                  "Ie, llawer", "Na, dim o gwbl", "Darllen yn uchel", "Dechrau"):  # fmt: skip
        assert welsh in text, welsh
    # The tablet's script takes its words from the page.
    assert 'data-progress-words="Cwestiwn {number} o {total}"' in page
    for english in ("Tap a face", "I have finished", "Pass the tablet", "Yes, a lot", "Thank you"):
        assert english not in text, english


def test_the_classroom_is_still_english_by_default(world, leader):
    start(leader, world)
    survey_round = SurveyRound.objects.get()
    page = leader.get(f"/surveys/rounds/{survey_round.pk}/classroom/").content.decode()
    assert '<html lang="en-GB"' in page and "Tap a face" in page
    assert 'data-progress-words="Question {number} of {total}"' in page


def test_the_leave_page_and_its_message_are_in_welsh(world, leader):
    start(leader, world)
    survey_round = SurveyRound.objects.get()
    url = f"/surveys/rounds/{survey_round.pk}/classroom/leave/"
    text = _text(leader.get(url, **WELSH))
    assert "Gadael modd dosbarth" in text and "Oedi’r rownd a gadael" in text
    assert "Ar ôl 5 cyfrinair anghywir arall, cewch eich allgofnodi." in text
    response = leader.post(url, {"password": "wrong", "action": "pause"}, **WELSH)
    assert "Nid yw’r cyfrinair yn gywir" in _text(response)


def test_the_cohorts_surveys_page_is_in_welsh(world, leader):
    text = _text(leader.get(f"/cohorts/{world.cohort.pk}/surveys/", **WELSH))
    for welsh in ("Arolygon y plant", "Cyn (dechrau’r rhaglen)", "Heb ddechrau",
                  "Dechrau modd dosbarth", "Rhoi cyfrifon papur"):  # fmt: skip
        assert welsh in text, welsh
    for english in ("Children’s surveys", "Not started", "Start classroom mode", "Status"):
        assert english not in text, english


def test_results_are_in_welsh(world, client_for):
    cohort = cohort_ending_soon(world)
    run_round(cohort, Phase.PRE, faces("trust_police", 1, 2, 3, 4, 5))
    run_round(cohort, Phase.POST, faces("trust_police", 3, 4, 5, 5, 5))
    text = _text(client_for(world.users["leader"]).get(f"/cohorts/{cohort.pk}/results/", **WELSH))
    assert f"Canlyniadau’r arolwg: {cohort.name}" in text
    assert "40% → 80% (+40 pwynt), n = 5 cyn, 5 ar ôl" in text
    assert "4: Ie, ychydig" in text and "Cymedr: 3.0 allan o 5" in text
    assert "Meincnod cenedlaethol: roedd gan 75% o blant 10 oed" in text
    assert "Holiadur y plant (cyn ac ar ôl), fersiwn 1" not in text  # the name is data
    for english in ("What changed", "Before → after", "points", "Mean:", "National benchmark"):
        assert english not in text, english


def test_the_questionnaire_library_is_in_welsh(world, client_for):
    text = _text(client_for(world.users["coordinator"]).get("/surveys/questionnaires/", **WELSH))
    assert "Holiaduron" in text and "Llyfrgell genedlaethol" in text
    assert "Holiadur y plant (cyn ac ar ôl)" in text  # the kind of questionnaire
    assert "National library" not in text
