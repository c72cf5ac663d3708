"""Programme formats side by side: a force's copy of a national template counts with it."""

import re

from minipolice.impact import results
from minipolice.impact.models import Phase
from minipolice.impact.tests.helpers import cohort_ending_soon, faces, run_round
from minipolice.programme import services as programme
from minipolice.programme.models import Module, ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE

YEAR_LONG = "Year-long unit"


def _formats(world):
    national = ProgrammeTemplate.objects.get(force__isnull=True, name=DEFAULT_TEMPLATE)
    copy = programme.copy_template(acting_user=None, template=national, force=world.force)
    year_long = programme.create_template(
        acting_user=None,
        force=world.force,
        name=YEAR_LONG,
        modules=list(Module.objects.filter(force__isnull=True).order_by("pk")[:12]),
    )
    return national, copy, year_long


def test_formats_group_an_8_week_template_with_its_copy_beside_a_year_long_one(world, client_for):
    national, copy, year_long = _formats(world)
    # Five children on the national template and five on the force's copy: ten together.
    short_a = cohort_ending_soon(world, name="Short A", template=national)
    short_b = cohort_ending_soon(world, name="Short B", template=copy)
    long_ = cohort_ending_soon(world, name="Long", template=year_long)
    run_round(short_a, Phase.PRE, faces("trust_police", 1, 2, 4, 1, 2))
    run_round(short_b, Phase.PRE, faces("trust_police", 3, 3, 5, 3, 3))
    run_round(short_a, Phase.POST, faces("trust_police", 4, 4, 5, 4, 4))
    run_round(short_b, Phase.POST, faces("trust_police", 5, 5, 2, 2, 2))
    run_round(long_, Phase.PRE, faces("trust_police", 1, 1, 2, 3, 4))
    run_round(long_, Phase.POST, faces("trust_police", 3, 4, 4, 5, 5))
    # Another force's cohort on the national template is not counted.
    run_round(world.other_cohort, Phase.PRE, faces("trust_police", 1, 1, 1, 1, 1))

    comparison = results.format_comparison(world.force)
    columns = comparison["columns"]
    assert [c.name for c in columns] == [DEFAULT_TEMPLATE, YEAR_LONG]
    assert [(c.cohorts[Phase.PRE], c.cohorts[Phase.POST]) for c in columns] == [(2, 2), (1, 1)]
    assert [(c.n[Phase.PRE], c.n[Phase.POST]) for c in columns] == [(10, 10), (5, 5)]
    trust = next(r for r in comparison["rows"] if r.key == "trust_police")
    # 8 weeks: 2 of 10 in the top two before (20%), 7 of 10 after (70%); year-long 1 of 5, 4 of 5.
    assert trust.cells == [
        {"pre": 20, "post": 70, "change": 50},
        {"pre": 20, "post": 80, "change": 60},
    ]

    page = client_for(world.users["funder"]).get(f"/surveys/forces/{world.force.pk}/formats/")
    text = re.sub(r"\s+", " ", page.content.decode())
    assert f'<th scope="col" class="govuk-table__header">{DEFAULT_TEMPLATE}</th>' in text
    assert f'<th scope="col" class="govuk-table__header">{YEAR_LONG}</th>' in text
    assert "20% → 70% (+50 points)" in text
    assert "20% → 80% (+60 points)" in text


def test_a_round_of_fewer_than_5_is_not_counted_in_its_format(world, client_for):
    """Counted, its format's figures would be its answers (the page of its cohort shows
    none): a cohort's round of fewer than 5 is left out of every aggregate."""
    national, _, year_long = _formats(world)
    run_round(
        cohort_ending_soon(world, name="A", template=national),
        Phase.PRE,
        faces("trust_police", 5, 5),
    )
    run_round(
        cohort_ending_soon(world, name="B", template=year_long),
        Phase.PRE,
        faces("trust_police", 5, 5, 4, 4, 1),
    )
    comparison = results.format_comparison(world.force)
    assert [c.name for c in comparison["columns"]] == [YEAR_LONG]
    trust = next(r for r in comparison["rows"] if r.key == "trust_police")
    assert trust.cells == [{"pre": 80, "post": None, "change": None}]
    text = re.sub(
        r"\s+",
        " ",
        client_for(world.users["national"])
        .get(f"/surveys/forces/{world.force.pk}/formats/")
        .content.decode(),
    )
    assert "80% → after: not enough" in text
    assert DEFAULT_TEMPLATE not in text
