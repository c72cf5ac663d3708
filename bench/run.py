"""Time the main list pages and the dashboards against the generated dataset, as five kinds
of user.

    .venv/bin/python bench/run.py                  # 20 timed requests per page
    .venv/bin/python bench/run.py -n 50 --explain  # and the plan of each page's slowest query
    .venv/bin/python bench/run.py --dashboards     # the dashboard pages only

Each page is fetched through Django's test Client (the whole middleware, view and template
stack, no network), twice to warm up, then N times timed, then once more while counting SQL
queries (counting has a cost of its own, so it is kept out of the timings). Results go to a
table on stdout and to bench/results.json.

For each dashboard page that answers 200, the same run captures the SQL of one request
(every statement with its parameters) and replays it on a cursor, in order, fetching each
result: "raw SQL" time, and the page's ratio to it (issue #13 wants the national view within
2x). The replays are interleaved with the timed requests (request, replay, replay of the figure
queries alone, N times), so page and SQL see the same load on the machine. "Figures only"
leaves out the session, sign-in and scope queries every page makes.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
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
    # Dashboards (issue #13) for this school year; the raw-SQL comparison runs on these.
    "/dashboards/national/?from={start}&to={end}",
    "/dashboards/forces/{force}/?from={start}&to={end}",
    "/dashboards/areas/{area}/?from={start}&to={end}",
]
DASHBOARDS = "/dashboards/"
SLOW_MS = 300
RATIO_TARGET = 2.0
# Tables read by every signed-in request (session, user, roles and scope, second factor,
# clearance): a statement that reads only these is not one of the dashboard's figures.
REQUEST_TABLES = {
    "django_session",
    "accounts_user",
    "accounts_roleassignment",
    "people_vetting",
    "people_safeguardingtraining",
}


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
    funder = in_force.filter(role=Role.FUNDER).first()
    found = [
        ("coordinator", f"force coordinator of {largest.name}", coordinator.user),
        ("area lead", f"area lead of {area_lead.area.name}", area_lead.user),
        ("unit leader", f"cleared leader of {leader.unit.name}", leader.user),
        ("national", "national viewer", national.user),
    ]
    if funder:
        found.append(("funder", f"funder of {largest.name}", funder.user))
    return found, area_lead.area


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


def explain(sql: str, params=None) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        if params is None:
            cursor.execute(prefix + sql)  # noqa: S608 -- the SQL the page itself just ran
        else:
            cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def tables_of(sql: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r'(?:FROM|JOIN)\s+"?([a-z_0-9]+)"?', sql, re.I)}


def is_request_query(sql: str) -> bool:
    """Session, sign-in and scope: the statements every signed-in page makes."""
    tables = tables_of(sql)
    return bool(tables) and tables <= REQUEST_TABLES


def replay_once(statements, per_statement: list[list[float]] | None = None) -> float:
    """Run the captured statements (sql, params) in order on a cursor, fetching every result;
    return the time in ms. A page's own writes (a session touch) are run and undone."""
    from django.db import connection, transaction

    writes = any(not sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql, _ in statements)

    def once() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for i, (sql, params) in enumerate(statements):
                t0 = time.perf_counter()
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
                if per_statement is not None:
                    per_statement[i].append((time.perf_counter() - t0) * 1000)
        return (time.perf_counter() - started) * 1000

    if not writes:
        return once()
    with transaction.atomic():
        elapsed = once()
        transaction.set_rollback(True)
    return elapsed


def summary(timings: list[float]) -> dict:
    return {
        "n": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "min_ms": round(min(timings), 1),
    }


