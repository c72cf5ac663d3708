"""The impact app's tests survey cohorts that follow the national 8-week programme, so their
rounds ask its knowledge questions (a cohort with no plan is asked none)."""

import pytest

from minipolice.impact.tests.helpers import standard_programme
from minipolice.organisations import services as org


@pytest.fixture(autouse=True)
def cohort_follows_the_standard_programme(request):
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    template = standard_programme()
    if template is not None and world.cohort.programme_template_id is None:
        org.update_cohort(acting_user=None, cohort=world.cohort, programme_template=template)
