"""The load test's users (locust): one class per role, each doing that role's real work.

    LOADTEST_ACCOUNTS=accounts.json locust -f bench/locustfile.py --headless --host URL ...

`make loadtest` (bench/loadtest.sh) runs it against gunicorn; accounts.json comes from
`bench/load.py accounts`, which says how many users of each role there are (`fixed_count`
below follows it). Each simulated user signs in once, as a person does at the start of the day,
and keeps their session (cookie) for the rest of the run:

- LeaderUser: a PCSO taking today's register on a phone. Home page, the register, then one tap
  per child, the same POST the page's htmx makes (`HX-Request: true`, the form's CSRF token,
  the button's `status`), a second or two apart; "finish register" at the end; then the next
  class.
- GuardianUser: a parent who followed the emailed sign-in link (the button page, then its
  POST), then reads their portal and answers their child's consents.
- CoordinatorUser: a force coordinator or area lead: home, their dashboards, lists of units,
  children (and a search), cohorts, guardians, a cohort's consent board.
- PartnerUser: a force's script calling the API with a Bearer token, a page at a time.

Every request goes as the reverse proxy would pass it (X-Forwarded-Proto: https, the user's
own X-Forwarded-For), and a request counts as failed unless it answers what a person would get
(the status, and on pages a word that only the right page has). Request names are URL patterns
(`/sessions/[id]/`), so the statistics group by page, not by row.
"""

import contextlib
import hashlib
import hmac
import http.cookies
import json
import os
import random
import re
import struct
import time
from base64 import b32decode
from urllib.parse import urlencode, urlsplit

import gevent
from gevent.lock import Semaphore
from locust import FastHttpUser, between, events, task
from locust.stats import RequestStats

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"]).read())  # noqa: SIM115, PTH123
ALL_ACCOUNTS = {k: list(v) if isinstance(v, list) else v for k, v in ACCOUNTS.items()}
ROLES = ("leader", "guardian", "coordinator", "partner")
# How fast people work: LOADTEST_PACE=0 (the quick self-test) removes the waits between
# actions; 1 is a person's pace.
PACE = float(os.environ.get("LOADTEST_PACE", "1"))
# LOADTEST_ONCE=1 (the self-test, tests/test_loadtest.py): each user signs in, does each of its
# tasks once, and the run ends when every user has.
ONCE = bool(os.environ.get("LOADTEST_ONCE"))
# LOADTEST_SERIAL=1 (the self-test, whose server shares one SQLite connection between its
# threads): one request in flight at a time, across all users.
IN_FLIGHT = Semaphore(1) if os.environ.get("LOADTEST_SERIAL") else contextlib.nullcontext()
RUN = {}  # the environment, and the second statistics (below)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(secret: str, at: float | None = None) -> str:
    """The authenticator app's code (RFC 6238: HMAC-SHA1, 30 s, 6 digits), as allauth checks."""
    counter = int(at if at is not None else time.time()) // 30
    digest = hmac.new(b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1)
    mac = digest.digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def pause(low: float, high: float) -> None:
    if PACE:
        time.sleep(random.uniform(low, high) * PACE)  # gevent's sleep: other users go on


def paced(low: float, high: float):
    wait = between(low * PACE, high * PACE)
    return lambda user: wait(user) if PACE else 0


