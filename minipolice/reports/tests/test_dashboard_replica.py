"""With a read-only replica configured (DATABASE_REPLICA_URL), the dashboards' figures are read
from it, and nothing else is: sign-in, permissions, writes and migrations stay on "default".

In the test suite the "replica" alias is a mirror of the test database (settings), switched on
here by DATABASE_READ_REPLICA; on PostgreSQL it is read-only as a real standby is, so a write
sent there would fail the test."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minipolice.lib.routers import REPLICA, ReplicaRouter, reading_replica
from minipolice.organisations.models import Force
from minipolice.reports.models import ImpactReport
from minipolice.reports.periods import current_school_year

BOTH = ["default", REPLICA]


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_READ_REPLICA = REPLICA


def _get(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def _reads_only(queries):
    return all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in queries)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_force_dashboard_figures_are_read_from_the_replica(world, client_for, replica_on):
    client = client_for(world.users["coordinator"])
    url = reverse("reports:force_dashboard", args=[world.force.pk])
    response, primary, replica = _get(client, url)
    assert "Children reached" in response.content.decode()
    # The figures (several aggregate queries) came from the replica, and only reads went there.
    assert len(replica) >= 5
    assert _reads_only(replica)
    # The session, the user and the permission checks stay on the primary.
    assert any("django_session" in sql for sql in primary)
    assert not any("django_session" in sql for sql in replica)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_national_comparison_is_read_from_the_replica(world, client_for, replica_on):
    client = client_for(world.users["national"])
    _, _, replica = _get(client, reverse("reports:national_dashboard"))
    assert replica and _reads_only(replica)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_without_a_replica_configured_everything_reads_from_default(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("reports:force_dashboard", args=[world.force.pk])
    _, primary, replica = _get(client, url)
    assert replica == []
    assert len(primary) >= 5


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_asking_for_a_report_writes_to_the_primary_only(world, client_for, replica_on):
    client = client_for(world.users["coordinator"])
    url = reverse("reports:report_start", args=[world.force.pk])
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        start, end = current_school_year()
        period = {
            "start_0": start.day, "start_1": start.month, "start_2": start.year,
            "end_0": end.day, "end_1": end.month, "end_2": end.year,
        }  # fmt: skip
        response = client.post(url, period)
    assert response.status_code == 302
    assert _reads_only([q["sql"] for q in replica])
    assert ImpactReport.objects.using("default").filter(force=world.force).exists()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_router_sends_writes_and_reads_in_a_transaction_to_default(world, replica_on):
    router = ReplicaRouter()
    with reading_replica():
        assert router.db_for_read(Force) == REPLICA
        assert router.db_for_write(Force) == "default"
        with transaction.atomic():
            # What this transaction wrote is not on the replica: read it back from the primary.
            assert router.db_for_read(Force) == "default"
        force = Force.objects.get(pk=world.force.pk)
        assert force._state.db == REPLICA
        force.name = "Renamed Police"
        force.save()  # an object read from the replica is saved to the primary
    assert router.db_for_read(Force) == "default"
    assert Force.objects.using("default").get(pk=world.force.pk).name == "Renamed Police"


def test_migrations_never_run_on_the_replica():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "people") is False
    assert router.allow_migrate("default", "people") is None


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_on_postgresql_the_replica_alias_cannot_write(world):
    replica = connections[REPLICA]
    if replica.vendor != "postgresql":
        pytest.skip("default_transaction_read_only is PostgreSQL's")
    with replica.cursor() as cursor:
        cursor.execute("SHOW default_transaction_read_only")
        assert cursor.fetchone() == ("on",)
