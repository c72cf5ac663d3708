"""Headers and settings that keep children's data safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from minipolice.lib.env import env_bool

ROOT = Path(__file__).resolve().parent.parent


def test_csp_forbids_inline_script_and_style(world, client_for):
    response = client_for(world.users["coordinator"]).get("/")
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_with_personal_data_are_never_cached(world, client_for):
    response = client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/")
    assert "no-store" in response["Cache-Control"]


def test_a_bad_boolean_in_the_environment_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_FLAG", "false")
    assert env_bool("SOME_FLAG", True) is False


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "MINIPOLICE_TESTING", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="x" * 30 + "a-long-random-production-secret", ALLOWED_HOSTS="hub.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="hub.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_never_lets_demo_accounts_skip_the_second_factor():
    code = "from django.conf import settings; print(settings.ALLOW_DEMO_WITHOUT_MFA, settings.SESSION_COOKIE_SECURE, settings.PASSWORD_HASHERS[0])"
    result = _manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DEBUG="false",
        SECRET_KEY="y" * 60,
        ALLOWED_HOSTS="hub.example.org",
        ALLOW_DEMO_WITHOUT_MFA="true",
    )
    assert result.stdout.split() == [
        "False",
        "True",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ], result.stderr