class Person(FastHttpUser):
    """A browser behind the reverse proxy, signed in as one account of `role`."""

    abstract = True
    role = ""
    # Keep-alive connections like a browser's; a single one per user.
    concurrency = 1
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self):
        # Our own cookie jar, as deploy/smoke.py keeps: the session and CSRF cookies are Secure
        # (TLS ends at the proxy), and the stock jar would not send them over plain loopback.
        self.client.client.cookiejar = None
        self.cookies: dict[str, str] = {}
        queue = ACCOUNTS[self.role]
        if not queue:
            raise RuntimeError(f"more {self.role} users than accounts: run load.py accounts again")
        self.account = queue.pop(0)
        host = urlsplit(self.host).netloc
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.account["ip"],
            "User-Agent": f"minipolice-loadtest ({self.role})",
        }
        self.post_headers = {
            **self.headers,
            "Origin": f"https://{host}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        try:
            self.sign_in()
        finally:  # signed in, or given up: the "after sign-in" figures start after the last
            Person.signed_in += 1
            if Person.signed_in == sum(len(ALL_ACCOUNTS[role]) for role in ROLES):
                RUN["steady"] = RequestStats()  # from now on, everyone is at work
        if ONCE:
            for task_function in dict.fromkeys(self.tasks):  # each once, in the class's order
                task_function(self)
            Person.finished += 1
            if Person.finished == sum(len(ALL_ACCOUNTS[role]) for role in ROLES):
                gevent.spawn(self.environment.runner.quit)  # not from this user: it stops users
            while True:  # the others are still working: wait for the end
                time.sleep(1)

    finished = 0
    signed_in = 0

    def sign_in(self):
        raise NotImplementedError

    # Requests, each checked as a person would check the page --------------------------------
    def get(self, path: str, name: str, *, expect: int = 200, contains: str = "", headers=None):
        return self._send(
            "GET", path, name, None, {**self.headers, **(headers or {})}, expect, contains
        )

    def post(
        self, path: str, data, name: str, *, expect: int = 302, contains: str = "", headers=None
    ):
        referer = f"https://{urlsplit(self.host).netloc}{path}"
        sent = {**self.post_headers, "Referer": referer, **(headers or {})}
        return self._send("POST", path, name, urlencode(data, doseq=True), sent, expect, contains)

    def _send(self, method, path, name, body, headers, expect, contains):
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        with (
            IN_FLIGHT,
            self.client.request(
                method,
                path,
                data=body,
                name=name,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response,
        ):
            for header in response.headers.getlist("set-cookie") if response.headers else []:
                jar = http.cookies.SimpleCookie()
                jar.load(header)
                for key, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            self._check(response, expect, contains)
            return response

    @staticmethod
    def _check(response, expect: int, contains: str):
        if response.status_code != expect:
            where = response.headers.get("Location", "") if response.headers else ""
            response.failure(f"answered {response.status_code}, not {expect} {where}".strip())
        elif contains and contains not in (response.text or ""):
            response.failure(f"the page does not say {contains!r}")
        else:
            response.success()

    @staticmethod
    def csrf(response) -> str:
        found = CSRF.search(response.text or "")
        return found.group(1) if found else ""

    def staff_sign_in(self):
        """Email and password, then the code from the authenticator app (password + TOTP)."""
        page = self.get("/accounts/login/", "sign in: form", contains="csrfmiddlewaretoken")
        answer = self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf(page),
                "login": self.account["email"],
                "password": self.account["password"],
            },
            "sign in: password",
        )
        if answer.headers.get("Location", "").rstrip("/").split("/")[-1] != "authenticate":
            raise RuntimeError(f"{self.role}: the password was not accepted")
        # A code about to expire would be refused when it arrives (allauth allows no drift, and
        # a busy server can take seconds to answer): wait for the next one, as people do.
        if 30 - time.time() % 30 < (10 if PACE else 2):
            time.sleep(30 - time.time() % 30 + 0.2)
        page = self.get("/accounts/2fa/authenticate/", "sign in: code form", contains="code")
        answer = self.post(
            "/accounts/2fa/authenticate/",
            {"csrfmiddlewaretoken": self.csrf(page), "code": totp(self.account["totp_secret"])},
            "sign in: code",
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.role}: the authenticator code was refused")


