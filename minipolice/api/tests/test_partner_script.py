"""An integration partner scripts a force's first two years through the API with one token.

Only the force and its coordinator exist beforehand (forces are set up by the service's
administrator). Everything else goes through /api/v1/: areas, schools, units and their status
history, cohorts, children, guardians, consents, sessions, registers, a leaflet drop, a child
moving up to Year 6, and at the end the summary a funder reads.
"""

import datetime

import pytest

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.api.services import create_api_token
from minipolice.api.tests.conftest import ApiClient
from minipolice.organisations.services import create_force

FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harvey"]


@pytest.fixture
def partner(db):
    force = create_force(acting_user=None, name="Wessex Police", short_name="wessex")
    coordinator = create_user(acting_user=None, email="lead@wessex.example", full_name="Lee Lead")
    assign_role(acting_user=None, user=coordinator, role=Role.FORCE_COORDINATOR, force=force)
    funder = create_user(acting_user=None, email="pcc@wessex.example", full_name="PCC Office")
    assign_role(acting_user=None, user=funder, role=Role.FUNDER, force=force)
    return {
        "api": ApiClient(create_api_token(acting_user=None, user=coordinator, name="MIS")[1]),
        "funder": ApiClient(create_api_token(acting_user=None, user=funder)[1]),
        "coordinator": coordinator,
    }


class Script:
    """Each step checks its answer, as a careful partner's script would."""

    def __init__(self, api):
        self.api = api

    def get(self, path, params=None):
        response = self.api.get(path, params)
        assert response.status_code == 200, (path, response.content)
        return response.json()

    def post(self, path, body, expect=201):
        response = self.api.post(path, body)
        assert response.status_code == expect, (path, body, response.content)
        return response.json()

    def put(self, path, body):
        response = self.api.client.put(
            f"/api/v1{path}",
            data=__import__("json").dumps(body),
            content_type="application/json",
            headers=self.api.headers,
        )
        assert response.status_code == 200, (path, response.content)
        return response.json()

    def new_cohort(self, unit, name, start, end):
        return self.post(
            "/cohorts",
            {"unit": unit, "name": name, "start_date": str(start), "end_date": str(end)},
        )

    def intake(self, cohort, surname, joined, count=8, media_for=range(0, 8, 2)):
        """A class list: children, a guardian each, and the consents from the paper forms.
        One child's family has not returned the participation form."""
        children = []
        for index in range(count):
            child = self.post(
                "/children",
                {
                    "cohort": cohort,
                    "first_name": FIRST_NAMES[index],
                    "last_name": f"{surname}{index}",
                    "year_group": 5,
                    "joined": str(joined),
                },
            )
            guardian = self.post(
                "/guardians",
                {
                    "child": child["id"],
                    "name": f"Parent {surname}{index}",
                    "email": f"parent.{surname.lower()}{index}@example.com",
                },
            )
            given_at = f"{joined}T16:00:00+01:00"
            if index != count - 1:
                self.post(
                    "/consents",
                    {
                        "child": child["id"],
                        "kind": "participation",
                        "status": "granted",
                        "method": "paper",
                        "given_by": guardian["id"],
                        "given_at": given_at,
                    },
                )
            if index in media_for:
                self.post(
                    "/consents",
                    {
                        "child": child["id"],
                        "kind": "media",
                        "status": "granted",
                        "method": "paper",
                        "given_by": guardian["id"],
                        "given_at": given_at,
                        "media_uses": ["internal", "force_website"],
                    },
                )
            children.append(child)
        return children

    def weekly_sessions(self, cohort, first, weeks, leader_ids, children, cancel_week=None):
        """Weekly sessions with their registers: the child without participation consent is
        marked absent (the API refuses them as present)."""
        sessions = []
        for week in range(weeks):
            session = self.post(
                "/sessions",
                {
                    "cohort": cohort,
                    "date": str(first + datetime.timedelta(weeks=week)),
                    "start_time": "14:30",
                    "minutes": 60,
                    "place": "School hall",
                },
            )
            if week == cancel_week:
                self.post(f"/sessions/{session['id']}/cancel", {"reason": "Snow day"}, expect=200)
                continue
            register = self.get(f"/sessions/{session['id']}/attendance")
            assert register["open"] and register["total"] == len(children)
            marks = [
                {"child": row["child"], "status": "present"}
                for row in register["rows"]
                if row["may_be_present"]
            ]
            done = self.put(
                f"/sessions/{session['id']}/attendance", {"marks": marks, "mark_rest_absent": True}
            )
            assert done["unmarked"] == 0 and done["absent"] == 1
            self.post(
                f"/sessions/{session['id']}/details",
                {"leaders_present": leader_ids, "notes": f"Week {week + 1}"},
                expect=200,
            )
            sessions.append(session)
        return sessions


