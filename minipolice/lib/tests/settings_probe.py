"""Settings as a production process reads them: a fresh interpreter, only the environment given."""

import json
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]

PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "minipolice.settings",
    "SECRET_KEY": "a-real-looking-production-secret-key-for-this-test-only",
    "ALLOWED_HOSTS": "hub.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}

_SCRIPT = """
import json, sys
from django.conf import settings
names = sys.argv[1:]
print(json.dumps({name: getattr(settings, name) for name in names}, default=str))
"""


def run_settings(*names: str, env: dict, drop: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in {**PRODUCTION, **env}.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, *names],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def production_settings(*names: str, env: dict | None = None, drop=()) -> dict:
    result = run_settings(*names, env=env or {}, drop=drop)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(env: dict, drop=()) -> str:
    """The error a production process stops with, for this environment."""
    result = run_settings("DEBUG", env=env, drop=drop)
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]
