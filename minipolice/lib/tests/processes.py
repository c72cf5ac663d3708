"""A real site for crash tests: its own database (a SQLite file, or a PostgreSQL database when
the suite runs on PostgreSQL), `manage.py` and the task worker as separate processes, and a
plain driver connection to watch the database while they run."""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Site:
    database_url: str
    vendor: str
    sqlite_path: Path | None
    env: dict
    processes: list = field(default_factory=list)

    def manage(self, *args, timeout=300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def python(self, script: str, timeout=300):
        """Run a script with Django set up; returns the JSON its last line prints."""
        code = "import django\ndjango.setup()\n" + textwrap.dedent(script)
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start_worker(self, log: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            # --no-reload: with DEBUG on, the autoreloader would run the worker in a child
            # process that a kill of this one leaves running.
            [
                sys.executable,
                "manage.py",
                "task_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown can kill it all
        )
        self.processes.append(process)
        return process

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.sqlite_path, timeout=20) as connection:
                return connection.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(sql).fetchall()

    def kill_all(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL: no handler runs, nothing is flushed or rolled back by the process itself."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def wait_until(condition, *, timeout: float, every: float = 0.01, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def make_site(tmp_path: Path, **extra_env) -> Site:
    """A migrated, empty site in the suite's database engine. Call `drop_site` afterwards."""
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    sqlite_path = None
    if vendor == "postgresql":
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        name = f"minipolice_crash_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        database_url = f"{base}/{name}"
    else:
        vendor = "sqlite"
        sqlite_path = tmp_path / "site.sqlite3"
        database_url = f"sqlite:///{sqlite_path}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minipolice.settings",
        "DEBUG": "true",
        "MINIPOLICE_TESTING": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra_env,
    }
    site = Site(database_url=database_url, vendor=vendor, sqlite_path=sqlite_path, env=env)
    site.manage("migrate", "--no-input", "-v0")
    return site


def drop_site(site: Site) -> None:
    site.kill_all()
    if site.vendor == "postgresql":
        import psycopg

        base, name = site.database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
