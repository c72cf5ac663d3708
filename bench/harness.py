"""`make bench`: one command, one table (issue #15).

    .venv/bin/python bench/harness.py --scale national      # what `make bench` runs
    .venv/bin/python bench/harness.py --scale small -n 10   # `make bench SCALE=small`

In one run it generates the dataset if the database lacks it (or holds another scale), then
measures, through Django's test Client in this process (the whole middleware, view and template
stack; no network, no WSGI server):

- the framework floor: bench_urls.floor, the base template for a signed-in user;
- every main page, for every role, interleaved with the floor as the same user (page, floor,
  floor, page, ...), so each page's ratio to the floor is measured under the same load;
- the SQL queries of each page at this scale and at the comparison scale (a second, smaller
  dataset in its own database, counted by a child process of this command);
- the dashboards and reports beside the raw SQL they run (captured and replayed, interleaved);
- the class-list import of 10,000 rows, 150 certificates and a subject-access export;

and writes bench/RESULTS.md, keeping the load-test and notes sections as they are.

The database: DATABASE_URL if set, else bench/bench.sqlite3 (national) or
bench/bench-<scale>.sqlite3. The comparison scale's: BENCH_COMPARE_DATABASE_URL, else the same
PostgreSQL server with "_<scale>" after the database name, else bench/bench-<scale>.sqlite3.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
LOADTEST_START, LOADTEST_END = "<!-- loadtest:start -->", "<!-- loadtest:end -->"
NOTES_START, NOTES_END = "<!-- notes:start -->", "<!-- notes:end -->"
LOADTEST_PLACEHOLDER = (
    "## Load test (`make loadtest`)\n\n_No load test yet: `make loadtest` writes its figures here._"
)
NOTES_PLACEHOLDER = "_Notes on the figures, kept by hand; `make bench` leaves them as they are._"

MEDIAN_RATIO_TARGET = 3.0
P95_TARGET_MS = 50.0
RAW_RATIO_TARGET = 2.0
IMPORT_TARGET_S = 3.0
CERTIFICATES_TARGET_S = 1.0
COMPARE_WITH = {"national": "small", "small": "tiny", "tiny": "tiny"}

STAFF_PAGES = [
    "/",
    "/units/",
    "/units/{unit}/",
    "/schools/",
    "/schools/{school}/",
    "/cohorts/",
    "/cohorts/{cohort}/",
    "/children/",
    "/children/?q=a",
    "/children/{child}/",
    "/guardians/",
    "/guardians/{guardian}/",
    "/leaders/",
    "/audit/",
    "/cohorts/{cohort}/sessions/",
    "/sessions/{session}/",  # the register
    "/my-sessions/",
    "/consent/cohorts/{cohort}/",  # the consent board
    "/consent/children/{child}/",
    "/community-actions/",
    "/community-totals/",
    "/events/",
    "/events/{event}/",
    "/events/{event}/places/",
    "/awards/",
    "/awards/totals/",
    "/cohorts/{cohort}/awards/",
    "/cohorts/{cohort}/surveys/",
    "/surveys/results/",
    "/surveys/forces/{force}/results/",
    "/cohorts/{cohort}/results/",
    "/stories/",
    "/dashboards/",
    "/dashboards/national/?from={start}&to={end}",
    "/dashboards/forces/{force}/?from={start}&to={end}",
    "/dashboards/areas/{area}/?from={start}&to={end}",
]
API_PAGES = [
    "/api/v1/forces",
    "/api/v1/areas",
    "/api/v1/schools",
    "/api/v1/units",
    "/api/v1/cohorts",
    "/api/v1/children",
    "/api/v1/guardians",
    "/api/v1/enrolments",
    "/api/v1/consents",
    "/api/v1/sessions",
    "/api/v1/sessions/{session}/attendance",
    "/api/v1/events",
    "/api/v1/awards",
    "/api/v1/awards/totals",
    "/api/v1/community-actions",
    "/api/v1/reports/summary?force={force}&from={start}&to={end}",
    "/api/v1/reports/national?from={start}&to={end}",
    "/api/v1/impact/results?force={force}",
]
PORTAL_PAGES = [
    "/portal/",
    "/portal/children/{own_child}/",
    "/portal/events/",
    "/portal/certificates/",
    "/portal/feedback/",
]
# Pages whose figures are aggregates: timed beside the raw SQL they run.
AGGREGATES = (
    "/dashboards/national/",
    "/dashboards/forces/",
    "/dashboards/areas/",
    "/community-totals/",
    "/awards/totals/",
    "/surveys/results/",
    "/surveys/forces/",
    "/api/v1/reports/",
    "/api/v1/awards/totals",
    "/api/v1/impact/results",
)
ROLES = ["coordinator", "area lead", "leader", "teacher", "guardian", "funder", "national"]


# Databases and the dataset ---------------------------------------------------------------------
def default_database_url(scale: str) -> str:
    name = "bench.sqlite3" if scale == "national" else f"bench-{scale}.sqlite3"
    return f"sqlite:///{BENCH_DIR / name}"


def compare_database_url(scale: str) -> str:
    if os.environ.get("BENCH_COMPARE_DATABASE_URL"):
        return os.environ["BENCH_COMPARE_DATABASE_URL"]
    main = os.environ.get("DATABASE_URL", "")
    if main.startswith(("postgres://", "postgresql://")):
        base, _, name = main.rpartition("/")
        return f"{base}/{name.split('?')[0]}_{scale}"
    return default_database_url(scale)


def ensure_postgres_database(url: str) -> None:
    """Create the (bench or comparison) database on the PostgreSQL server if it is missing."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def expected_units(scale_name: str) -> int:
    from generate import SCALES, force_weights

    scale = SCALES[scale_name]
    return sum(
        min(max(1, round(scale.schools * w)), max(1, round(scale.units * w)))
        for w in force_weights(scale.forces)
    )


