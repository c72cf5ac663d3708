"""Helper of deploy/smoke.sh: the steps that need Python. Run from the project root.

    python deploy/smoke.py createdb | dropdb     (DATABASE_URL names the smoke database)
    python deploy/smoke.py setup OUT.json        (a force, a coordinator with an authenticator
                                                  app and an API token; their secrets to OUT)
    python deploy/smoke.py journey OUT.json URL  (what the coordinator does, over real HTTP)

The journey talks HTTP to the gunicorn the script started, as a browser behind the reverse proxy
would (X-Forwarded-Proto: https, X-Forwarded-For), with a cookie jar of its own: the session and
CSRF cookies are Secure, and a stock jar would not send them over the loopback's plain HTTP.
Every failure raises SmokeFailure with what was expected; nothing here prints a secret.
"""

import datetime
import http.cookies
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for Django

EMAIL = "smoke-coordinator@example.org"
WAIT_FOR_TASK = 90  # seconds


class SmokeFailure(Exception):
    pass


def _expect(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


# The smoke database ---------------------------------------------------------------------------
def _database_urls() -> tuple[str, str]:
    """(the maintenance database's URL, the smoke database's name) from DATABASE_URL."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    _expect(url.scheme.startswith("postgres"), "DATABASE_URL must be a postgres:// URL")
    _expect(re.fullmatch(r"[a-z0-9_]+", name or ""), f"unexpected database name {name!r}")
    maintenance = urllib.parse.urlunsplit(url._replace(scheme="postgresql", path="/postgres"))
    return maintenance, name


def createdb() -> None:
    import psycopg

    maintenance, name = _database_urls()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"smoke: created database {name}")


def dropdb() -> None:
    import psycopg

    maintenance, name = _database_urls()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"smoke: dropped database {name}")


# The coordinator ------------------------------------------------------------------------------
def setup(out: Path) -> None:
    import secrets

    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command

    from minipolice.accounts.models import Role
    from minipolice.accounts.services import assign_role, create_user
    from minipolice.organisations import services as org

    force = org.create_force(acting_user=None, name="Smoke Test Police", short_name="smoke")
    password = secrets.token_urlsafe(18)
    user = create_user(
        acting_user=None, email=EMAIL, full_name="Smoke Coordinator", password=password
    )
    assign_role(acting_user=None, user=user, role=Role.FORCE_COORDINATOR, force=force)
    totp_secret = generate_totp_secret()
    TOTP.activate(user, totp_secret)

    # The token as an operator makes it: the command prints it once, on stdout.
    from io import StringIO

    stdout, stderr = StringIO(), StringIO()
    call_command("create_api_token", EMAIL, "--name", "smoke", stdout=stdout, stderr=stderr)
    token = stdout.getvalue().strip()
    _expect(token, "create_api_token printed no token")
    out.write_text(
        json.dumps(
            {
                "email": EMAIL,
                "password": password,
                "totp_secret": totp_secret,
                "force_id": force.pk,
                "token": token,
            }
        )
    )
    out.chmod(0o600)
    print("smoke: made a force, a coordinator with an authenticator app, and an API token")


# HTTP, as a browser behind the proxy ------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Browser:
    def __init__(self, base: str):
        _expect(base.startswith("http://127.0.0.1:"), f"{base!r} is not the loopback server")
        self.base = base.rstrip("/")
        self.host = urllib.parse.urlsplit(self.base).netloc
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None, headers=None) -> Response:
        url = self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = {
            "X-Forwarded-Proto": "https",  # as nginx says: TLS ended at the proxy
            "X-Forwarded-For": "127.0.0.1",
            "User-Agent": "minipolice-smoke",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the Origin of an HTTPS POST against the host.
            sent["Origin"] = f"https://{self.host}"
            sent["Referer"] = f"https://{self.host}{path}"
        # S310: the URL is http://127.0.0.1:PORT, checked in __init__; no file: or other scheme.
        req = urllib.request.Request(url, data=body, headers=sent, method=method)  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as answer:  # noqa: S310 - loopback, as above
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            response = Response(answer.code, answer.headers, answer.read())
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> Response:
        """GET the form, then POST it with its CSRF token, as a browser does."""
        page = self.get(path)
        _expect(page.status == 200, f"GET {path} answered {page.status}, not 200")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        _expect(found, f"no CSRF token in the form at {path}")
        return self.request("POST", path, data={"csrfmiddlewaretoken": found.group(1), **data})


def _location(response: Response) -> str:
    return urllib.parse.urlsplit(response.headers.get("Location", "")).path


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = 30
    if period - time.time() % period < 3:  # let a code about to expire go by
        time.sleep(period - time.time() % period + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def journey(out: Path, base: str) -> None:
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from minipolice.reports.models import ImpactReport

    facts = json.loads(out.read_text())
    browser = Browser(base)

    # Sign in: email and password, then the code from the authenticator app.
    answer = browser.post_form(
        "/accounts/login/", {"login": facts["email"], "password": facts["password"]}
    )
    _expect(answer.status == 302, f"sign-in POST answered {answer.status}, not a redirect")
    _expect(
        _location(answer) == "/accounts/2fa/authenticate/",
        f"after the password the site sent us to {_location(answer)!r}, not the code page",
    )
    answer = browser.post_form(
        "/accounts/2fa/authenticate/", {"code": totp_code(facts["totp_secret"])}
    )
    _expect(answer.status == 302, f"the code was refused (answered {answer.status})")
    _expect("sessionid" in browser.cookies, "no session cookie after sign-in")
    home = browser.get(_location(answer) or "/")
    _expect(home.status == 200, f"the page after sign-in answered {home.status}")
    _expect("Sign out" in home.text, "the page after sign-in does not offer 'Sign out'")
    print("smoke: signed in over HTTP with password and authenticator code")

    # A page with figures: the force's dashboard (its static files come from collectstatic).
    dashboard = browser.get(f"/dashboards/forces/{facts['force_id']}/")
    _expect(dashboard.status == 200, f"the force dashboard answered {dashboard.status}")
    _expect("Children reached" in dashboard.text, "the dashboard shows no figures")
    css = re.search(r'href="(/static/[^"]+\.css)"', dashboard.text)
    _expect(css, "the page links no stylesheet under /static/")
    _expect(re.search(r"\.[0-9a-f]{12}\.css$", css.group(1)), "the stylesheet is not hashed")
    style = browser.get(css.group(1))
    _expect(style.status == 200, f"{css.group(1)} answered {style.status} (collectstatic?)")
    print("smoke: the dashboard and its hashed stylesheet are served")

    # The API with a token made by `manage.py create_api_token`.
    api = Browser(base)
    forces = api.get("/api/v1/forces", headers={"Authorization": f"Bearer {facts['token']}"})
    _expect(forces.status == 200, f"GET /api/v1/forces answered {forces.status}")
    _expect(forces.json()["count"] == 1, "the API does not list the coordinator's force")
    refused = api.get("/api/v1/forces", headers={"Authorization": "Bearer not-a-token"})
    _expect(refused.status == 401, f"a wrong token answered {refused.status}, not 401")
    print("smoke: the API answers a token and refuses a wrong one")

    # A background task: ask for the impact report; the task worker draws it.
    today = datetime.date.today()
    start = today - datetime.timedelta(days=180)
    period = {
        "start_0": start.day, "start_1": start.month, "start_2": start.year,
        "end_0": today.day, "end_1": today.month, "end_2": today.year,
    }  # fmt: skip
    answer = browser.post_form(f"/dashboards/forces/{facts['force_id']}/report/", period)
    _expect(answer.status == 302, f"asking for the impact report answered {answer.status}")
    progress = _location(answer)
    _expect(re.fullmatch(r"/dashboards/reports/\d+/", progress), f"unexpected {progress!r}")
    report_id = int(progress.split("/")[-2])
    deadline = time.monotonic() + WAIT_FOR_TASK
    while True:
        page = browser.get(progress)
        _expect(page.status == 200, f"the report's progress page answered {page.status}")
        if f"/dashboards/reports/{report_id}/pdf/" in page.text:
            break
        status = ImpactReport.objects.values_list("status", flat=True).get(pk=report_id)
        _expect(status != ImpactReport.Status.FAILED, "the task worker says the report failed")
        _expect(time.monotonic() < deadline, f"the report was not drawn in {WAIT_FOR_TASK} s")
        time.sleep(1)
    pdf = browser.get(f"/dashboards/reports/{report_id}/pdf/")
    _expect(pdf.status == 200 and pdf.body.startswith(b"%PDF"), "the report's PDF did not download")

    report = ImpactReport.objects.get(pk=report_id)
    result = DBTaskResult.objects.get(id=report.task_id)
    _expect(result.status == "SUCCESSFUL", f"the task's result is {result.status}")
    _expect(result.finished_at is not None, "the task's result has no finish time")
    print(f"smoke: the worker ran the report task ({result.status}) and the PDF downloaded")

    for path in ("/healthz", "/readyz"):
        answer = browser.get(path)
        _expect(answer.status == 200, f"{path} answered {answer.status}: {answer.text[:300]}")
        _expect(answer.json()["status"] == "ok", f"{path} says {answer.text[:300]}")
    print("smoke: /healthz and /readyz answer 200")


# The restore drill ----------------------------------------------------------------------------
def fingerprint(out: Path) -> None:
    """Every table's row count and a hash of all its rows, and every media file's hash."""
    import hashlib

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 - catalogue names
            rows = cursor.fetchall()
            tables[table] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
    media = Path(settings.MEDIA_ROOT)
    files = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    out.write_text(json.dumps({"tables": tables, "files": files}, indent=1, sort_keys=True))
    rows = sum(count for count, _ in tables.values())
    print(f"smoke: {len(tables)} tables, {rows} rows, {len(files)} media files")


def main(argv: list[str]) -> int:
    try:
        match argv:
            case ["createdb"]:
                createdb()
            case ["dropdb"]:
                dropdb()
            case ["setup", out]:
                setup(Path(out))
            case ["journey", out, base]:
                journey(Path(out), base)
            case ["fingerprint", out]:
                fingerprint(Path(out))
            case _:
                print(__doc__, file=sys.stderr)
                return 2
    except SmokeFailure as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
