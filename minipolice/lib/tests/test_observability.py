"""Request ids, one structured log line per request, and error pages that reveal nothing."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def _request_lines(caplog):
    return [r for r in caplog.records if r.name == "minipolice.request"]


# Request ids ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")
    second = client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "proposed, kept",
    [
        ("proxy-1234abcd", True),
        ("a" * 64, True),
        ("short", False),
        ("a" * 65, False),
        ("has space 12345", False),
        ("<script>alert(1)</script>", False),
        ("abcdefgh\n", False),
    ],
)
def test_a_proxys_request_id_is_kept_only_when_it_is_short_and_plain(client, proposed, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=proposed)

    assert (response["X-Request-ID"] == proposed) is kept


# The request line -----------------------------------------------------------------------------
def test_one_line_per_request_with_method_path_status_duration_and_user_id(
    world, client_for, caplog
):
    client = client_for(world.users["coordinator"])
    caplog.set_level("INFO", logger="minipolice.request")

    response = client.get("/units/?q=Smith&page=1")

    (line,) = _request_lines(caplog)
    assert response.status_code == 200
    assert line.method == "GET"
    assert line.path == "/units/"  # no query string: searches can hold names
    assert line.status == 200
    assert line.duration_ms > 0
    assert line.user_id == world.users["coordinator"].pk
    assert line.request_id == response["X-Request-ID"]
    text = json.dumps({k: str(v) for k, v in vars(line).items()})
    assert world.users["coordinator"].email not in text
    assert "Smith" not in text


@pytest.mark.django_db
def test_an_anonymous_request_is_logged_without_a_user(client, caplog):
    caplog.set_level("INFO", logger="minipolice.request")
    client.get("/find/")

    (line,) = _request_lines(caplog)
    assert line.user_id is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, logged",
    [
        ("/portal/sign-in/s3cr3t-t0ken-value/", "/portal/sign-in/{token}/"),
        ("/portal/confirm-email/s3cr3t-t0ken-value/", "/portal/confirm-email/{token}/"),
        ("/calendar/s3cr3t-t0ken-value.ics", "/calendar/{token}.ics"),
        ("/verify/s3cr3t-t0ken-value/", "/verify/{code}/"),
        (
            "/accounts/password/reset/key/1a-s3cr3t-t0ken-value/",
            "/accounts/password/reset/key/{uidb36}-{key}/",
        ),
        # A one-character user number also occurs inside the key: the route, not a replace.
        (
            "/accounts/password/reset/key/1-s3cr3t1-t0ken1/",
            "/accounts/password/reset/key/{uidb36}-{key}/",
        ),
        # A link cut short by a mail client matches no URL: still nothing after the prefix.
        ("/portal/sign-in/s3cr3t-t0ken-value", "/portal/sign-in/{redacted}"),
    ],
)
def test_a_secret_in_the_path_never_reaches_the_log(client, caplog, path, logged):
    caplog.set_level("INFO", logger="minipolice.request")
    client.get(path)

    (line,) = _request_lines(caplog)
    assert line.path == logged
    assert "s3cr3t" not in line.getMessage()


# What production writes -----------------------------------------------------------------------
def test_production_writes_one_json_object_per_line_with_no_secret(tmp_path):
    """A production-settings process (DEBUG off) answers requests; every line of its log is JSON,
    each request's lines carry its id, and the token in a parent's link is not among them."""
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.test import Client
        client = Client(raise_request_exception=False)
        client.get("/healthz", HTTP_X_REQUEST_ID="probe-request-0001")
        client.get("/portal/sign-in/s3cr3t-t0ken-value/?utm=x", HTTP_X_REQUEST_ID="probe-request-0002")
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minipolice.settings",
        "DEBUG": "false",
        "MINIPOLICE_TESTING": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    env.pop("LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert len(lines) == len([line for line in result.stderr.splitlines() if line.strip()])
    requests = [line for line in lines if line["logger"] == "minipolice.request"]
    assert [(r["request_id"], r["method"], r["path"]) for r in requests] == [
        ("probe-request-0001", "GET", "/healthz"),
        ("probe-request-0002", "GET", "/portal/sign-in/{token}/"),
    ]
    assert {"time", "level", "status", "duration_ms", "user_id"} <= set(requests[0])
    assert "s3cr3t" not in result.stderr
    assert "utm" not in result.stderr


# Error pages ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_page_not_found_is_in_the_sites_style_with_the_reference(client):
    response = client.get("/no-such-page/?q=<b>x</b>")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "govuk-template" in page
    assert response["X-Request-ID"] in page
    assert "no-such-page" not in page


@pytest.mark.logs_errors  # Django logs a forged Host header at ERROR (django.security)
@pytest.mark.django_db
def test_a_bad_request_is_in_the_sites_style_and_says_nothing_of_why(client):
    response = Client().get("/find/", HTTP_HOST="attacker.example")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, this request could not be read" in page
    assert response["X-Request-ID"] in page
    assert "attacker.example" not in page
    assert "ALLOWED_HOSTS" not in page


def test_forbidden_is_in_the_sites_style_with_the_reference(world, client_for):
    client = client_for(world.users["leader"])

    response = client.get("/audit/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot see this page" in page
    assert response["X-Request-ID"] in page


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_is_refused_in_plain_words():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    page = response.content.decode()
    assert response.status_code == 403
    assert "Your form has expired" in page
    assert "Nothing was saved" in page
    assert response["X-Request-ID"] in page
    assert "CSRF" not in page  # Django's reason stays in the log


@pytest.mark.logs_errors
@pytest.mark.urls("minipolice.lib.tests.urls_failing")
def test_a_server_error_reveals_nothing_and_needs_no_database():
    # No `db` fixture: pytest-django refuses any query, as an unreachable database would.
    client = Client(raise_request_exception=False)

    response = client.get("/broken/?token=abc")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "govuk-template" in page
    assert response["X-Request-ID"] in page
    assert "SECRET-DETAIL" not in page
    assert "RuntimeError" not in page
    assert "Traceback" not in page
