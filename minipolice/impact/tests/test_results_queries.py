"""The results pages count in SQL: the same number of queries with 1 cohort as with 10, and
with 5 responses as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minipolice.impact.models import Phase
from minipolice.impact.tests.helpers import (
    cohort_ending_soon,
    run_round,
    teacher_feedback,
    teachers,
)

ANSWERS = {"trust_police": 4, "know_pcso": 2, "non_emergency_number": 1}


def _surveyed(world, i: int, children: int, staff):
    cohort = cohort_ending_soon(world, name=f"Cohort {i}")
    run_round(
        cohort,
        Phase.PRE,
        [ANSWERS] * children,
        paper={"children": 2, "tallies": {("trust_police", 5): 2}},
    )
    run_round(cohort, Phase.POST, [ANSWERS] * children)
    for teacher in staff:
        teacher_feedback(teacher, cohort, {"behaviour_improved": 4, "what_worked": f"Good {i}"})
    return cohort


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "cohort": lambda world, cohort: f"/cohorts/{cohort.pk}/results/",
    "unit": lambda world, cohort: f"/units/{world.unit.pk}/results/",
    "area": lambda world, cohort: f"/areas/{world.area.pk}/results/",
    "force": lambda world, cohort: f"/surveys/forces/{world.force.pk}/results/",
    "formats": lambda world, cohort: f"/surveys/forces/{world.force.pk}/formats/",
    "home": lambda world, cohort: "/surveys/results/",
}
# Three for the session, the user and their scope; then the page's object; then the figures:
# nine for a results page (rounds, responses, answers, tallies, feedback given, feedback
# answers, quotes, the names of their cohorts' children to redact them again (and of the
# children's families, when there are children: not here), questions), six for the formats (the same four, template names, questions).
PINNED = {"cohort": 13, "unit": 13, "area": 13, "force": 13, "formats": 10, "home": 7}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_results_pages_do_a_fixed_number_of_queries(page, world, client_for):
    staff = teachers(world, 2)
    first = _surveyed(world, 0, 5, staff)
    client = client_for(world.users["coordinator"])
    url = PAGES[page](world, first)
    client.get(url)  # the first request after signing in saves the session
    small = _count(client, url)
    for i in range(1, 10):
        _surveyed(world, i, 6, staff)
    _surveyed(world, 10, 50, staff)
    assert _count(client, url) == small
    assert small == PINNED[page]