def dataset_matches(scale_name: str) -> bool:
    """The database holds this scale's dataset, made by this generator (it has teachers)."""
    from django.db import DatabaseError

    from minipolice.accounts.models import Role, RoleAssignment
    from minipolice.organisations.models import Unit

    try:
        return (
            Unit.objects.count() == expected_units(scale_name)
            and RoleAssignment.objects.filter(role=Role.TEACHER).exists()
        )
    except DatabaseError:
        return False


def ensure_dataset(scale_name: str, seed: int = 2017) -> str:
    """Migrate, and generate the dataset unless it is there already. Returns what was done."""
    from django.core.management import call_command
    from django.db import connection
    from generate import SCALES, generate, reseed_national_library

    from minipolice.accounts.models import User
    from minipolice.organisations.models import Force

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if dataset_matches(scale_name):
        return f"dataset present ({time.perf_counter() - started:.1f} s to check and migrate)"
    if Force.objects.exists() or User.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        reseed_national_library()
    counts = generate(SCALES[scale_name], seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return f"generated in {time.perf_counter() - started:.1f} s ({counts['seconds']:.1f} s rows)"


def dataset_size() -> dict[str, int]:
    from minipolice.accounts.models import Role, RoleAssignment
    from minipolice.awards.models import Certificate
    from minipolice.community.models import CommunityAction
    from minipolice.consent.models import Consent
    from minipolice.delivery.models import Attendance, Session
    from minipolice.events.models import Event, EventPlace
    from minipolice.impact.models import ChildAnswer, SurveyRound
    from minipolice.organisations.models import Force, Unit
    from minipolice.people.models import Child, Guardian

    return {
        "forces": Force.objects.count(),
        "units": Unit.objects.count(),
        "children": Child.objects.count(),
        "guardians": Guardian.objects.count(),
        "portal accounts": RoleAssignment.objects.filter(role=Role.GUARDIAN).count(),
        "sessions": Session.objects.count(),
        "register marks": Attendance.objects.count(),
        "consents": Consent.objects.count(),
        "community actions": CommunityAction.objects.count(),
        "events": Event.objects.count(),
        "event places": EventPlace.objects.count(),
        "certificates": Certificate.objects.count(),
        "survey rounds": SurveyRound.objects.count(),
        "survey answers": ChildAnswer.objects.count(),
    }


# Who and what ----------------------------------------------------------------------------------
def world():
    """The users of each role and the objects the pages are about, all in the largest force:
    a cleared leader whose current cohort has met, the area lead of that unit's area, the
    teacher of its school, a parent (portal account) of one of its children, the force's
    coordinator and funder, and the national viewer."""
    from django.db.models import Count
    from django.utils import timezone

    from minipolice.accounts.models import Role, RoleAssignment
    from minipolice.accounts.scoping import is_cleared
    from minipolice.delivery.models import Session
    from minipolice.events.models import Event
    from minipolice.organisations.models import Cohort, Force
    from minipolice.people.models import Enrolment, Guardianship
    from minipolice.reports.periods import current_school_year

    today = timezone.localdate()
    force = (
        Force.objects.annotate(units=Count("areas__schools__units"))
        .order_by("-units", "pk")
        .first()
    )
    roles = RoleAssignment.objects.filter(force=force).select_related("user")
    cohort = session = None
    for assignment in roles.filter(role=Role.UNIT_LEADER).select_related("unit").order_by("pk"):
        if not is_cleared(assignment.user):
            continue
        cohort = (
            Cohort.objects.filter(unit=assignment.unit, start_date__lte=today, end_date__gte=today)
            .order_by("-start_date")
            .first()
        )
        session = (
            Session.objects.filter(cohort=cohort, date__lt=today, attendances__isnull=False)
            .order_by("-date")
            .first()
            if cohort
            else None
        )
        if session:
            leader = assignment
            break
    unit = cohort.unit
    school = unit.school
    enrolled = Enrolment.objects.filter(cohort=cohort, left__isnull=True)
    # The child with the most history: in two cohorts if there is one (generate.py keeps one
    # child of last year's cohort on in this year's).
    child = (
        enrolled.annotate(cohorts=Count("child__enrolments"))
        .order_by("-cohorts", "child_id")
        .first()
        .child
    )
    # A parent of that child if one has a portal account (generate.py gives one), else of
    # another child in the cohort.
    guardian_links = Guardianship.objects.filter(child__enrolments__cohort=cohort)
    parents = RoleAssignment.objects.filter(role=Role.GUARDIAN)
    parent = (
        (
            parents.filter(guardian__guardianships__child=child)
            .select_related("user", "guardian")
            .order_by("pk")
            .first()
        )
        or (
            parents.filter(guardian__in=guardian_links.values("guardian_id"))
            .select_related("user", "guardian")
            .order_by("pk")
            .first()
        )
        or roles.filter(role=Role.GUARDIAN).select_related("guardian").order_by("pk").first()
    )
    own_child = (
        Guardianship.objects.filter(guardian=parent.guardian).order_by("child_id").first().child
    )
    event = Event.objects.filter(force=force).order_by("-date").first()
    start, end = current_school_year()
    users = {
        "coordinator": roles.filter(role=Role.FORCE_COORDINATOR).first().user,
        "area lead": roles.filter(role=Role.AREA_LEAD, area=school.area).first().user,
        "leader": leader.user,
        "teacher": roles.filter(role=Role.TEACHER, school=school).first().user,
        "guardian": parent.user,
        "funder": roles.filter(role=Role.FUNDER).first().user,
        "national": RoleAssignment.objects.filter(role=Role.NATIONAL_VIEWER).first().user,
    }
    objects = {
        "force": force.pk,
        "area": school.area_id,
        "school": school.pk,
        "unit": unit.pk,
        "cohort": cohort.pk,
        "session": session.pk,
        "child": child.pk,
        "guardian": Guardianship.objects.filter(child=child).order_by("pk").first().guardian_id,
        "own_child": own_child.pk,
        "event": event.pk,
        "start": start,
        "end": end,
    }
    who = {
        "coordinator": f"force coordinator of {force.name}",
        "area lead": f"area lead of {school.area.name}",
        "leader": f"cleared leader of {unit.name} ({enrolled.count()} children)",
        "teacher": f"teacher at {school.name}",
        "guardian": "parent with a portal account, one of their children in that cohort"
        if parent.guardian.pk in set(guardian_links.values_list("guardian_id", flat=True))
        else "parent with a portal account in the force",
        "funder": f"funder of {force.name}",
        "national": "national viewer",
    }
    return users, objects, who


def pages_for(role: str) -> list[str]:
    if role == "guardian":
        return PORTAL_PAGES
    return STAFF_PAGES + API_PAGES


class Visitor:
    """One role's test Client: signed in (second factor done), plus an API token for /api/."""

    def __init__(self, role, user):
        from django.test import Client

        self.role = role
        self.client = Client(raise_request_exception=True)
        self.client.force_login(user)
        session = self.client.session
        session["mfa_enrolled"] = True
        if role == "guardian":
            from minipolice.consent.portal import PORTAL_EMAIL_KEY, PORTAL_SESSION_KEY

            session[PORTAL_SESSION_KEY] = True
            session[PORTAL_EMAIL_KEY] = user.email
        session.save()
        self.user = user
        self.token = None
        self.client.get(self.floor())  # a first request has writes of its own (last seen)

    def floor(self) -> str:
        from bench_urls import FLOOR, PORTAL_FLOOR

        return PORTAL_FLOOR if self.role == "guardian" else FLOOR

    def get(self, url: str):
        if url.startswith("/api/"):
            if self.token is None:
                from minipolice.api.services import create_api_token

                _, self.token = create_api_token(acting_user=None, user=self.user, name="bench")
            return self.client.get(url, headers={"authorization": f"Bearer {self.token}"})
        return self.client.get(url)

    def touch_session(self) -> None:
        """SessionTimeoutMiddleware writes the session once a minute: do it now, so that a
        count or a timing does not include that write by chance."""
        session = self.client.session
        session["last_seen_at"] = time.time()
        session.save()


# Measuring -------------------------------------------------------------------------------------
def percentile(values: list[float], pct: float) -> float:
    from run import percentile as nearest_rank

    return nearest_rank(values, pct)


def stats(timings: list[float]) -> dict:
    return {
        "n": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
    }


def count_queries(visitor: Visitor, url: str):
    """One request with its SQL captured: (status, number of queries, [(sql, params)])."""
    from run import capture

    visitor.touch_session()
    if url.startswith("/api/"):
        visitor.get(url)  # the token's first use is written once; keep it out of the count
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        statements = []

        def keep(execute, sql, params, many, context):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(keep):
            response = visitor.get(url)
        return response.status_code, len(captured.captured_queries), statements
    response, queries, statements = capture(visitor.client, url)
    return response.status_code, len(queries), statements


def measure_page(visitor: Visitor, url: str, n: int, budget: float, warmup: int = 2) -> dict:
    """The page and the floor, interleaved (ABBA), n times each; with the raw SQL of an
    aggregate page replayed in the same rounds."""
    from run import is_request_query, replay_once

    try:
        for _ in range(warmup):
            visitor.get(url)
            visitor.client.get(visitor.floor())
        status, queries, statements = count_queries(visitor, url)
    except Exception as error:  # a page that fails is a row too, not the end of the run
        return {"status": f"error: {type(error).__name__}: {error}"[:200], "queries": 0}
    row = {"status": status, "queries": queries}
    if status != 200 or n == 0:  # n = 0: count only (the harness's own test)
        return row
    aggregate = url.startswith(AGGREGATES)
    figures = [(sql, params) for sql, params in statements if not is_request_query(sql)]
    page_t, floor_t, raw_t = [], [], []
    spent = time.perf_counter()
    for i in range(n):
        for what in ("page", "floor") if i % 2 == 0 else ("floor", "page"):
            target = url if what == "page" else visitor.floor()
            started = time.perf_counter()
            response = visitor.get(target) if what == "page" else visitor.client.get(target)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (target, response.status_code)
            (page_t if what == "page" else floor_t).append(elapsed)
        if aggregate:
            raw_t.append(replay_once(statements))
        if time.perf_counter() - spent > budget and i >= 4:
            break
    row.update({f"page_{k}": v for k, v in stats(page_t).items()})
    row.update({f"floor_{k}": v for k, v in stats(floor_t).items()})
    row["ratio"] = round(row["page_median_ms"] / row["floor_median_ms"], 2)
    row["met_median"] = row["ratio"] <= MEDIAN_RATIO_TARGET
    row["met_p95"] = row["page_p95_ms"] <= P95_TARGET_MS
    if aggregate:
        row["raw_sql"] = {**stats(raw_t), "statements": len(statements), "figures": len(figures)}
        row["raw_ratio"] = round(row["page_median_ms"] / row["raw_sql"]["median_ms"], 2)
        row["met_raw"] = row["raw_ratio"] <= RAW_RATIO_TARGET
    return row


def measure_floor(visitor: Visitor, n: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        visitor.client.get(visitor.floor())
    status, queries, _ = count_queries(visitor, visitor.floor())
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        visitor.client.get(visitor.floor())
        timings.append((time.perf_counter() - started) * 1000)
    return {"status": status, "queries": queries, **stats(timings)}


def fill(url: str, objects: dict) -> str:
    return url.format(**objects)


def run_pages(users, objects, n: int, budget: float, warmup: int = 2, log=print) -> dict:
    floors, rows = {}, []
    for role in ROLES:
        visitor = Visitor(role, users[role])
        floors[role] = measure_floor(visitor, max(n, 1), warmup)
        log(
            f"{role:<12} floor {floors[role]['median_ms']:6.1f} ms"
            f" p95 {floors[role]['p95_ms']:6.1f} ({floors[role]['queries']} queries)"
        )
        for page in pages_for(role):
            measured = measure_page(visitor, fill(page, objects), n, budget, warmup)
            rows.append({"role": role, "page": page, **measured})
            if "page_median_ms" in measured:
                log(
                    f"{role:<12} {page:<48} {measured['page_median_ms']:7.1f} ms"
                    f" p95 {measured['page_p95_ms']:7.1f}  x{measured['ratio']:<5}"
                    f" {measured['queries']:>3} q"
                    + (f"  raw x{measured['raw_ratio']}" if "raw_ratio" in measured else "")
                )
    return {"floors": floors, "rows": rows}


def count_pages(users, objects, warmup: int = 2) -> dict[str, dict]:
    """Status and query count of every (role, page): the comparison scale's part."""
    counts = {}
    for role in ROLES:
        visitor = Visitor(role, users[role])
        for page in pages_for(role):
            url = fill(page, objects)
            try:
                for _ in range(warmup):
                    visitor.get(url)
                status, queries, _ = count_queries(visitor, url)
            except Exception as error:
                status, queries = f"error: {type(error).__name__}: {error}"[:200], 0
            counts[f"{role}|{page}"] = {"status": status, "queries": queries}
    return counts


def compare_counts_in_child(scale: str, log=print) -> dict:
    """Count the comparison scale's queries in a child process on its own database."""
    url = compare_database_url(scale)
    ensure_postgres_database(url)
    out = BENCH_DIR / f".counts-{scale}.json"
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(Path(__file__)), "--counts-only", "--scale", scale]
    command += ["--json", str(out)]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=PROJECT_DIR)  # noqa: S603 # nosec B603
    log(f"comparison counts ({scale}) in {time.perf_counter() - started:.1f} s")
    data = json.loads(out.read_text())
    out.unlink()
    return data


