"""reports/summary: aggregates for funders and national viewers; small numbers suppressed."""

import datetime

import pytest

from minipolice.community.services import record_action
from minipolice.consent.services import record_consent
from minipolice.delivery.services import add_session, record_attendance, record_session_details
from minipolice.people import services as people

PERIOD = {"from": "2000-01-01", "to": "2100-12-31"}


def summary(api, force, **period):
    return api.get("/reports/summary", {"force": force.pk, **PERIOD, **period})


@pytest.mark.parametrize("persona", ["funder", "national", "coordinator"])
def test_aggregate_readers_get_the_summary(world, api_as, persona):
    response = summary(api_as(world.users[persona]), world.force)
    assert response.status_code == 200
    assert response.json()["units_by_status"]["active"] == 1


def test_a_funder_cannot_read_another_forces_summary(world, api_as):
    assert summary(api_as(world.users["funder"]), world.other_force).status_code == 404
    assert summary(api_as(world.users["national"]), world.other_force).status_code == 200


@pytest.mark.parametrize("persona", ["leader", "teacher", "area_lead", "guardian"])
def test_roles_without_aggregates_get_403(world, api_as, persona):
    assert summary(api_as(world.users[persona]), world.force).status_code == 403


def test_the_period_must_not_end_before_it_starts(world, api_as):
    response = summary(
        api_as(world.users["funder"]), world.force, **{"from": "2020-01-02", "to": "2020-01-01"}
    )
    assert response.status_code == 400


def _enrol(world, count):
    children = [world.child]
    for index in range(count - 1):
        children.append(
            people.add_child_to_cohort(
                acting_user=None,
                cohort=world.cohort,
                first_name=f"Kid{index}",
                last_name="Test",
                year_group=5,
            )
        )
    for child in children:
        record_consent(
            acting_user=None, child=child, kind="participation", status="granted", method="paper"
        )
    return children


def _session_with_register(world, children, present):
    day = world.cohort.start_date
    session = add_session(
        acting_user=None, cohort=world.cohort, date=day, start_time=datetime.time(14), minutes=90
    )
    for index, child in enumerate(children):
        record_attendance(
            acting_user=None,
            session=session,
            child=child,
            status="present" if index < present else "absent",
        )
    record_session_details(
        acting_user=None,
        session=session,
        leaders=[world.users["leader"], world.users["coordinator"]],
        notes="",
    )
    return session


def test_cells_describing_fewer_than_five_children_are_null(world, api_as):
    children = _enrol(world, 4)
    _session_with_register(world, children, present=3)
    body = summary(api_as(world.users["funder"]), world.force).json()
    assert body["children_enrolled"] is None
    assert body["attendance_rate"] is None
    assert body["sessions_delivered"] == 1
    assert body["volunteer_hours"] == 3.0
    assert "Ada" not in str(body)


def test_figures_for_five_or_more_children_are_shown(world, api_as):
    children = _enrol(world, 5)
    _session_with_register(world, children, present=4)
    add_session(
        acting_user=None,
        cohort=world.cohort,
        date=world.cohort.start_date + datetime.timedelta(days=7),
        start_time=datetime.time(14),
        minutes=60,
    )
    record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=world.cohort.start_date,
        place="Stockmoor",
        homes_reached=150,
        participants=children,
    )
    body = summary(api_as(world.users["national"]), world.force).json()
    assert body["children_enrolled"] == 5
    assert body["attendance_rate"] == 0.8
    assert body["homes_reached"] == 150
    assert body["community_actions"] == 1
    assert body["sessions_cancelled"] == 0


def test_units_are_counted_by_their_status_on_the_last_day(world, api_as):
    day_before = world.unit.status_since - datetime.timedelta(days=1)
    body = summary(
        api_as(world.users["funder"]),
        world.force,
        **{"from": "2000-01-01", "to": day_before.isoformat()},
    ).json()
    assert body["units_by_status"] == {
        "proposed": 0,
        "trial": 0,
        "active": 0,
        "paused": 0,
        "closed": 0,
    }


def test_the_summary_counts_certificates_and_events(world, api_as):
    body = summary(api_as(world.users["funder"]), world.force).json()
    for key in ("certificates_issued", "events_held", "event_children"):
        assert key in body
    assert body["certificates_issued"] == 0
    assert body["events_held"] == 0


def national(api, **period):
    return api.get("/reports/national", {**PERIOD, **period})


def test_the_national_viewer_compares_every_force_with_the_total(world, api_as):
    children = _enrol(world, 5)
    _session_with_register(world, children, present=4)
    response = national(api_as(world.users["national"]))
    assert response.status_code == 200
    body = response.json()
    by_force = {row["force"]: row for row in body["forces"]}
    assert set(by_force) == {world.force.pk, world.other_force.pk}
    mine = by_force[world.force.pk]
    assert mine["force_name"] == world.force.name
    assert mine["units_by_status"]["active"] == 1
    assert mine["children_enrolled"] == 5
    assert mine["attendance_rate"] == 0.8
    assert mine["sessions_delivered"] == 1
    assert body["total"]["force"] is None
    assert body["total"]["sessions_delivered"] == 1
    assert body["suppressed_below"] == 5
    assert "Ada" not in str(body)


def test_small_numbers_are_null_in_the_national_comparison(world, api_as):
    children = _enrol(world, 3)
    _session_with_register(world, children, present=2)
    body = national(api_as(world.users["national"])).json()
    mine = next(row for row in body["forces"] if row["force"] == world.force.pk)
    assert mine["children_enrolled"] is None
    assert mine["attendance_rate"] is None


@pytest.mark.parametrize("persona", ["funder", "coordinator"])
def test_only_national_viewers_compare_every_force(world, api_as, persona):
    response = national(api_as(world.users[persona]))
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.parametrize("persona", ["leader", "teacher", "area_lead", "guardian"])
def test_roles_without_aggregates_get_no_national_comparison(world, api_as, persona):
    assert national(api_as(world.users[persona])).status_code == 403


def test_the_national_period_must_not_end_before_it_starts(world, api_as):
    response = national(
        api_as(world.users["national"]), **{"from": "2020-01-02", "to": "2020-01-01"}
    )
    assert response.status_code == 400
