"""The lists whose cost `make bench` found growing with the force (issue #15) have no GROUP BY
in their own statements: a page of 50 sessions or events no longer aggregates every mark or
place of the force to count or show them. (Their counts of marks and places are
correlated subqueries, grouped inside, for the rows shown.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PATHS = ["/sessions", "/events"]


def top_level(sql: str) -> str:
    """The statement without anything in brackets (subqueries, function arguments)."""
    out, depth = [], 0
    for char in sql:
        depth += char == "("
        if depth == 0:
            out.append(char)
        depth -= char == ")"
    return "".join(out)


@pytest.mark.parametrize("path", PATHS)
def test_list_statements_have_no_group_by_of_their_own(path, world, api_as):
    api = api_as(world.users["coordinator"])
    api.get(path)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    grouped = [q["sql"] for q in queries if "GROUP BY" in top_level(q["sql"])]
    assert not grouped, grouped
