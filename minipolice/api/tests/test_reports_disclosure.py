"""reports/summary and the home page figures give no hidden count of children away.

Moving the API's date window by one day, or setting a force's figure beside the national one
on the home page, must not let a funder or national viewer subtract their way to a count that
is shown as hidden (null).
"""

import datetime
import itertools
import re

import pytest
from django.utils import timezone

from minipolice.people import services as people
from minipolice.people.models import Enrolment
from minipolice.reports import selectors as reports


def _add(cohort, n, joined, first):
    return [
        people.add_child_to_cohort(
            acting_user=None,
            cohort=cohort,
            first_name=f"{first}{i}",
            last_name="Figures",
            year_group=5,
            joined=joined,
        )
        for i in range(n)
    ]


@pytest.fixture
def leavers(world):
    """Testshire: Ada and 9 others joined today, 3 more joined earlier and left yesterday.
    So yesterday alone has 3 (hidden), today alone 10, the two days together 13."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    _add(world.cohort, 9, today, "Stay")
    for child in _add(world.cohort, 3, today - datetime.timedelta(days=10), "Gone"):
        enrolment = Enrolment.objects.get(child=child, cohort=world.cohort)
        people.leave_cohort(acting_user=None, enrolment=enrolment, left=yesterday)
    return today


def windows(today):
    day = datetime.timedelta(days=1)
    return [
        (today, today),
        (today - day, today - day),
        (today - day, today),
        (today - 2 * day, today - day),
        (today - 2 * day, today),
        (today, today + day),
    ]


def home_figure(client) -> str:
    body = client.get("/").content.decode()
    found = re.search(
        r"Children in a current cohort</dt>\s*<dd[^>]*>([^<]*)</dd>", body, flags=re.S
    )
    assert found, "the home page shows children in a current cohort"
    return found.group(1).strip()


@pytest.mark.parametrize("persona", ["funder", "national"])
def test_no_hidden_count_is_the_difference_of_shown_counts_across_windows_and_pages(
    world, api_as, client_for, leavers, persona
):
    user = world.users[persona]
    api = api_as(user)
    forces = [world.force] if persona == "funder" else [world.force, world.other_force]
    shown, hidden, exact = [], [], []
    for force, (start, end) in itertools.product(forces, windows(leavers)):
        response = api.get(
            "/reports/summary",
            {"force": force.pk, "from": start.isoformat(), "to": end.isoformat()},
        )
        assert response.status_code == 200
        figure = response.json()["children_enrolled"]
        true = reports.children_enrolled(force, start, end)
        if figure is None:
            hidden.append(true)
        else:
            shown.append(figure)
            exact.append((figure, true))
    home = home_figure(client_for(user))
    if home.isdigit():
        shown.append(int(home))
    assert 3 in hidden  # yesterday alone in Testshire
    if persona == "national":
        assert 1 in hidden  # Otherton today: one child

    differences = {abs(a - b) for a, b in itertools.combinations(shown, 2)}
    assert not {n for n in hidden if n} & differences
    # and each shown figure is the exact count rounded to the nearest 5
    assert all(figure == 5 * ((true + 2) // 5) for figure, true in exact), exact


def test_the_summary_says_figures_are_rounded(world, api_as, leavers):
    body = (
        api_as(world.users["funder"])
        .get(
            "/reports/summary",
            {"force": world.force.pk, "from": leavers.isoformat(), "to": leavers.isoformat()},
        )
        .json()
    )
    assert body["children_rounded_to"] == 5
    assert body["suppressed_below"] == 5
    assert body["children_enrolled"] == 10


def test_the_home_page_rounds_and_says_so(world, client_for, leavers):
    people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="One", last_name="More", year_group=5
    )
    client = client_for(world.users["funder"])
    assert home_figure(client) == "10"  # 11 in a current cohort, rounded
    assert "rounded to the nearest 5" in client.get("/").content.decode()
