"""Helper of bench/loadtest.sh (`make loadtest`): the steps that need Django. From the root:

    python bench/load.py database SCALE      (make DATABASE_URL's database if it is missing,
                                              generate the SCALE dataset into it if it is empty,
                                              else migrate it)
    python bench/load.py accounts USERS OUT  (credentials for USERS simulated users, to OUT)
    python bench/load.py report SUMMARY.json ACCOUNTS.json RESULTS.md
                                             (the figures locustfile.py wrote, and the run's
                                              LOAD_* variables, into RESULTS.md's loadtest
                                              section between its two marker lines)

`accounts` runs with the production settings the server uses (the password hashes are
Argon2's), on the bench dataset only. For each role of `plan(USERS)` it takes distinct people
from the dataset and gives each one what they would have on a real Monday morning:

- leaders: a known password and an authenticator app (TOTP secret), and a session of their
  current cohort today with an empty register (made through delivery.services.add_session
  where the generator gave none);
- coordinators (force coordinators, then area leads): a password and an authenticator app;
- guardians: an unused sign-in link, as the portal emails it (only its hash is stored);
- partners: an API token of a force coordinator, as `manage.py create_api_token` makes it.

Each simulated user signs in once and keeps their session, as a browser does: no sign-in is
repeated, so allauth's rate limits (per client address, which each simulated user has its own
of in X-Forwarded-For, as the proxy would send) and django-axes (failures only) are never
reached. Attempts and rate-limit counts of earlier runs are cleared first. When the dataset has
too few people of a role (the `small` scale), extra accounts are made in the same places
("Load leader 001", ...), because one account cannot sign in twice with the same code.

The secrets go to OUT (mode 600), read by bench/locustfile.py; they open the bench dataset
only. Nothing here prints a secret or a child's name.
"""

import datetime
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

# The share of simulated users per role. 100 users: 40 leaders, 30 guardians, 20 coordinators
# and 10 partner scripts. Every role has at least one user, whatever the total.
WEIGHTS = {"leader": 4, "guardian": 3, "coordinator": 2, "partner": 1}
START = "<!-- loadtest:start -->"
END = "<!-- loadtest:end -->"


