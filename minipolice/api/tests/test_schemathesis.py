"""Schemathesis against the API's own OpenAPI schema, authenticated as a coordinator.

The schema is loaded from the running app (through WSGI, in-process) on the test database that
holds the persona `world`. For every operation, Hypothesis generates valid requests and invalid
ones (a bounded number of each, the same ones on every run) and the test fails on any server
error, any status code the schema does not document, and any body that does not match it.

Why a loop in one test rather than `schemathesis.pytest.from_fixture`: the database exists only
inside a test, and from_fixture does not run under the pinned pytest (it reads a private
attribute pytest 9 removed). The loop keeps everything in one test and one transaction, and
reports the failures of every operation together.
"""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from minipolice.api.models import ApiToken
from minipolice.api.services import create_api_token
from minipolice.community.services import record_action
from minipolice.consent.services import record_consent
from minipolice.delivery.services import add_session
from minipolice.people.models import Enrolment
from minipolice.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# (mode, examples per operation, whether path ids point at the world's objects). Random ids
# are mostly 404s, so a third pass fills the path with ids that exist.
PASSES = [
    (GenerationMode.POSITIVE, 12, False),
    (GenerationMode.NEGATIVE, 8, False),
    (GenerationMode.POSITIVE, 12, True),
]


@pytest.fixture
def wsgi_app_in_test_transaction():
    """Call the real WSGI app without closing the test's database connection after each
    request (as Django's own test client does): the test's data lives in that connection's
    open transaction, which closing would end (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world, settings, wsgi_app_in_test_transaction):
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis' WSGI client sends
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app_in_test_transaction)


def _world_ids(world, token) -> dict[str, int]:
    consent = record_consent(
        acting_user=None,
        child=world.child,
        kind="media",
        status="granted",
        method="paper",
        media_uses=["force_website"],
    )
    session = add_session(
        acting_user=None,
        cohort=world.cohort,
        date=world.cohort.start_date,
        start_time=datetime.time(14, 0),
        minutes=60,
    )
    action = record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=world.cohort.start_date,
        place="High Street",
        homes_reached=40,
    )
    return {
        "session_id": session.pk,
        "action_id": action.pk,
        "force_id": world.force.pk,
        "area_id": world.area.pk,
        "school_id": world.school.pk,
        "unit_id": world.unit.pk,
        "cohort_id": world.cohort.pk,
        "child_id": world.child.pk,
        "guardian_id": world.guardian.pk,
        "enrolment_id": Enrolment.objects.get(child=world.child, cohort=world.cohort).pk,
        "consent_id": consent.pk,
        "token_id": token.pk,
    }


def test_api_conforms_to_its_schema(api_schema, world):
    token, raw = create_api_token(acting_user=None, user=world.users["coordinator"])
    headers = {"Authorization": f"Bearer {raw}"}
    ids = _world_ids(world, token)
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:
        path_names = [p.name for p in operation.path_parameters]
        for mode, examples, real_ids in PASSES:
            if real_ids and not path_names:
                continue
            fixed = {name: ids[name] for name in path_names if name in ids} if real_ids else None

            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
            @settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                # The fuzzer may revoke the very token it uses (POST /tokens/{id}/revoke):
                # undo that first, so every request is made authenticated.
                ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Exception as error:  # noqa: BLE001 - collected and reported below
                failures.append(f"{operation.label} ({mode}, real ids: {real_ids}):\n{error}")
    assert not failures, "\n\n".join(failures)
