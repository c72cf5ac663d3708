"""The impact app's tests survey cohorts that follow the national 8-week programme, so their
rounds ask its knowledge questions (a cohort with no plan is asked none)."""

import pytest

from minipolice.organisations import services as org
from minipolice.programme.models import ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE


def standard_programme():
    return ProgrammeTemplate.objects.filter(force=None, name=DEFAULT_TEMPLATE).first()


@pytest.fixture(autouse=True)
def cohort_follows_the_standard_programme(request):
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    template = standard_programme()
    if template is not None and world.cohort.programme_template_id is None:
        org.update_cohort(acting_user=None, cohort=world.cohort, programme_template=template)
