"""Who reads which results: national viewers every force at every level, funders their own
force at every level, staff their own scope; out of scope is 404."""

from minipolice.impact.models import Phase
from minipolice.impact.tests.helpers import faces, run_round


def test_national_viewer_sees_both_forces_and_opens_every_level(world, client_for):
    national = client_for(world.users["national"])
    home = national.get("/surveys/results/").content.decode()
    assert world.force.name in home and world.other_force.name in home
    for url in (
        f"/surveys/forces/{world.other_force.pk}/results/",
        f"/surveys/forces/{world.other_force.pk}/formats/",
        f"/areas/{world.other_unit.school.area.pk}/results/",
        f"/units/{world.other_unit.pk}/results/",
        f"/cohorts/{world.other_cohort.pk}/results/",
    ):
        assert national.get(url).status_code == 200, url


def test_funder_sees_only_their_force(world, client_for):
    run_round(world.other_cohort, Phase.PRE, faces("trust_police", 1, 2, 3, 4, 5))
    funder = client_for(world.users["funder"])
    home = funder.get("/surveys/results/").content.decode()
    assert world.force.name in home and world.other_force.name not in home
    assert f"/surveys/forces/{world.force.pk}/results/" in home
    assert f"/areas/{world.area.pk}/results/" in home
    for url in (
        f"/surveys/forces/{world.other_force.pk}/results/",
        f"/surveys/forces/{world.other_force.pk}/formats/",
        f"/areas/{world.other_unit.school.area.pk}/results/",
        f"/units/{world.other_unit.pk}/results/",
        f"/cohorts/{world.other_cohort.pk}/results/",
    ):
        assert funder.get(url).status_code == 404, url
    assert funder.get(f"/cohorts/{world.cohort.pk}/results/").status_code == 200


def test_leader_home_lists_their_unit_and_surveyed_cohorts_only(world, client_for):
    run_round(world.cohort, Phase.PRE, faces("trust_police", 1, 2, 3, 4, 5), close=False)
    run_round(world.other_cohort, Phase.PRE, faces("trust_police", 1, 2, 3, 4, 5))
    home = client_for(world.users["leader"]).get("/surveys/results/").content.decode()
    assert f"/units/{world.unit.pk}/results/" in home
    assert f"/cohorts/{world.cohort.pk}/results/" in home
    assert f"/cohorts/{world.other_cohort.pk}/results/" not in home
    assert "/surveys/forces/" not in home and "/areas/" not in home


def test_guardian_and_signed_out_cannot_read_results(world, client, client_for):
    assert client.get(f"/cohorts/{world.cohort.pk}/results/").status_code == 302
    guardian = client_for(world.users["guardian"])
    assert guardian.get("/surveys/results/").status_code == 403
    assert guardian.get(f"/cohorts/{world.cohort.pk}/results/").status_code == 403


def test_a_bad_address_is_not_found(world, client_for):
    coordinator = client_for(world.users["coordinator"])
    assert coordinator.get("/cohorts/999999999/results/").status_code == 404
    assert coordinator.get("/surveys/forces/99999999999999999999/results/").status_code == 404
