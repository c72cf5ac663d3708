"""Persona fixtures shared by every app's tests, built through the services as a user would."""

import datetime
import logging
from dataclasses import dataclass

import pytest
from django.utils import timezone

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.organisations import services as org
from minipolice.people import services as people

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    force: object
    area: object
    school: object
    unit: object
    cohort: object
    child: object
    guardian: object
    other_force: object
    other_unit: object
    other_cohort: object
    other_child: object
    users: dict


def _user(email, name):
    return create_user(acting_user=None, email=email, full_name=name, password=PASSWORD)


def _clear(user, today, *, expired=False):
    expires = (
        today - datetime.timedelta(days=1) if expired else today + datetime.timedelta(days=365)
    )
    people.record_vetting(
        acting_user=None,
        leader=user,
        level="nppv2",
        granted=today - datetime.timedelta(days=400),
        expires=expires,
    )
    people.record_safeguarding_training(
        acting_user=None,
        leader=user,
        completed=today - datetime.timedelta(days=30),
        expires=today + datetime.timedelta(days=300),
    )


def build_world() -> World:
    today = timezone.localdate()
    force = org.create_force(acting_user=None, name="Testshire Police", short_name="testshire")
    area = org.create_area(acting_user=None, force=force, name="North")
    school = org.create_school(acting_user=None, area=area, name="Hilltop Primary", urn="123456")
    unit = org.create_unit(
        acting_user=None,
        school=school,
        name="Hilltop Mini Police",
        status="active",
        status_since=today - datetime.timedelta(days=100),
    )
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Year 5",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=200),
    )
    child = people.add_child_to_cohort(
        acting_user=None,
        cohort=cohort,
        first_name="Ada",
        last_name="Lovelace",
        year_group=5,
        leader_notes="Uses a hearing aid.",
    )
    guardian = people.create_guardian(
        acting_user=None, force=force, name="Ann Lovelace", email="ann@example.com"
    )
    people.link_guardian(acting_user=None, child=child, guardian=guardian)

    other_force = org.create_force(acting_user=None, name="Otherton Police", short_name="otherton")
    other_area = org.create_area(acting_user=None, force=other_force, name="South")
    other_school = org.create_school(acting_user=None, area=other_area, name="Valley Primary")
    other_unit = org.create_unit(
        acting_user=None,
        school=other_school,
        name="Valley Mini Police",
        status="active",
        status_since=today,
    )
    other_cohort = org.create_cohort(
        acting_user=None,
        unit=other_unit,
        name="Year 6",
        start_date=today,
        end_date=today + datetime.timedelta(days=100),
    )
    other_child = people.add_child_to_cohort(
        acting_user=None, cohort=other_cohort, first_name="Bo", last_name="Outside", year_group=6
    )

    users = {
        "coordinator": _user("coord@example.org", "Cora Coordinator"),
        "area_lead": _user("lead@example.org", "Sergeant Lee"),
        "leader": _user("leader@example.org", "PCSO Pat"),
        "lapsed_leader": _user("lapsed@example.org", "PCSO Lapsed"),
        "teacher": _user("teacher@example.org", "Ms Teach"),
        "guardian": _user("guardian@example.org", "Ann Lovelace"),
        "funder": _user("funder@example.org", "PCC Office"),
        "national": _user("national@example.org", "National Office"),
        "outsider": _user("outsider@example.org", "Otto Outsider"),
    }
    assign_role(
        acting_user=None, user=users["coordinator"], role=Role.FORCE_COORDINATOR, force=force
    )
    assign_role(acting_user=None, user=users["area_lead"], role=Role.AREA_LEAD, area=area)
    assign_role(acting_user=None, user=users["leader"], role=Role.UNIT_LEADER, unit=unit)
    assign_role(acting_user=None, user=users["lapsed_leader"], role=Role.UNIT_LEADER, unit=unit)
    assign_role(acting_user=None, user=users["teacher"], role=Role.TEACHER, school=school)
    assign_role(acting_user=None, user=users["guardian"], role=Role.GUARDIAN, guardian=guardian)
    assign_role(acting_user=None, user=users["funder"], role=Role.FUNDER, force=force)
    assign_role(acting_user=None, user=users["national"], role=Role.NATIONAL_VIEWER)
    assign_role(
        acting_user=None, user=users["outsider"], role=Role.FORCE_COORDINATOR, force=other_force
    )
    _clear(users["leader"], today)
    _clear(users["lapsed_leader"], today, expired=True)
    return World(
        force,
        area,
        school,
        unit,
        cohort,
        child,
        guardian,
        other_force,
        other_unit,
        other_cohort,
        other_child,
        users,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client, settings):
    """A test client signed in as one persona (their second factor counted as done)."""
    settings.ALLOW_DEMO_WITHOUT_MFA = False

    def sign_in(user):
        client.force_login(user)
        session = client.session
        session["mfa_enrolled"] = True
        session.save()
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _no_error_is_logged(request, caplog):
    """A test that logs an ERROR fails (as ephios does): a 500, a task that crashed, a swallowed
    exception. A test about such a failure says so with @pytest.mark.logs_errors."""
    yield
    if request.node.get_closest_marker("logs_errors"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in errors[:5])
        pytest.fail(f"The test logged {len(errors)} error(s):\n{lines}", pytrace=False)
