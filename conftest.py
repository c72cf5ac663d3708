"""Persona fixtures shared by every app's tests, built through the services as a user would.

The persona world is built once, not once per test: see `SharedWorld`.
"""

import copy
import datetime
import logging
import secrets
import string
from dataclasses import dataclass

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import connection, transaction
from django.middleware import csrf
from django.utils import timezone, translation
from pytest_django.plugin import validate_django_db

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


class SharedWorld:
    """The persona world, built once inside a transaction that is never committed.

    Building the world through the services is most of what a short test costs, so it is built
    once and kept in an outer transaction. pytest-django runs each ordinary test in a savepoint
    inside it and rolls the savepoint back afterwards, so whatever a test changes is undone
    before the next one; each test gets its own copy of the world's Python objects too, so a
    change made to them in memory does not carry over either.

    Only tests that ask for `world` see it: before any other database test the outer transaction
    is rolled back, so that test starts from the database as migrated, as before. Transactional
    tests (live server, real threads) need committed data that other connections can see: for
    them the outer transaction is rolled back too and `world` builds the world inside the test,
    and their flush afterwards removes it.
    """

    def __init__(self):
        self.atomic = None
        self.world = None
        self.built_on = None

    @property
    def is_open(self) -> bool:
        # A closed connection has lost the transaction (and the world with it).
        return (
            self.atomic is not None
            and connection.in_atomic_block
            and connection.atomic_blocks[:1] == [self.atomic]
        )

    def open(self, blocker) -> None:
        """Build the world, unless it is built already (and on today's date)."""
        if self.is_open and self.built_on == timezone.localdate():
            return
        self.close(blocker)
        with blocker.unblock():
            self.atomic = transaction.atomic()
            # As TestCase marks its own atomics: a durable atomic block inside stays allowed.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            self.built_on = timezone.localdate()
            self.world = build_world()

    def close(self, blocker) -> None:
        """Roll the world back: the database is as migrations left it."""
        atomic, self.atomic, self.world = self.atomic, None, None
        if atomic is None or not connection.in_atomic_block:
            return
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_shared_world = SharedWorld()


def _is_transactional(item) -> bool:
    """As pytest-django decides whether a test runs as a TransactionTestCase."""
    marker = item.get_closest_marker("django_db")
    if marker:
        transaction_, reset_sequences, *_ = validate_django_db(marker)
        if transaction_ or reset_sequences:
            return True
    names = item.fixturenames
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


def _shares_world(item) -> bool:
    return "world" in item.fixturenames and not _is_transactional(item)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Just before pytest-django opens a test's transaction, open or roll back the shared world
    (it must be the outer transaction, so it comes first)."""
    if fixturedef.argname == "_django_db_helper":
        request.getfixturevalue("_shared_world_session")
        blocker = request.getfixturevalue("django_db_blocker")
        if _shares_world(request.node):
            _shared_world.open(blocker)
        else:
            _shared_world.close(blocker)
    return (yield)


@pytest.fixture(scope="session")
def _shared_world_session(django_db_setup, django_db_blocker):
    """Rolls the shared world back at the end of the run, before the test database goes."""
    yield
    _shared_world.close(django_db_blocker)


@pytest.fixture
def world(request, db) -> World:
    if _shares_world(request.node) and _shared_world.is_open:
        return copy.deepcopy(_shared_world.world)
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


def _lowercase_nonce(self, request):
    stored = getattr(request, "_csp_nonce", None)
    if isinstance(stored, str):
        return stored
    request._csp_nonce = secrets.token_hex(16)
    return request._csp_nonce


@pytest.fixture(autouse=True, scope="session")
def _random_tokens_without_capitals():
    """Tests prove a child's name ("Ada") is not on a page. A random CSRF token or CSP nonce in
    that page may hold the same letters by chance (CI failed on it twice): in tests both are
    drawn from lower-case letters and digits, so they can never spell a capitalised name."""
    patch = pytest.MonkeyPatch()
    patch.setattr(csrf, "CSRF_ALLOWED_CHARS", string.ascii_lowercase + string.digits)
    patch.setattr(CSPMiddleware, "_make_nonce", _lowercase_nonce)
    yield
    patch.undo()


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


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """The active language is per thread and a request leaves it set (LocaleMiddleware does
    not reset it): without this, a test after one that asked for Welsh would build its emails
    or PDFs in Welsh."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
