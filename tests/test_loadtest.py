"""The load test cannot rot: bench/locustfile.py, run by locust for a few seconds against the
test server with one user of each role (accounts made by bench/load.py), must do every role's
work with no failed request. `make loadtest` itself (gunicorn, PostgreSQL, 2 minutes) is not run
here; this checks that its users still find the pages, forms and API they drive.

locust runs in its own process: it patches the standard library for gevent when imported.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCUST = Path(sys.executable).parent / "locust"
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402 - bench/load.py, found through the path above

# What each role's simulated user must have done (request names in locust's statistics).
EXPECTED = {
    "sign in: password",
    "sign in: code",
    "/ (home)",
    "/sessions/[id]/ (register)",
    "/sessions/[id]/register/[child]/ (htmx tap)",
    "/sessions/[id]/register/finish/",
    "/portal/sign-in/[token]/",
    "/portal/children/[id]/",
    "/portal/",
}
COORDINATOR_PAGES = {
    "/dashboards/forces/[id]/",
    "/dashboards/areas/[id]/",
    "/units/",
    "/children/",
    "/cohorts/",
    "/guardians/",
    "/consent/cohorts/[id]/",
}


def test_plan_gives_every_role_a_user_and_adds_up():
    assert load.plan(100) == {"leader": 40, "guardian": 30, "coordinator": 20, "partner": 10}
    for users in (1, 4, 7, 23, 101):
        counts = load.plan(users)
        assert sum(counts.values()) == max(users, 4)
        assert min(counts.values()) >= 1


@pytest.mark.skipif(not LOCUST.exists(), reason="locust is not installed (requirements-dev.txt)")
def test_every_role_does_its_work_against_the_test_server(world, live_server, settings, tmp_path):
    # As the production settings read the proxy's header (the users say https in it).
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps(load.make_accounts(4)))
    run = subprocess.run(
        [
            str(LOCUST),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            live_server.url,
            "--users",
            "4",
            "--spawn-rate",
            "4",
            "--run-time",
            "40s",  # at most: the run ends when each user has done its work once
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={
            **os.environ,
            "LOADTEST_ACCOUNTS": str(accounts),
            "LOADTEST_PACE": "0",
            "LOADTEST_ONCE": "1",
            "LOADTEST_SERIAL": "1",
            "LOADTEST_SUMMARY": str(tmp_path / "summary.json"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    written = tmp_path / "summary.json"
    assert run.returncode == 0 and written.exists(), run.stderr[-3000:]
    summary = json.loads(written.read_text())
    assert not summary["failures"] and not summary["exceptions"], summary
    done = {r["name"] for r in summary["requests"] if r["requests"]}
    assert done >= EXPECTED, EXPECTED - done
    assert any(name.startswith("/api/v1/") for name in done), done  # the partner's script
    assert done >= COORDINATOR_PAGES, COORDINATOR_PAGES - done
