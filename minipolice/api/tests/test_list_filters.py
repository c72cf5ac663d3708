"""Every filter of every list: the query parameters pick the rows they name, alone and together.

The data: the world's force with a second area, school, unit and cohorts, children who left or
belong to two cohorts at once, sessions, community actions, consents and tokens. Each case is a
list, its query parameters, and the rows a coordinator of the force should get back.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from minipolice.api.services import create_api_token, revoke_api_token
from minipolice.community.services import record_action
from minipolice.consent.services import record_consent
from minipolice.delivery.services import cancel_session
from minipolice.delivery.tests.helpers import session_on
from minipolice.events.tests.helpers import make_event
from minipolice.organisations import services as org
from minipolice.people import services as people

DAY = datetime.timedelta(days=1)


@pytest.fixture
def data(world):
    today = timezone.localdate()
    east = org.create_area(acting_user=None, force=world.force, name="East")
    brookside = org.create_school(
        acting_user=None,
        area=east,
        name="Brookside Primary",
        urn="654321",
        town="Brookton",
        postcode="BR1 2AB",
    )
    riverside = org.create_unit(
        acting_user=None,
        school=brookside,
        name="Riverside Mini Police",
        status="trial",
        status_since=today - 50 * DAY,
    )
    year_6 = org.create_cohort(
        acting_user=None,
        unit=riverside,
        name="Year 6",
        start_date=today - 10 * DAY,
        end_date=today + 100 * DAY,
    )
    next_year = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Next year",
        start_date=today + 250 * DAY,
        end_date=today + 400 * DAY,
    )

    def child(cohort, first, last, year_group):
        return people.add_child_to_cohort(
            acting_user=None,
            cohort=cohort,
            first_name=first,
            last_name=last,
            year_group=year_group,
            joined=cohort.start_date,
        )

    grace = child(year_6, "Grace", "Hopper", 6)
    alan = child(world.cohort, "Alan", "Turing", 5)
    left = people.leave_cohort(acting_user=None, enrolment=alan.enrolments.get())
    mary = child(world.cohort, "Mary", "Both", 5)  # in two units' cohorts at once
    people.enrol_child(acting_user=None, child=mary, cohort=year_6, joined=year_6.start_date)
    charles = people.create_and_link_guardian(
        acting_user=None, child=grace, name="Charles Hopper", email="ch@example.com"
    )

    planned = session_on(world.cohort, today)
    cancelled = session_on(year_6, today - 5 * DAY)
    cancel_session(acting_user=None, session=cancelled, reason="Snow")
    later = session_on(world.cohort, today + 10 * DAY)

    litter = record_action(
        acting_user=None,
        unit=world.unit,
        kind="litter_pick",
        date=today - 3 * DAY,
        place="The park",
    )
    leaflets = record_action(
        acting_user=None,
        unit=riverside,
        kind="leaflet_drop",
        date=today - 20 * DAY,
        place="Brook Street",
    )

    def consent(child, kind, **extra):
        return record_consent(
            acting_user=None,
            child=child,
            kind=kind,
            status="granted",
            method="paper",
            given_by_name="A parent",
            **extra,
        )

    ada_joins = consent(world.child, "participation")
    ada_photos = consent(world.child, "media", media_uses=["internal"])
    grace_joins = consent(grace, "participation")

    coordinator = world.users["coordinator"]
    old_token, _ = create_api_token(acting_user=None, user=coordinator, name="old")
    revoke_api_token(acting_user=None, token=old_token)
    token, raw = create_api_token(acting_user=None, user=coordinator, name="in use")
    return SimpleNamespace(
        today=today,
        raw=raw,
        east=east,
        brookside=brookside,
        riverside=riverside,
        year_6=year_6,
        next_year=next_year,
        grace=grace,
        alan=alan,
        alan_left=left,
        mary=mary,
        charles=charles,
        planned=planned,
        cancelled=cancelled,
        later=later,
        litter=litter,
        leaflets=leaflets,
        ada_joins=ada_joins,
        ada_photos=ada_photos,
        grace_joins=grace_joins,
        old_token=old_token,
        token=token,
    )


@pytest.fixture
def api(data):
    from minipolice.api.tests.conftest import ApiClient

    return ApiClient(data.raw)


def _enrolment(child, cohort):
    return child.enrolments.get(cohort=cohort).pk


def _day(d, days=0):
    return (d.today + days * DAY).isoformat()


# (list, query parameters, the expected rows) — `w` is the world, `d` the data above.
CASES = {
    "areas?force": ("/areas", lambda w, d: {"force": w.force.pk}, lambda w, d: {w.area, d.east}),
    "areas?force=other": ("/areas", lambda w, d: {"force": w.other_force.pk}, lambda w, d: set()),
    "areas?q": ("/areas", lambda w, d: {"q": "eas"}, lambda w, d: {d.east}),
    "areas?q=blank": ("/areas", lambda w, d: {"q": ""}, lambda w, d: {w.area, d.east}),
    "schools?force": (
        "/schools",
        lambda w, d: {"force": w.force.pk},
        lambda w, d: {w.school, d.brookside},
    ),
    "schools?area": ("/schools", lambda w, d: {"area": d.east.pk}, lambda w, d: {d.brookside}),
    "schools?urn": ("/schools", lambda w, d: {"urn": "654321"}, lambda w, d: {d.brookside}),
    "schools?urn=blank": (
        "/schools",
        lambda w, d: {"urn": ""},
        lambda w, d: {w.school, d.brookside},
    ),
    "schools?q=name": ("/schools", lambda w, d: {"q": "hilltop"}, lambda w, d: {w.school}),
    "schools?q=town": ("/schools", lambda w, d: {"q": "brookton"}, lambda w, d: {d.brookside}),
    "schools?q=postcode": ("/schools", lambda w, d: {"q": "br1"}, lambda w, d: {d.brookside}),
    "schools?area&q": (
        "/schools",
        lambda w, d: {"area": w.area.pk, "q": "brook"},
        lambda w, d: set(),
    ),
    "units?force": (
        "/units",
        lambda w, d: {"force": w.force.pk},
        lambda w, d: {w.unit, d.riverside},
    ),
    "units?area": ("/units", lambda w, d: {"area": d.east.pk}, lambda w, d: {d.riverside}),
    "units?school": ("/units", lambda w, d: {"school": w.school.pk}, lambda w, d: {w.unit}),
    "units?status": ("/units", lambda w, d: {"status": "trial"}, lambda w, d: {d.riverside}),
    "units?q=unit": ("/units", lambda w, d: {"q": "riverside"}, lambda w, d: {d.riverside}),
    "units?q=school": ("/units", lambda w, d: {"q": "hilltop primary"}, lambda w, d: {w.unit}),
    "units?status&school": (
        "/units",
        lambda w, d: {"status": "active", "school": d.brookside.pk},
        lambda w, d: set(),
    ),
    "cohorts?force": (
        "/cohorts",
        lambda w, d: {"force": w.force.pk},
        lambda w, d: {w.cohort, d.year_6, d.next_year},
    ),
    "cohorts?school": (
        "/cohorts",
        lambda w, d: {"school": w.school.pk},
        lambda w, d: {w.cohort, d.next_year},
    ),
    "cohorts?unit": ("/cohorts", lambda w, d: {"unit": d.riverside.pk}, lambda w, d: {d.year_6}),
    "cohorts?running_on=today": (
        "/cohorts",
        lambda w, d: {"running_on": _day(d)},
        lambda w, d: {w.cohort, d.year_6},
    ),
    "cohorts?running_on=later": (
        "/cohorts",
        lambda w, d: {"running_on": _day(d, 300)},
        lambda w, d: {d.next_year},
    ),
    "cohorts?running_on&unit": (
        "/cohorts",
        lambda w, d: {"running_on": _day(d), "unit": w.unit.pk},
        lambda w, d: {w.cohort},
    ),
    "children?cohort": (
        "/children",
        lambda w, d: {"cohort": w.cohort.pk},
        lambda w, d: {w.child, d.mary},  # Alan left it
    ),
    "children?unit": (
        "/children",
        lambda w, d: {"unit": d.riverside.pk},
        lambda w, d: {d.grace, d.mary},
    ),
    "children?cohort&unit=of_another_cohort": (
        "/children",
        lambda w, d: {"cohort": w.cohort.pk, "unit": d.riverside.pk},
        lambda w, d: {d.mary},
    ),
    "children?year_group": ("/children", lambda w, d: {"year_group": 6}, lambda w, d: {d.grace}),
    "children?q=first": ("/children", lambda w, d: {"q": "GRA"}, lambda w, d: {d.grace}),
    "children?q=last": ("/children", lambda w, d: {"q": "turing"}, lambda w, d: {d.alan}),
    "children?q&year_group": (
        "/children",
        lambda w, d: {"q": "a", "year_group": 5},
        lambda w, d: {w.child, d.alan, d.mary},
    ),
    "guardians?child": (
        "/guardians",
        lambda w, d: {"child": d.grace.pk},
        lambda w, d: {d.charles},
    ),
    "guardians?q=name": ("/guardians", lambda w, d: {"q": "lovelace"}, lambda w, d: {w.guardian}),
    "guardians?q=email": ("/guardians", lambda w, d: {"q": "ch@"}, lambda w, d: {d.charles}),
    "guardians?child&q": (
        "/guardians",
        lambda w, d: {"child": w.child.pk, "q": "hopper"},
        lambda w, d: set(),
    ),
}

# Lists whose rows are not named objects of the world: compared by id.
ID_CASES = {
    "enrolments?child": (
        "/enrolments",
        lambda w, d: {"child": d.mary.pk},
        lambda w, d: {_enrolment(d.mary, w.cohort), _enrolment(d.mary, d.year_6)},
    ),
    "enrolments?cohort": (
        "/enrolments",
        lambda w, d: {"cohort": d.year_6.pk},
        lambda w, d: {_enrolment(d.grace, d.year_6), _enrolment(d.mary, d.year_6)},
    ),
    "enrolments?cohort&current=false": (
        "/enrolments",
        lambda w, d: {"cohort": w.cohort.pk, "current": "false"},
        lambda w, d: {d.alan_left.pk},
    ),
    "enrolments?cohort&current=true": (
        "/enrolments",
        lambda w, d: {"cohort": w.cohort.pk, "current": "true"},
        lambda w, d: {_enrolment(w.child, w.cohort), _enrolment(d.mary, w.cohort)},
    ),
    "consents?child": (
        "/consents",
        lambda w, d: {"child": w.child.pk},
        lambda w, d: {d.ada_joins.pk, d.ada_photos.pk},
    ),
    "consents?kind": (
        "/consents",
        lambda w, d: {"kind": "participation"},
        lambda w, d: {d.ada_joins.pk, d.grace_joins.pk},
    ),
    "consents?child&kind": (
        "/consents",
        lambda w, d: {"child": w.child.pk, "kind": "media"},
        lambda w, d: {d.ada_photos.pk},
    ),
    "sessions?cohort": (
        "/sessions",
        lambda w, d: {"cohort": w.cohort.pk},
        lambda w, d: {d.planned.pk, d.later.pk},
    ),
    "sessions?unit": (
        "/sessions",
        lambda w, d: {"unit": d.riverside.pk},
        lambda w, d: {d.cancelled.pk},
    ),
    "sessions?status": (
        "/sessions",
        lambda w, d: {"status": "cancelled"},
        lambda w, d: {d.cancelled.pk},
    ),
    "sessions?from": (
        "/sessions",
        lambda w, d: {"from": _day(d)},
        lambda w, d: {d.planned.pk, d.later.pk},
    ),
    "sessions?to": ("/sessions", lambda w, d: {"to": _day(d, -1)}, lambda w, d: {d.cancelled.pk}),
    "sessions?from&to": (
        "/sessions",
        lambda w, d: {"from": _day(d, -5), "to": _day(d)},
        lambda w, d: {d.planned.pk, d.cancelled.pk},
    ),
    "community-actions?unit": (
        "/community-actions",
        lambda w, d: {"unit": w.unit.pk},
        lambda w, d: {d.litter.pk},
    ),
    "community-actions?kind": (
        "/community-actions",
        lambda w, d: {"kind": "leaflet_drop"},
        lambda w, d: {d.leaflets.pk},
    ),
    "community-actions?from": (
        "/community-actions",
        lambda w, d: {"from": _day(d, -10)},
        lambda w, d: {d.litter.pk},
    ),
    "community-actions?to": (
        "/community-actions",
        lambda w, d: {"to": _day(d, -10)},
        lambda w, d: {d.leaflets.pk},
    ),
    "tokens?active=true": (
        "/tokens",
        lambda w, d: {"active": "true"},
        lambda w, d: {d.token.pk},
    ),
    "tokens?active=false": (
        "/tokens",
        lambda w, d: {"active": "false"},
        lambda w, d: {d.old_token.pk},
    ),
}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_filter_picks_the_rows_it_names(case, world, data, api):
    path, params, expected = CASES[case]
    assert _ids(api.get(path, params(world, data))) == {obj.pk for obj in expected(world, data)}


@pytest.mark.parametrize("case", sorted(ID_CASES))
def test_a_filter_picks_the_records_it_names(case, world, data, api):
    path, params, expected = ID_CASES[case]
    assert _ids(api.get(path, params(world, data))) == expected(world, data)


@pytest.mark.parametrize(
    "path", ["/areas", "/schools", "/units", "/cohorts", "/children", "/guardians", "/sessions"]
)
def test_filters_and_pages_go_together(world, data, api, path):
    everything = api.get(path, {"limit": 100}).json()
    first = api.get(path, {"limit": 1}).json()
    second = api.get(path, {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == everything["count"] >= 2
    assert first["items"] + second["items"] == everything["items"][:2]


def test_a_filter_still_keeps_to_the_users_scope(world, data, api_as):
    leader = api_as(world.users["leader"])
    assert _ids(leader.get("/children", {"q": "hopper"})) == set()  # Grace is not theirs
    assert _ids(leader.get("/children", {"year_group": 5})) == {world.child.pk, data.mary.pk}
    assert _ids(leader.get("/units", {"force": world.force.pk})) == {world.unit.pk}
    outsider = api_as(world.users["outsider"])
    assert _ids(outsider.get("/cohorts", {"force": world.force.pk})) == set()


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/children", {"year_group": 4}, "year_group"),
        ("/units", {"status": "asleep"}, "status"),
        ("/sessions", {"from": "01/09/2025"}, "from"),
        ("/enrolments", {"current": "perhaps"}, "current"),
        ("/schools", {"urn": "1234567"}, "urn"),
        ("/guardians", {"child": 0}, "child"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_its_parameter(world, api_as, path, params, field):
    response = api_as(world.users["coordinator"]).get(path, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_events_are_filtered_by_date(world, api_as):
    soon = make_event(world, days=20, title="Summer day")
    later = make_event(world, days=60, title="Autumn day")
    api = api_as(world.users["coordinator"])
    today = timezone.localdate()

    def listed(params):
        return _ids(api.get("/events", params))

    assert listed({}) == {soon.pk, later.pk}
    assert listed({"from": (today + 30 * DAY).isoformat()}) == {later.pk}
    assert listed({"to": (today + 30 * DAY).isoformat()}) == {soon.pk}
    assert listed(
        {"from": (today + 20 * DAY).isoformat(), "to": (today + 20 * DAY).isoformat()}
    ) == {soon.pk}
