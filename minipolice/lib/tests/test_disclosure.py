"""The rounding rule for counts of children: bands, and sums of shown counts."""

import itertools

import pytest

from minipolice.lib.disclosure import rounded_children


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, None), (4, None), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (None, None)],
)
def test_counts_round_to_the_nearest_5_and_under_5_are_hidden(count, shown):
    assert rounded_children(count) == shown


def test_no_difference_of_shown_counts_is_a_hidden_count():
    shown = {rounded_children(n) for n in range(200)} - {None}
    assert {abs(a - b) for a, b in itertools.combinations(shown, 2)}.isdisjoint(range(1, 5))
