"""The shared helpers every app's selectors and services use: one 404 for any bad address,
and one rule for which user a write records."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from minipolice.lib.access import get_or_404
from minipolice.lib.users import signed_in_or_none
from minipolice.organisations.models import Area
from minipolice.organisations.selectors import get_area_for_user, visible_areas


def test_get_or_404_returns_the_row_in_scope(world):
    assert get_or_404(Area.objects.all(), world.area.pk) == world.area


@pytest.mark.parametrize("pk", ["abc", None, "", 2**80, -1, "1.5", [1]])
def test_get_or_404_gives_404_for_a_pk_that_is_no_key(world, pk):
    with pytest.raises(Http404):
        get_or_404(Area.objects.all(), pk)


def test_get_or_404_gives_the_same_404_for_missing_and_out_of_scope(world):
    other_area = world.other_unit.school.area
    coordinator = world.users["coordinator"]
    with pytest.raises(Http404):
        get_area_for_user(coordinator, other_area.pk)
    with pytest.raises(Http404):
        get_area_for_user(coordinator, other_area.pk + 1000)
    assert visible_areas(coordinator).filter(pk=other_area.pk).count() == 0


def test_signed_in_or_none_records_only_a_signed_in_user(world):
    user = world.users["coordinator"]
    assert signed_in_or_none(user) is user
    assert signed_in_or_none(AnonymousUser()) is None
    assert signed_in_or_none(None) is None
