"""Time the main list pages against the generated dataset, as four kinds of user.

    .venv/bin/python bench/run.py                  # 20 timed requests per page
    .venv/bin/python bench/run.py -n 50 --explain  # and the plan of each page's slowest query

Each page is fetched through Django's test Client (the whole middleware, view and template
stack, no network), twice to warm up, then N times timed, then once more while counting SQL
queries (counting has a cost of its own, so it is kept out of the timings). Results go to a
table on stdout and to bench/results.json.
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import sys
import time

from setup_django import BENCH_DIR, setup

PAGES = [
    "/",
    "/units/",
    "/units/?sort=-status&page=3",
    "/schools/",
    "/cohorts/",
    "/children/",
    "/children/?q=a",
    "/guardians/",
    "/leaders/",
    "/audit/",
    # Survey results of the largest force ({force}), counted in SQL over its rounds.
    "/surveys/results/",
    "/surveys/forces/{force}/results/",
    "/surveys/forces/{force}/formats/",
]
SLOW_MS = 300


def largest_force():
    from django.db.models import Count

    from minipolice.organisations.models import Force

    return (
        Force.objects.annotate(units=Count("areas__schools__units"))
        .order_by("-units", "pk")
        .first()
    )


def personas():
    """(label, description, user) for a coordinator of the largest force, one of its area
    leads, a cleared leader of one of its units, and the national viewer."""
    from minipolice.accounts.models import Role, RoleAssignment
    from minipolice.accounts.scoping import is_cleared
    from minipolice.organisations.models import Force, Unit
    from minipolice.people.models import Enrolment

    largest = max(
        Force.objects.all(), key=lambda f: Unit.objects.filter(school__area__force=f).count()
    )
    in_force = RoleAssignment.objects.filter(force=largest).select_related("user", "area", "unit")
    coordinator = in_force.filter(role=Role.FORCE_COORDINATOR).first()
    area_lead = max(
        in_force.filter(role=Role.AREA_LEAD),
        key=lambda a: Unit.objects.filter(school__area=a.area).count(),
    )
    leader = next(
        a
        for a in in_force.filter(role=Role.UNIT_LEADER).order_by("pk")
        if is_cleared(a.user) and Enrolment.objects.filter(cohort__unit=a.unit).exists()
    )
    national = RoleAssignment.objects.filter(role=Role.NATIONAL_VIEWER).first()
    return [
        ("coordinator", f"force coordinator of {largest.name}", coordinator.user),
        ("area lead", f"area lead of {area_lead.area.name}", area_lead.user),
        ("unit leader", f"cleared leader of {leader.unit.name}", leader.user),
        ("national", "national viewer", national.user),
    ]


def signed_in_client(user):
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(user)
    session = client.session
    session["mfa_enrolled"] = True  # the second factor counts as done
    session.save()
    return client


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)  # noqa: S608 -- the SQL the page itself just ran
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def measure(client, page: str, repetitions: int, budget: float, with_plan: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(page)
    timings = []
    for _ in range(repetitions):
        started = time.perf_counter()
        response = client.get(page)
        timings.append((time.perf_counter() - started) * 1000)
        if sum(timings) > budget * 1000:
            break  # a very slow page: fewer repetitions, recorded in "n"
    # The session is touched once a minute (SessionTimeoutMiddleware); touch it now so a slow
    # page's count does not include that write.
    session = client.session
    session["last_seen_at"] = time.time()
    session.save()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    result = {
        "status": response.status_code,
        "n": len(timings),
        "bytes": len(response.content),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "min_ms": round(min(timings), 1),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 1) if slowest else 0,
        "slowest_query": slowest["sql"] if slowest else "",
    }
    if with_plan and slowest:
        result["slowest_query_plan"] = explain(slowest["sql"])
    return result


def dataset_size() -> dict[str, int]:
    from minipolice.audit.models import AuditEntry
    from minipolice.organisations.models import Force, Unit
    from minipolice.people.models import Child, Guardian

    return {
        "forces": Force.objects.count(),
        "units": Unit.objects.count(),
        "children": Child.objects.count(),
        "guardians": Guardian.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def unapplied_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--repetitions", type=int, default=20)
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of timed requests per page at most"
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN each slowest query")
    parser.add_argument("--output", default=str(BENCH_DIR / "results.json"))
    parser.add_argument("--page", action="append", help="only this page (repeatable)")
    args = parser.parse_args(argv)

    database = setup()
    import logging

    from django.conf import settings

    # Expected 403s (pages a role may not open) would each log a traceback.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.db import DatabaseError, connection

    # The test Client calls itself "testserver"; let it in without touching the environment.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        size = dataset_size()
    except DatabaseError:
        size = {"forces": 0}
    if not size["forces"]:
        raise SystemExit(f"No bench data in {database}: run bench/generate.py first.")
    if unapplied_migrations():
        print(
            "Warning: the schema is behind the code; run bench/generate.py --reset to rebuild.",
            file=sys.stderr,
        )
    print(f"Database: {database}; " + ", ".join(f"{v:,} {k}" for k, v in size.items()))

    users = personas()
    force = largest_force()
    for label, description, _ in users:
        print(f"  {label:<12} {description}")
    results = []
    header = (
        f"{'user':<12} {'page':<30} {'status':>6} {'n':>3} {'median':>9} {'p95':>9} {'queries':>7}"
    )
    print(header + "\n" + "-" * len(header))
    for label, description, user in users:
        client = signed_in_client(user)
        for page in args.page or PAGES:
            page = page.format(force=force.pk)
            measured = measure(client, page, args.repetitions, args.budget, args.explain)
            row = {"user": label, "who": description, "page": page, **measured}
            results.append(row)
            flag = "  << slow" if row["median_ms"] > SLOW_MS else ""
            print(
                f"{label:<12} {page:<30} {row['status']:>6} {row['n']:>3}"
                f" {row['median_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms {row['queries']:>7}{flag}",
                flush=True,
            )
            if args.explain and row.get("slowest_query_plan"):
                print(
                    f"    slowest query {row['slowest_query_ms']} ms:\n    {row['slowest_query'][:400]}"
                )
                print("    " + row["slowest_query_plan"].replace("\n", "\n    "))

    report = {
        "database": database,
        "vendor": connection.vendor,
        "dataset": size,
        "repetitions": args.repetitions,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": results,
    }
    with open(args.output, "w") as out:
        json.dump(report, out, indent=2)
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