def capture(client, page: str):
    """One request with its SQL captured: (response, CaptureQueriesContext's list, and the
    statements with their parameters as the backend was given them, to replay)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(keep):
        response = client.get(page)
    return response, captured.captured_queries, statements


def measure(
    client, page: str, repetitions: int, budget: float, with_plan: bool, compare: bool = False
) -> dict:
    """Time a page; with `compare`, also its raw SQL, interleaved with the page's requests (a
    page request, then its statements replayed, then its figure statements alone, N times) so
    that both see the same load on the machine."""
    for _ in range(2):
        client.get(page)
    # The session is touched once a minute (SessionTimeoutMiddleware); touch it now so a slow
    # page's count does not include that write.
    session = client.session
    session["last_seen_at"] = time.time()
    session.save()
    response, queries, statements = capture(client, page)
    compare = compare and response.status_code == 200
    figures = [(sql, params) for sql, params in statements if not is_request_query(sql)]
    per_statement = [[] for _ in statements]
    if compare:
        for _ in range(2):
            replay_once(statements)
            replay_once(figures)
    timings, raw_all, raw_figures = [], [], []
    for _ in range(repetitions):
        started = time.perf_counter()
        client.get(page)
        timings.append((time.perf_counter() - started) * 1000)
        if compare:
            raw_all.append(replay_once(statements, per_statement))
            raw_figures.append(replay_once(figures))
        if sum(timings) > budget * 1000:
            break  # a very slow page: fewer repetitions, recorded in "n"
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    result = {
        "status": response.status_code,
        **summary(timings),
        "bytes": len(response.content),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 1) if slowest else 0,
        "slowest_query": slowest["sql"] if slowest else "",
    }
    if with_plan and slowest:
        result["slowest_query_plan"] = explain(slowest["sql"])
    if not compare:
        return result
    medians = [statistics.median(t) for t in per_statement]
    top = []
    for i in sorted(range(len(statements)), key=lambda i: -medians[i])[:5]:
        sql, params = statements[i]
        entry = {
            "median_ms": round(medians[i], 2),
            "sql": sql,
            "params": [str(p) for p in params or []],
            "figure": not is_request_query(sql),
        }
        if with_plan:
            entry["plan"] = explain(sql, params)
        top.append(entry)
    result["raw_sql"] = {
        "all": summary(raw_all),
        "figures": summary(raw_figures) if figures else None,
        "statements": len(statements),
        "figure_statements": len(figures),
        "top_statements": top,
    }
    raw = result["raw_sql"]["all"]["median_ms"]
    result["ratio"] = round(result["median_ms"] / raw, 2) if raw else None
    if figures and result["raw_sql"]["figures"]["median_ms"]:
        result["ratio_to_figures"] = round(
            result["median_ms"] / result["raw_sql"]["figures"]["median_ms"], 2
        )
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
    parser.add_argument(
        "--dashboards", action="store_true", help="only the dashboard pages (issue #13)"
    )
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

    from minipolice.reports.periods import current_school_year

    users, area = personas()
    force = largest_force()
    start, end = current_school_year()
    pages = args.page or PAGES
    if args.dashboards:
        pages = [p for p in pages if p.startswith(DASHBOARDS)]
    for label, description, _ in users:
        print(f"  {label:<12} {description}")
    results = []
    header = (
        f"{'user':<12} {'page':<30} {'status':>6} {'n':>3} {'median':>9} {'p95':>9} {'queries':>7}"
    )
    print(header + "\n" + "-" * len(header))
    for label, description, user in users:
        client = signed_in_client(user)
        for page in pages:
            page = page.format(force=force.pk, area=area.pk, start=start, end=end)
            measured = measure(
                client,
                page,
                args.repetitions,
                args.budget,
                args.explain,
                compare=page.startswith(DASHBOARDS),
            )
            row = {"user": label, "who": description, "page": page, **measured}
            results.append(row)
            flag = "  << slow" if row["median_ms"] > SLOW_MS else ""
            print(
                f"{label:<12} {page:<30} {row['status']:>6} {row['n']:>3}"
                f" {row['median_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms {row['queries']:>7}{flag}",
                flush=True,
            )
            if "raw_sql" in row:
                raw = row["raw_sql"]
                figures = raw["figures"] or {"median_ms": 0, "p95_ms": 0}
                flag = "" if row["ratio"] <= RATIO_TARGET else f"  << over {RATIO_TARGET}x"
                print(
                    f"{'':<12} {'  raw SQL, all statements':<30} {'':>6} {raw['all']['n']:>3}"
                    f" {raw['all']['median_ms']:>7.1f}ms {raw['all']['p95_ms']:>7.1f}ms"
                    f" {raw['statements']:>7}   page/raw {row['ratio']:.2f}{flag}\n"
                    f"{'':<12} {'  raw SQL, figures only':<30} {'':>6} {raw['all']['n']:>3}"
                    f" {figures['median_ms']:>7.1f}ms {figures['p95_ms']:>7.1f}ms"
                    f" {raw['figure_statements']:>7}   page/figures"
                    f" {row.get('ratio_to_figures') or 0:.2f}",
                    flush=True,
                )
                if args.explain:
                    for top in raw["top_statements"][:3]:
                        print(f"    {top['median_ms']} ms: {top['sql'][:300]}")
                        print("      " + top.get("plan", "").replace("\n", "\n      "))
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
        "dashboard_period": {"from": str(start), "to": str(end)},
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