class LeaderUser(Person):
    """A unit leader (PCSO) taking today's register, one tap per child."""

    role = "leader"
    fixed_count = len(ACCOUNTS["leader"])
    wait_time = paced(20, 60)  # between two registers: the next class, or a second look

    def sign_in(self):
        self.staff_sign_in()

    @task
    def take_register(self):
        session = self.account["session"]
        self.get("/", "/ (home)", contains="Sign out")
        page = self.get(
            f"/sessions/{session}/", "/sessions/[id]/ (register)", contains="mp-register"
        )
        token = self.csrf(page)
        rows = re.findall(
            rf'action="/sessions/{session}/register/(\d+)/"(.*?)</form>', page.text or "", re.S
        )
        path_name = "/sessions/[id]/register/[child]/ (htmx tap)"
        for child, form in rows:
            # Present if the page allows it (participation consent), otherwise absent.
            present_button = re.search(rf'id="mark-{child}-present"[^>]*>', form)
            allowed = present_button and "disabled" not in present_button.group(0)
            status = "present" if allowed and random.random() < 0.9 else "absent"
            pause(1, 3)  # finding the child, tapping
            self.post(
                f"/sessions/{session}/register/{child}/",
                {"csrfmiddlewaretoken": token, "status": status},
                path_name,
                expect=200,
                contains="register-summary",
                headers={
                    "HX-Request": "true",
                    "HX-Current-URL": f"https://{urlsplit(self.host).netloc}/sessions/{session}/",
                    "HX-Target": f"child-{child}",
                },
            )
        pause(2, 5)
        confirm = self.get(
            f"/sessions/{session}/register/finish/confirm/",
            "/sessions/[id]/register/finish/confirm/",
        )
        self.post(
            f"/sessions/{session}/register/finish/",
            {"csrfmiddlewaretoken": self.csrf(confirm) or token},
            "/sessions/[id]/register/finish/",
        )
        self.get(f"/sessions/{session}/", "/sessions/[id]/ (register)", contains="mp-register")


class GuardianUser(Person):
    """A parent in the portal, signed in by the emailed link, answering consents."""

    role = "guardian"
    fixed_count = len(ACCOUNTS["guardian"])
    wait_time = paced(20, 60)

    def sign_in(self):
        link = f"/portal/sign-in/{self.account['token']}/"
        page = self.get(link, "/portal/sign-in/[token]/", contains="csrfmiddlewaretoken")
        self.post(link, {"csrfmiddlewaretoken": self.csrf(page)}, "/portal/sign-in/[token]/")
        home = self.get("/portal/", "/portal/")
        self.children = sorted(set(re.findall(r'href="/portal/children/(\d+)/"', home.text or "")))
        if not self.children:
            raise RuntimeError("guardian: the portal lists no child")

    @task
    def answer_consents(self):
        child = random.choice(self.children)
        path = f"/portal/children/{child}/"
        page = self.get(path, "/portal/children/[id]/", contains="participation")
        pause(5, 15)  # reading the questions
        trips = sorted(set(re.findall(r'name="(trip_\d+)"', page.text or "")))
        media = random.random() < 0.7
        answers = {
            "csrfmiddlewaretoken": self.csrf(page),
            "participation": "yes",
            "media": "yes" if media else "no",
            "media_uses": ["internal", "school_newsletter"] if media else [],
            **{trip: random.choice(["yes", "no"]) for trip in trips},
        }
        self.post(path, answers, "/portal/children/[id]/")
        self.get("/portal/", "/portal/", contains="Thank you")