def plan(users: int) -> dict[str, int]:
    """How many simulated users of each role make `users` (largest remainder, at least 1)."""
    total = sum(WEIGHTS.values())
    users = max(users, len(WEIGHTS))
    counts = {role: max(1, users * w // total) for role, w in WEIGHTS.items()}
    order = sorted(WEIGHTS, key=lambda r: (-(users * WEIGHTS[r] % total), list(WEIGHTS).index(r)))
    i = 0
    while sum(counts.values()) < users:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts.values()) > users:
        role = max(counts, key=lambda r: counts[r])
        counts[role] -= 1
    return counts


# The database ---------------------------------------------------------------------------------
def database(scale: str) -> None:
    import psycopg

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    if not (url.scheme.startswith("postgres") and re.fullmatch(r"[a-z0-9_]+", name or "")):
        raise SystemExit(f"DATABASE_URL must be postgres://…/name, not {url.scheme}://…/{name}")
    maintenance = urllib.parse.urlunsplit(url._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"load: created database {name}")
    with psycopg.connect(urllib.parse.urlunsplit(url._replace(scheme="postgresql"))) as db:
        has_forces = db.execute("SELECT to_regclass('organisations_force') IS NOT NULL").fetchone()[
            0
        ]
        forces = has_forces and db.execute("SELECT count(*) FROM organisations_force").fetchone()[0]
    # The generator's own settings (test settings: fast hashes for its users, who are never
    # signed in as they are; `accounts` gives the load users real ones).
    env = {**os.environ, "MINIPOLICE_TESTING": "true"}
    env.pop("DEBUG", None)
    py = sys.executable
    if forces:
        expected = {"small": 3, "national": 43}.get(scale)
        if expected and forces != expected:
            raise SystemExit(
                f"{name} holds a dataset of {forces} forces, not the {scale} scale's {expected}: "
                "point DATABASE_URL at another database, or drop this one."
            )
        print(f"load: {name} already holds the {scale} dataset ({forces} forces); migrating")
        subprocess.run(  # noqa: S603 - our own manage.py
            [py, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        return
    print(f"load: generating the {scale} dataset into {name} (a few minutes at national scale)")
    subprocess.run(  # noqa: S603 - our own generator
        [py, "bench/generate.py", "--scale", scale], cwd=ROOT, env=env, check=True
    )


# The accounts ---------------------------------------------------------------------------------
def _password() -> str:
    return secrets.token_urlsafe(18)


def _authenticator(user) -> str:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _staff(user) -> dict:
    password = _password()
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return {"email": user.email, "password": password, "totp_secret": _authenticator(user)}


def _client_ip(n: int) -> str:
    """Each simulated user's own address, as the proxy reports it in X-Forwarded-For."""
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 or 1}"


def _todays_session(leader, cohort, today):
    """The cohort's session today, with an empty register (the generator's or a new one)."""
    from minipolice.delivery import services
    from minipolice.delivery.models import Attendance, Session

    session = (
        Session.objects.filter(cohort=cohort, date=today, status="planned").order_by("pk").first()
    )
    if session is None:
        session = services.add_session(
            acting_user=leader,
            cohort=cohort,
            date=today,
            start_time=datetime.time(9, 0),
            minutes=60,
            place="School hall",
        )
    Attendance.objects.filter(session=session).delete()  # 9:00 on Monday: nobody marked yet
    return session


def _leaders(count: int, today) -> list[dict]:
    from minipolice.accounts.models import Role, RoleAssignment
    from minipolice.accounts.permissions import Perm
    from minipolice.accounts.scoping import get_scope
    from minipolice.accounts.services import assign_role, create_user
    from minipolice.delivery.selectors import visible_sessions
    from minipolice.organisations.models import Cohort
    from minipolice.people.models import SafeguardingTraining, Vetting

    def current_cohort(unit_id):
        return (
            Cohort.objects.filter(unit_id=unit_id, start_date__lte=today, end_date__gte=today)
            .filter(enrolments__left__isnull=True)
            .distinct()
            .order_by("pk")
            .first()
        )

    def may_take(user, session) -> bool:
        found = visible_sessions(user, Perm.REGISTER_TAKE).filter(pk=session.pk).first()
        return found is not None and get_scope(user).can(Perm.CHILDREN_READ, found.cohort)

    picked, units = [], []
    assignments = (
        RoleAssignment.objects.filter(role=Role.UNIT_LEADER, unit__isnull=False)
        .select_related("user", "unit")
        .order_by("unit__school__area__force_id", "pk")
    )
    # Round the forces, so that at national scale the load users are spread over them.
    by_force: dict[int, list] = {}
    for a in assignments:
        by_force.setdefault(a.unit.school.area.force_id, []).append(a)
    queues = list(by_force.values())
    seen = set()
    while len(picked) < count and any(queues):
        for queue in queues:
            if not queue or len(picked) >= count:
                continue
            a = queue.pop(0)
            if a.user_id in seen:
                continue
            cohort = current_cohort(a.unit_id)
            if cohort is None:
                continue
            session = _todays_session(a.user, cohort, today)
            units.append((a.unit, cohort, session))
            if not may_take(a.user, session):
                continue  # lapsed vetting or training: they could not open the register
            seen.add(a.user_id)
            picked.append((a.user, session))
    # Too few in the dataset: more leaders for the same units, cleared, as a unit often has.
    n = 0
    while len(picked) < count and units:
        unit, cohort, session = units[n % len(units)]
        n += 1
        email = f"load-leader-{n:03d}@example.org"
        from minipolice.accounts.models import User

        user = User.objects.filter(email=email).first()
        if user is None:
            user = create_user(acting_user=None, email=email, full_name=f"Load leader {n:03d}")
            assign_role(acting_user=None, user=user, role=Role.UNIT_LEADER, unit=unit)
            Vetting.objects.create(
                user=user,
                level=Vetting.Level.values[0],
                granted=today - datetime.timedelta(days=100),
                expires=today + datetime.timedelta(days=900),
            )
            SafeguardingTraining.objects.create(
                user=user,
                completed=today - datetime.timedelta(days=100),
                expires=today + datetime.timedelta(days=600),
            )
        if may_take(user, session):
            picked.append((user, session))
        elif n > count * 3:
            break
    if len(picked) < count:
        raise SystemExit(f"only {len(picked)} leaders could take a register today, not {count}")
    return [{**_staff(user), "session": session.pk} for user, session in picked]


def _coordinators(count: int) -> list[dict]:
    from minipolice.accounts.models import Role, RoleAssignment, User
    from minipolice.accounts.services import assign_role, create_user
    from minipolice.organisations.models import Area, Cohort, Force

    today = datetime.date.today()
    found = list(
        RoleAssignment.objects.filter(role__in=[Role.FORCE_COORDINATOR, Role.AREA_LEAD])
        .select_related("user", "area")
        .order_by("-role", "pk")  # force coordinators (f...) before area leads (a...)
    )
    found.sort(key=lambda a: a.role != Role.FORCE_COORDINATOR)
    chosen, seen = [], set()
    for a in found:
        if a.user_id not in seen and len(chosen) < count:
            seen.add(a.user_id)
            chosen.append(a)
    forces = sorted({a.force_id for a in found if a.force_id})
    n = 0
    while len(chosen) < count:  # more coordinators for the same forces
        n += 1
        email = f"load-coordinator-{n:03d}@example.org"
        user = User.objects.filter(email=email).first()
        force_id = forces[n % len(forces)]
        if user is None:
            user = create_user(acting_user=None, email=email, full_name=f"Load coordinator {n:03d}")
            assign_role(
                acting_user=None,
                user=user,
                role=Role.FORCE_COORDINATOR,
                force=Force.objects.get(pk=force_id),
            )
        chosen.append(RoleAssignment.objects.filter(user=user).select_related("area").first())
    out = []
    for a in chosen:
        if a.role == Role.FORCE_COORDINATOR:
            force_id = a.force_id
            areas = list(
                Area.objects.filter(force_id=force_id).order_by("pk").values_list("pk", flat=True)
            )
        else:
            force_id, areas = None, [a.area_id]
        cohorts = Cohort.objects.filter(start_date__lte=today, end_date__gte=today)
        if force_id:
            cohorts = cohorts.filter(unit__school__area__force_id=force_id)
        else:
            cohorts = cohorts.filter(unit__school__area_id=a.area_id)
        out.append(
            {
                **_staff(a.user),
                "force": force_id,
                "areas": areas,
                "cohorts": list(cohorts.order_by("pk").values_list("pk", flat=True)[:10]),
            }
        )
    return out


def _guardians(count: int, today) -> list[dict]:
    from django.utils import timezone

    from minipolice.consent import portal
    from minipolice.consent.models import PortalToken
    from minipolice.people.models import Guardian

    guardians = (
        Guardian.objects.filter(
            anonymised_at__isnull=True,
            guardianships__child__enrolments__cohort__start_date__lte=today,
            guardianships__child__enrolments__cohort__end_date__gte=today,
            guardianships__child__enrolments__left__isnull=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    total = guardians.count()
    if total < count:
        raise SystemExit(f"only {total} guardians have a child in a cohort now, not {count}")
    step = max(1, total // count)  # spread over the forces
    now = timezone.now()
    out = []
    for guardian in list(guardians[: step * count : step])[:count]:
        raw, token_hash = portal.new_token()
        PortalToken.objects.create(
            guardian=guardian,
            token_hash=token_hash,
            created_at=now,
            expires_at=now + datetime.timedelta(hours=PortalToken.LIFETIME_HOURS),
        )
        out.append({"token": raw})
    return out


def _partners(count: int) -> list[dict]:
    from minipolice.accounts.models import Role, RoleAssignment
    from minipolice.api.models import ApiToken
    from minipolice.api.services import create_api_token

    coordinators = list(
        RoleAssignment.objects.filter(role=Role.FORCE_COORDINATOR)
        .select_related("user")
        .order_by("force_id", "pk")
    )
    ApiToken.objects.filter(name="loadtest").delete()  # the last run's
    out = []
    for n in range(count):
        a = coordinators[-1 - n % len(coordinators)]  # from the other end: not the web users
        _, raw = create_api_token(acting_user=None, user=a.user, name="loadtest")
        out.append({"token": raw, "force": a.force_id})
    return out


def make_accounts(users: int) -> dict:
    """The accounts for `users` simulated users (Django set up), as locustfile.py reads them."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.utils import timezone

    from minipolice.organisations.models import Force

    counts = plan(users)
    today = timezone.localdate()
    with transaction.atomic():
        AccessAttempt.objects.all().delete()
        AccessFailureLog.objects.all().delete()
        facts = {
            "users": sum(counts.values()),
            "plan": counts,
            "scale": "national" if Force.objects.count() >= 43 else "small",
            "today": today.isoformat(),
            "postgres": ".".join(str(connection.pg_version // 10000**i % 10000) for i in (1, 0))
            if connection.vendor == "postgresql"
            else connection.vendor,
            "leader": _leaders(counts["leader"], today),
            "coordinator": _coordinators(counts["coordinator"]),
            "guardian": _guardians(counts["guardian"], today),
            "partner": _partners(counts["partner"]),
        }
    cache.clear()  # allauth's rate-limit counts and used codes of earlier runs
    n = 0
    for role in WEIGHTS:
        for account in facts[role]:
            n += 1
            account["ip"] = _client_ip(n)
    return facts


def accounts(users: int, out: Path) -> None:
    import django

    django.setup()
    facts = make_accounts(users)
    out.write_text(json.dumps(facts, indent=1))
    out.chmod(0o600)
    print("load: accounts for " + ", ".join(f"{v} {k}s" for k, v in facts["plan"].items()))


# The report -----------------------------------------------------------------------------------
def _ms(value) -> str:
    return "-" if value is None else f"{float(value):,.0f}"


def report(summary_path: Path, accounts_path: Path, results: Path) -> int:
    """Writes the loadtest section of RESULTS.md; exit status 1 when a target is missed."""
    accounts = json.loads(accounts_path.read_text())
    summary = json.loads(summary_path.read_text())
    workers, threads = os.environ["LOAD_WORKERS"].split()
    facts = {
        **{k: accounts[k] for k in ("users", "plan", "scale", "postgres")},
        "date": datetime.datetime.now(datetime.UTC).strftime("%-d %b %Y %H:%M UTC"),
        "command": os.environ["LOAD_COMMAND"],
        "locust": os.environ["LOAD_LOCUST"],
        "spawn_rate": os.environ["LOAD_SPAWN_RATE"],
        "run_time": os.environ["LOAD_RUN_TIME"],
        "load_before": os.environ["LOAD_BEFORE"],
        "load_after": os.environ["LOAD_AFTER"],
    }
    total = summary["total"]
    lines = [
        START,
        "## Load test (`make loadtest`)",
        "",
        f"Run on {facts['date']} with `{facts['command']}` (bench/loadtest.sh).",
        "",
        f"- Dataset: `{facts['scale']}` scale (bench/generate.py), PostgreSQL "
        f"{facts['postgres']} on loopback.",
        f"- Server: gunicorn with deploy/gunicorn.conf.py, {workers} sync worker processes × "
        f"{threads} thread, DEBUG off, a random SECRET_KEY, collectstatic (WhiteNoise), the "
        "database cache, one JSON log line per request (LOG_LEVEL=INFO); no nginx: locust "
        "sends X-Forwarded-Proto and X-Forwarded-For as the proxy would.",
        f"- Load: locust {facts['locust']}, headless, {facts['users']} concurrent users "
        f"({', '.join(f'{v} {k}s' for k, v in facts['plan'].items())}), started at "
        f"{facts['spawn_rate']} a second, for {facts['run_time']}; each signs in once "
        "(password and authenticator code, or the portal link) and works at a person's pace.",
        f"- Machine: {os.cpu_count()} cores, shared with other agents' work at the same time "
        f"(load average {facts['load_before']} before, {facts['load_after']} after); locust "
        "itself ran on the same cores as gunicorn and PostgreSQL.",
        "",
        "Two sets of figures: the whole run, and (on the right) only the requests made after "
        "the last user had signed in, when everyone is at work. Times are as locust saw them "
        "(from the request sent to the whole response read), in milliseconds.",
        "",
        "| request | requests | failures | req/s | p50 | p95 | p99 | max "
        "| after sign-in: requests | p50 | p95 | p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    steady = summary["steady"]
    rows = [*summary["requests"], {**total, "method": "", "name": "**all requests**"}]
    for r in rows:
        after = steady.get(f"{r['method']} {r['name']}", {})
        if not r["method"]:
            after = summary["steady_total"]
        lines.append(
            f"| {r['method']} {r['name']} | {r['requests']:,} | {r['failures']:,} "
            f"| {r['rps']:.1f} | {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} "
            f"| {_ms(r['max'])} | {after.get('requests', 0):,} | {_ms(after.get('p50'))} "
            f"| {_ms(after.get('p95'))} | {_ms(after.get('p99'))} |".replace("|  ", "| ")
        )
    errors = total["failures"] + sum(e["count"] for e in summary["exceptions"])
    work = summary["steady_total"]
    over = [f"{r['method']} {r['name']}" for r in summary["requests"] if (r["p95"] or 0) > 100]
    met = errors == 0 and (total["p95"] or 0) <= 100 and int(facts["users"]) >= 100
    lines += [
        "",
        f"Whole run: {total['rps']:.1f} requests/s, p50 {_ms(total['p50'])} ms, p95 "
        f"{_ms(total['p95'])} ms, p99 {_ms(total['p99'])} ms; {errors} errors in "
        f"{total['requests']:,} requests. After the last sign-in: {work['rps']:.1f} requests/s, "
        f"p50 {_ms(work['p50'])} ms, p95 {_ms(work['p95'])} ms, p99 {_ms(work['p99'])} ms over "
        f"{work['requests']:,} requests. Target (100 users, 0 errors, p95 ≤ 100 ms over the "
        "whole run): " + ("**met**." if met else "**not met**."),
    ]
    web0, db0, web1, db1 = (float(x) for x in os.environ.get("LOAD_CPU", "0 0 0 0").split())
    if total["requests"] and web1 > web0:
        web, db = (web1 - web0) * 1000 / total["requests"], (db1 - db0) * 1000 / total["requests"]
        lines.append(
            f"Server CPU per request (bench/cpu_seconds.py): {web + db:.0f} ms ({web:.0f} ms in "
            f"gunicorn, {db:.0f} ms in PostgreSQL), sign-ins included; {os.cpu_count()} cores "
            f"to themselves would serve about {os.cpu_count() * 1000 / (web + db):.0f} such "
            "requests a second."
        )
    if over:
        lines.append(
            "Request types whose p95 over the whole run is above 100 ms: "
            + ", ".join(f"`{o}`" for o in over)
            + "."
        )
    if summary["failures"] or summary["exceptions"]:
        lines += ["", "| failure | occurrences |", "|---|---:|"]
        for f in summary["failures"]:
            lines.append(f"| {f['method']} {f['name']}: {f['error'][:120]} | {f['occurrences']} |")
        for e in summary["exceptions"]:
            lines.append(f"| exception: {e['msg'][:120]} | {e['count']} |")
    notes = BENCH / "loadtest-notes.md"  # what the figures mean, kept by hand
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    lines.append(END)
    section = "\n".join(lines) + "\n"
    text = results.read_text() if results.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    results.write_text(text)
    print(section)
    return 0 if met else 1


def main(argv: list[str]) -> int:
    match argv:
        case ["database", scale]:
            database(scale)
        case ["accounts", users, out]:
            accounts(int(users), Path(out))
        case ["report", summary, accounts_json, results]:
            return report(Path(summary), Path(accounts_json), Path(results))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