# The jobs --------------------------------------------------------------------------------------
def rolled_back(function):
    """Run a measurement that writes inside a transaction rolled back after it, so the bench
    data stays the same from run to run."""
    from django.db import transaction

    with transaction.atomic():
        result = function()
        transaction.set_rollback(True)
    return result


def class_list_import(users, objects, rows: int = 10_000, per_file: int = 2000) -> dict:
    """rows children in class lists of `per_file` (the most one file may hold: a whole
    school), each uploaded, previewed, confirmed and applied through the pages and the real
    task (run by the immediate backend: what the worker does, without its polling)."""
    from django.test import override_settings
    from django.urls import reverse
    from django.utils import timezone

    from minipolice.organisations.models import Cohort
    from minipolice.people.models import ClassListImport

    coordinator = users["coordinator"]
    today = timezone.localdate()
    cohorts = list(
        Cohort.objects.filter(
            unit__school__area__force_id=objects["force"],
            start_date__lte=today,
            end_date__gte=today,
        ).order_by("pk")[: max(1, -(-rows // per_file))]
    )
    header = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"

    def work():
        from django.core.files.uploadedfile import SimpleUploadedFile

        visitor = Visitor("coordinator", coordinator)
        done, phases = 0, {"upload and preview": 0.0, "confirm and apply": 0.0}
        started = time.perf_counter()
        for f, cohort in enumerate(cohorts):
            count = min(per_file, rows - done)
            body = "".join(
                f"Benchchild{f}x{i},Import{i},5,Bench Parent {i},bench-{f}-{i}@example.org,\n"
                for i in range(count)
            )
            url = reverse("people:cohort_import", args=[cohort.pk])
            t0 = time.perf_counter()
            response = visitor.client.post(
                url, {"file": SimpleUploadedFile("class.csv", (header + body).encode())}
            )
            assert response.status_code == 302, response.content[:2000]
            pending = ClassListImport.objects.latest("id")
            t1 = time.perf_counter()
            visitor.client.post(url, {"import": pending.pk, "action": "confirm"})
            t2 = time.perf_counter()
            pending.refresh_from_db()
            assert pending.status == "applied", pending.status
            assert pending.summary["children_added"] == count, pending.summary
            phases["upload and preview"] += t1 - t0
            phases["confirm and apply"] += t2 - t1
            done += count
        return {
            "rows": done,
            "files": len(cohorts),
            "seconds": round(time.perf_counter() - started, 2),
            **{k: round(v, 2) for k, v in phases.items()},
        }

    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=tasks):
        result = rolled_back(work)
    result["met"] = result["seconds"] <= IMPORT_TARGET_S * result["rows"] / 10_000
    return result


def certificates(count: int = 150, runs: int = 5) -> dict:
    import certificates as bench_certificates

    items = bench_certificates.certificates(count)
    signature = bench_certificates.signature_png()
    bench_certificates.time_app(items[:2], signature)
    timings = [bench_certificates.time_app(items, signature) for _ in range(runs)]
    median = statistics.median(timings)
    return {
        "count": count,
        "runs": runs,
        "median_s": round(median, 3),
        "worst_s": round(max(timings), 3),
        "met": median <= CERTIFICATES_TARGET_S * count / 150,
    }


def subject_access(users, objects, runs: int = 5) -> dict:
    """The coordinator's subject-access export (JSON and PDF) of the child with the most
    history, with what that history holds."""
    from minipolice.audit.models import AuditEntry
    from minipolice.consent.models import Consent
    from minipolice.delivery.models import Attendance
    from minipolice.people.models import Enrolment

    child = objects["child"]
    enrolments = Enrolment.objects.filter(child_id=child).order_by("joined")
    history = {
        "cohorts": enrolments.count(),
        "from": str(enrolments.first().joined),
        "register marks": Attendance.objects.filter(child_id=child).count(),
        "consents": Consent.objects.filter(child_id=child).count(),
        "audit entries": AuditEntry.objects.filter(
            object_type="child", object_id=str(child)
        ).count(),
    }

    def work():
        visitor = Visitor("coordinator", users["coordinator"])
        result = {}
        for fmt in ("json", "pdf"):
            url = f"/children/{child}/export.{fmt}"
            timings = []
            for _ in range(runs + 1):
                started = time.perf_counter()
                response = visitor.client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            result[fmt] = {**stats(timings[1:]), "bytes": len(response.content)}
        return result

    return {"history": history, **rolled_back(work)}


# The report ------------------------------------------------------------------------------------
def keep_section(old: str, start: str, end: str, placeholder: str) -> str:
    if start in old and end in old:
        return old[old.index(start) : old.index(end) + len(end)]
    return f"{start}\n{placeholder}\n{end}"


def yes(flag) -> str:
    return "met" if flag else "**not met**"


def render(report: dict, old: str = "") -> str:
    scale, other = report["scale"], report["compare_scale"]
    cmd = report["command"]
    rows = [r for r in report["pages"]["rows"] if "page_median_ms" in r]
    others = [r for r in report["pages"]["rows"] if r["status"] != 200]
    met = [r for r in rows if r["met_median"] and r["met_p95"]]
    counts = report["compare_counts"]
    unequal = [
        r
        for r in report["pages"]["rows"]
        if counts.get(f"{r['role']}|{r['page']}", {}).get("queries") != r["queries"]
    ]
    out = [
        "# Benchmark results (`make bench`, issue #15)",
        "",
        "Written by `make bench`; rewritten on every run except the load-test and notes sections.",
        "",
        f"- **Command**: `{cmd}` (database: {report['database']})",
        f"- **When**: {report['measured_at']} UTC, code at `{report['commit']}`",
        f"- **Machine**: {report['machine']['cpus']} cores, {report['machine']['platform']},"
        f" Python {report['machine']['python']}, {report['machine']['db_version']}."
        f" **Shared** with other agents' work: load average {report['load_before']} before"
        f" and {report['load_after']} after the run, so single figures are noisy; the ratios"
        " come from requests interleaved in the same run.",
        f"- **How**: Django's test Client in this process (the full middleware, view and template"
        f" stack; no network or WSGI server), {report['repetitions']} timed requests of each page"
        " (fewer for a slow page: see n), each interleaved with a request of the floor as the"
        " same user (ABBA), after 2 warm-ups; one more request counts the SQL queries.",
        f"- **Dataset** ({scale}, {report['dataset_status']}): "
        + ", ".join(f"{v:,} {k}" for k, v in report["dataset"].items()),
        "",
        "## Summary",
        "",
        f"- Pages answering 200: {len(rows)} (role × page); both targets met by {len(met)};"
        f" median ≤ {MEDIAN_RATIO_TARGET:g}× floor met by"
        f" {sum(r['met_median'] for r in rows)}, p95 ≤ {P95_TARGET_MS:g} ms met by"
        f" {sum(r['met_p95'] for r in rows)}.",
        f"- Query counts equal at `{scale}` and `{other}`: "
        + ("all pages." if not unequal else f"**{len(unequal)} differ** (marked ≠ below)."),
    ]
    agg = [r for r in rows if "raw_ratio" in r]
    if agg:
        out.append(
            f"- Aggregate pages within {RAW_RATIO_TARGET:g}× their raw SQL:"
            f" {sum(r['met_raw'] for r in agg)} of {len(agg)}."
        )
    jobs = report["jobs"]
    if "import" in jobs:
        out.append(
            f"- Class-list import of {jobs['import']['rows']:,} rows: {jobs['import']['seconds']} s"
            f" ({yes(jobs['import']['met'])}); {jobs['certificates']['count']} certificates:"
            f" {jobs['certificates']['median_s']} s ({yes(jobs['certificates']['met'])});"
            f" subject-access export: {jobs['subject_access']['json']['median_ms']} ms JSON,"
            f" {jobs['subject_access']['pdf']['median_ms']} ms PDF."
        )
    out += [
        "",
        "## The framework floor",
        "",
        f"`bench/bench_urls.py`'s floor view (the base template for a signed-in user; only the"
        f" harness's own URLconf has it). Command: `{cmd}`.",
        "",
        "| role | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    for role, f in report["pages"]["floors"].items():
        out.append(f"| {role} | {f['median_ms']:.1f} | {f['p95_ms']:.1f} | {f['queries']} |")
    out += [
        "",
        "## Every main page for every role",
        "",
        f"Command: `{cmd}`. Times in ms; *floor* is the floor's median in the same interleaved"
        f" rounds; *ratio* = page median / floor median (target ≤ {MEDIAN_RATIO_TARGET:g});"
        f" p95 target ≤ {P95_TARGET_MS:g} ms. *Queries*: at `{scale}` and at `{other}` (counted"
        f" by the same command in a child process on the `{other}` dataset).",
        "",
        f"| role | page | n | median | p95 | floor | ratio | queries {scale} | queries {other}"
        " | median ≤3× | p95 ≤50 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        c = counts.get(f"{r['role']}|{r['page']}", {}).get("queries", "–")
        mark = "" if c == r["queries"] else " ≠"
        out.append(
            f"| {r['role']} | `{r['page']}` | {r['page_n']} | {r['page_median_ms']:.1f}"
            f" | {r['page_p95_ms']:.1f} | {r['floor_median_ms']:.1f} | {r['ratio']:.2f}"
            f" | {r['queries']} | {c}{mark} | {yes(r['met_median'])} | {yes(r['met_p95'])} |"
        )
    if others:
        out += [
            "",
            "Pages a role does not open (not timed; status, and queries at both scales):",
            "",
        ]
        by_role = {}
        for r in others:
            c = counts.get(f"{r['role']}|{r['page']}", {}).get("queries", "–")
            mark = "" if c == r["queries"] else " ≠"
            by_role.setdefault(r["role"], []).append(
                f"`{r['page']}` {r['status']} ({r['queries']}/{c}{mark})"
            )
        for role, items in by_role.items():
            out.append(f"- **{role}**: " + ", ".join(items))
    if agg:
        out += [
            "",
            "## Dashboards and reports beside their raw SQL",
            "",
            f"Command: `{cmd}`. Each round: the page (and the floor), then the SQL one request"
            " of the page ran, replayed in order on a cursor with every row fetched"
            f" (`bench/run.py`'s replay). Target: page ≤ {RAW_RATIO_TARGET:g}× raw SQL.",
            "",
            "| role | page | page median / p95 | raw SQL median / p95 (statements) | page / raw |",
            "|---|---|---:|---:|---:|",
        ]
        for r in agg:
            raw = r["raw_sql"]
            out.append(
                f"| {r['role']} | `{r['page']}` | {r['page_median_ms']:.1f} /"
                f" {r['page_p95_ms']:.1f} | {raw['median_ms']:.1f} / {raw['p95_ms']:.1f}"
                f" ({raw['statements']}) | {r['raw_ratio']:.2f} {'' if r['met_raw'] else '**not met**'} |"
            )
    if "import" in jobs:
        imp, cert, sar = jobs["import"], jobs["certificates"], jobs["subject_access"]
        out += [
            "",
            "## Jobs",
            "",
            f"Command: `{cmd}`. The import and the export run inside a transaction rolled back"
            " afterwards, so the dataset stays the same from run to run (no commit at the end).",
            "",
            "| job | figure | target | |",
            "|---|---:|---:|---|",
            f"| class-list import, {imp['rows']:,} rows in {imp['files']} files of up to 2,000"
            " (the most one file may hold), uploaded, previewed, confirmed and applied by the"
            " real task (immediate backend) through the pages, as the coordinator"
            f" | {imp['seconds']} s (upload+preview {imp['upload and preview']} s,"
            f" confirm+apply {imp['confirm and apply']} s) | ≤ 3 s | {yes(imp['met'])} |",
            f"| {cert['count']} certificates in one PDF (`bench/certificates.py`'s path:"
            " awards.services.certificate_content + awards.pdf.render), median of"
            f" {cert['runs']} | {cert['median_s']} s (worst {cert['worst_s']} s) | ≤ 1 s"
            f" | {yes(cert['met'])} |",
            f"| subject-access export, JSON, of a child with"
            f" {', '.join(f'{v} {k}' for k, v in sar['history'].items())}"
            f" | {sar['json']['median_ms']} ms (p95 {sar['json']['p95_ms']}, {sar['json']['bytes']:,}"
            " bytes) | report | |",
            f"| the same, PDF | {sar['pdf']['median_ms']} ms (p95 {sar['pdf']['p95_ms']},"
            f" {sar['pdf']['bytes']:,} bytes) | report | |",
        ]
    out += [
        "",
        # The section brings its own heading (bench/load.py writes it).
        keep_section(old, LOADTEST_START, LOADTEST_END, LOADTEST_PLACEHOLDER),
        "",
        "## Notes",
        "",
        keep_section(old, NOTES_START, NOTES_END, NOTES_PLACEHOLDER),
        "",
    ]
    return "\n".join(out)


def machine_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            db_version = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            db_version = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "db_version": db_version,
    }


def commit() -> str:
    try:
        git = shutil.which("git") or "git"
        found = subprocess.run(  # noqa: S603 # nosec B603
            [git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=PROJECT_DIR
        )
        dirty = subprocess.run(  # noqa: S603 # nosec B603
            [git, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=PROJECT_DIR,
        )
        return found.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def load_average() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def prepare_django():
    """Settings the harness needs in its own process: the floor's URLconf, the test Client's
    host, and no tracebacks logged for the expected 403s."""
    import logging

    from django.conf import settings

    settings.ROOT_URLCONF = "bench_urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for name in ("django.request", "minipolice.request", "django_tasks"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def bench(args, compare_counts=None, log=print) -> dict:
    """Everything after Django is set up and the dataset is there."""
    load_before = load_average()
    users, objects, who = world()
    for role in ROLES:
        log(f"  {role:<12} {who[role]}")
    pages = run_pages(
        users, objects, args.repetitions, args.budget, getattr(args, "warmup", 2), log=log
    )
    jobs = {}
    if not args.skip_jobs:
        jobs["import"] = class_list_import(users, objects, rows=args.import_rows)
        log(f"class-list import: {jobs['import']}")
        jobs["certificates"] = certificates(args.certificates, runs=args.certificate_runs)
        log(f"certificates: {jobs['certificates']}")
        jobs["subject_access"] = subject_access(users, objects, getattr(args, "sar_runs", 5))
        log(f"subject access: {jobs['subject_access']}")
    from django.db import connection

    settings = connection.settings_dict
    database = (
        f"SQLite `{Path(settings['NAME']).relative_to(PROJECT_DIR)}`"
        if connection.vendor == "sqlite" and str(settings["NAME"]).startswith(str(PROJECT_DIR))
        else f"{connection.vendor} `{settings['NAME']}`"
    )
    return {
        "scale": args.scale,
        "compare_scale": args.compare_scale,
        "command": args.command,
        "database": database,
        "dataset_status": args.dataset_status,
        "dataset": dataset_size(),
        "repetitions": args.repetitions,
        "measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "commit": commit(),
        "machine": machine_info(),
        "load_before": load_before,
        "load_after": load_average(),
        "who": who,
        "pages": pages,
        "compare_counts": compare_counts or {},
        "jobs": jobs,
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scale", default="national", choices=["national", "small", "tiny"])
    p.add_argument("-n", "--repetitions", type=int, default=20)
    p.add_argument("--budget", type=float, default=15, help="seconds per page at most")
    p.add_argument("--compare-scale", help="default: small for national, tiny for small")
    p.add_argument("--output", default=str(RESULTS))
    p.add_argument("--skip-jobs", action="store_true", help="pages only")
    p.add_argument("--import-rows", type=int, default=10_000)
    p.add_argument("--certificates", type=int, default=150)
    p.add_argument("--certificate-runs", type=int, default=5)
    p.add_argument("--counts-only", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--json", help="also write the figures as JSON here")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    args.compare_scale = args.compare_scale or COMPARE_WITH[args.scale]
    os.environ.setdefault("DATABASE_URL", default_database_url(args.scale))
    ensure_postgres_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(BENCH_DIR))
    from setup_django import setup

    database = setup()
    prepare_django()
    print(f"Database: {database} ({args.scale})", flush=True)
    args.dataset_status = ensure_dataset(args.scale)
    print(args.dataset_status, flush=True)
    if args.counts_only:
        users, objects, _ = world()
        Path(args.json).write_text(json.dumps(count_pages(users, objects), indent=1))
        return 0
    parts = [f"make bench SCALE={args.scale}" if args.scale != "national" else "make bench"]
    if os.environ["DATABASE_URL"].startswith("postgres"):
        parts.insert(0, "DATABASE_URL=postgres://…/" + os.environ["DATABASE_URL"].rsplit("/", 1)[1])
    extra = [
        a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("--scale", args.scale)
    ]
    if extra:
        parts.append(f'BENCH_ARGS="{" ".join(extra)}"')
    args.command = " ".join(parts)
    counts = compare_counts_in_child(args.compare_scale)
    report = bench(args, compare_counts=counts)
    output = Path(args.output)
    old = output.read_text() if output.exists() else ""
    output.write_text(render(report, old))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str))
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