class CoordinatorUser(Person):
    """A force coordinator or an area lead: dashboards and lists."""

    role = "coordinator"
    fixed_count = len(ACCOUNTS["coordinator"])
    wait_time = paced(5, 15)

    def sign_in(self):
        self.staff_sign_in()

    @task(2)
    def home(self):
        self.get("/", "/ (home)", contains="Sign out")

    @task(3)
    def dashboard(self):
        pages = [
            (f"/dashboards/areas/{a}/", "/dashboards/areas/[id]/") for a in self.account["areas"]
        ]
        if self.account["force"]:
            force = (f"/dashboards/forces/{self.account['force']}/", "/dashboards/forces/[id]/")
            pages = [force] * len(pages) + pages  # the force's as often as all its areas'
        for path, name in pages[:1] + pages[-1:] if ONCE else [random.choice(pages)]:
            self.get(path, name, contains="Children reached")

    @task(2)
    def units(self):
        self.get("/units/", "/units/")
        self.get("/units/?page=2", "/units/?page=[n]")

    @task(2)
    def children(self):
        self.get("/children/", "/children/")
        self.get(f"/children/?q={random.choice('aeiou')}", "/children/?q=[text]")

    @task(1)
    def cohorts(self):
        self.get("/cohorts/", "/cohorts/")

    @task(1)
    def guardians(self):
        self.get("/guardians/", "/guardians/")

    @task(2)
    def consent_board(self):
        if self.account["cohorts"]:
            cohort = random.choice(self.account["cohorts"])
            self.get(f"/consent/cohorts/{cohort}/", "/consent/cohorts/[id]/")


class PartnerUser(Person):
    """A force's script reading the API with its token, a page at a time."""

    role = "partner"
    fixed_count = len(ACCOUNTS["partner"])
    wait_time = paced(1, 5)

    def sign_in(self):
        self.headers["Authorization"] = f"Bearer {self.account['token']}"

    def api(self, path: str, name: str):
        response = self.get(path, name, headers={"Accept": "application/json"})
        try:
            return response.json()
        except ValueError:
            return {}

    @task(3)
    def page_through(self):
        kind = random.choice(["units", "children", "cohorts", "consents", "sessions"])
        first = self.api(f"/api/v1/{kind}?limit=100", f"/api/v1/{kind}")
        pages = max(1, -(-int(first.get("count", 0)) // 100))
        offset = 100 * random.randrange(pages)
        self.api(f"/api/v1/{kind}?limit=100&offset={offset}", f"/api/v1/{kind}?offset=[n]")

    @task(1)
    def summary(self):
        today = ACCOUNTS["today"]
        start = f"{int(today[:4]) - (today[5:7] < '09')}-09-01"
        self.api(
            f"/api/v1/reports/summary?force={self.account['force']}&from={start}&to={today}",
            "/api/v1/reports/summary",
        )


@events.request.add_listener
def _after_sign_in(request_type, name, response_time, response_length, exception=None, **kwargs):
    """The same figures again for the requests made once the last user had signed in."""
    steady = RUN.get("steady")
    if steady is not None:
        steady.log_request(request_type, name, response_time, response_length)
        if exception is not None:
            steady.log_error(request_type, name, exception)


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    RUN["environment"] = environment


@events.quit.add_listener
def _summary(**kwargs):
    """The run's figures, complete, to LOADTEST_SUMMARY (JSON) for bench/load.py's report.

    locust's --csv files are rewritten once a second, so a run that ends between two writes
    would lose its last requests; this is written after the last one."""
    path = os.environ.get("LOADTEST_SUMMARY")
    if not path:
        return
    environment = RUN["environment"]
    stats = environment.stats

    def row(entry):
        p = entry.get_response_time_percentile
        return {
            "method": entry.method or "",
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "p50": p(0.5),
            "p95": p(0.95),
            "p99": p(0.99),
            "max": entry.max_response_time,
        }

    entries = sorted(stats.entries.values(), key=lambda e: (e.name, e.method or ""))
    steady = RUN.get("steady") or RequestStats()
    summary = {
        "requests": [row(e) for e in entries],
        "total": row(stats.total),
        "steady": {f"{e.method} {e.name}": row(e) for e in steady.entries.values()},
        "steady_total": row(steady.total),
        "failures": [
            {
                "method": e.method,
                "name": e.name,
                "error": str(e.error),
                "occurrences": e.occurrences,
            }
            for e in stats.errors.values()
        ],
        "exceptions": [
            {"count": e["count"], "msg": e["msg"]} for e in environment.runner.exceptions.values()
        ],
    }
    with open(path, "w") as out:  # noqa: PTH123
        json.dump(summary, out, indent=1)