def test_a_partner_scripts_a_forces_first_two_years(partner):
    script = Script(partner["api"])
    coordinator_id = partner["coordinator"].pk

    # The force and its structure.
    [force] = script.get("/forces")["items"]
    assert force["short_name"] == "wessex"
    area = script.post("/areas", {"force": force["id"], "name": "Somerset"})
    bridge = script.post(
        "/schools",
        {"area": area["id"], "name": "Bridge Primary", "urn": "654321", "town": "Bridgwater"},
    )
    hill = script.post("/schools", {"area": area["id"], "name": "Hill Primary", "town": "Yeovil"})
    assert (
        script.api.post(
            "/schools", {"area": area["id"], "name": "Copy", "urn": "654321"}
        ).status_code
        == 409
    )

    # Units: one starts with a trial term, the other straight away.
    bridge_unit = script.post(
        "/units",
        {
            "school": bridge["id"],
            "name": "Bridge Mini Police",
            "status_since": "2018-06-01",
            "funding_source": "Police and Crime Commissioner",
        },
    )
    script.post(
        f"/units/{bridge_unit['id']}/status",
        {"to_status": "trial", "changed_on": "2018-09-10"},
        expect=200,
    )
    script.post(
        f"/units/{bridge_unit['id']}/status",
        {"to_status": "active", "changed_on": "2019-01-07"},
        expect=200,
    )
    hill_unit = script.post(
        "/units",
        {
            "school": hill["id"],
            "name": "Hill Mini Police",
            "status": "active",
            "status_since": "2018-10-08",
        },
    )
    refused = script.api.post(f"/units/{hill_unit['id']}/status", {"to_status": "trial"})
    assert refused.status_code == 409

    # Year one: a cohort in each unit, its children, guardians and consents.
    bridge_2018 = script.new_cohort(
        bridge_unit["id"], "2018/19 Year 5", datetime.date(2018, 9, 3), datetime.date(2019, 7, 19)
    )
    hill_2018 = script.new_cohort(
        hill_unit["id"], "2018/19 Year 5", datetime.date(2018, 10, 1), datetime.date(2019, 7, 19)
    )
    bridge_children = script.intake(bridge_2018["id"], "Bridge", datetime.date(2018, 9, 5))
    hill_children = script.intake(hill_2018["id"], "Hill", datetime.date(2018, 10, 3))
    assert script.get(f"/cohorts/{bridge_2018['id']}")["children_count"] == 8
    consents = script.get("/consents", {"child": bridge_children[0]["id"]})
    assert {c["kind"] for c in consents["items"]} == {"participation", "media"}

    # Sessions and registers; a child without participation consent cannot be present.
    bridge_sessions = script.weekly_sessions(
        bridge_2018["id"],
        datetime.date(2018, 9, 12),
        8,
        [coordinator_id],
        bridge_children,
        cancel_week=3,
    )
    script.weekly_sessions(
        hill_2018["id"], datetime.date(2018, 10, 10), 6, [coordinator_id], hill_children
    )
    no_consent = bridge_children[-1]["id"]
    refused = script.api.client.put(
        f"/api/v1/sessions/{bridge_sessions[0]['id']}/attendance",
        data=f'{{"marks": [{{"child": {no_consent}, "status": "present"}}]}}',
        content_type="application/json",
        headers=script.api.headers,
    )
    assert refused.status_code == 400
    assert "cannot be marked present" in refused.json()["errors"]["marks.0"][0]

    # The leaflet drop in April 2019, with the children who took part.
    drop = script.post(
        "/community-actions",
        {
            "unit": bridge_unit["id"],
            "kind": "leaflet_drop",
            "date": "2019-04-25",
            "place": "Stockmoor",
            "partners": "Neighbourhood policing team",
            "homes_reached": 150,
            "leaflets_delivered": 150,
            "bags_collected": 3,
            "participants": [child["id"] for child in bridge_children[:6]],
        },
    )
    assert drop["homes_reached"] == 150 and drop["bags_collected"] is None
    assert sorted(drop["participants"]) == sorted(c["id"] for c in bridge_children[:6])

    # Year two: Bridge's children move up to a Year 6 cohort; a new Year 5 intake starts.
    bridge_y6 = script.new_cohort(
        bridge_unit["id"], "2019/20 Year 6", datetime.date(2019, 9, 2), datetime.date(2020, 7, 17)
    )
    for child in bridge_children[:3]:
        [old] = script.get("/enrolments", {"child": child["id"], "current": True})["items"]
        script.post(f"/enrolments/{old['id']}/leave", {"left": "2019-07-19"}, expect=200)
        script.post(
            "/enrolments", {"child": child["id"], "cohort": bridge_y6["id"], "joined": "2019-09-02"}
        )
    assert script.get(f"/cohorts/{bridge_y6['id']}")["children_count"] == 3
    bridge_2019 = script.new_cohort(
        bridge_unit["id"], "2019/20 Year 5", datetime.date(2019, 9, 2), datetime.date(2020, 7, 17)
    )
    new_children = script.intake(bridge_2019["id"], "Second", datetime.date(2019, 9, 4))
    script.weekly_sessions(
        bridge_2019["id"], datetime.date(2019, 9, 11), 4, [coordinator_id], new_children
    )
    script.post(
        f"/units/{hill_unit['id']}/status",
        {"to_status": "paused", "changed_on": "2020-03-20", "note": "School closed"},
        expect=200,
    )
    history = script.get(f"/units/{bridge_unit['id']}")["status_history"]
    assert [h["to_status"] for h in history] == ["proposed", "trial", "active"]

    # What the funder reads at the end of the two years.
    summary = partner["funder"].get(
        "/reports/summary", {"force": force["id"], "from": "2018-09-01", "to": "2020-07-31"}
    )
    assert summary.status_code == 200, summary.content
    figures = summary.json()
    assert figures["units_by_status"] == {
        "proposed": 0,
        "trial": 0,
        "active": 1,
        "paused": 1,
        "closed": 0,
    }
    assert figures["children_enrolled"] == 25  # 24, rounded to the nearest 5
    assert figures["sessions_delivered"] == 7 + 6 + 4
    assert figures["sessions_cancelled"] == 1
    assert figures["attendance_rate"] == round(7 / 8, 3)
    assert figures["volunteer_hours"] == 17.0
    assert figures["homes_reached"] == 150
    assert figures["community_actions"] == 1
    assert partner["funder"].get("/children").status_code == 403
