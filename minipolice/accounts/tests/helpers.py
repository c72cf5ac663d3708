"""What the sign-in tests do as a user would: fill in the forms, read the authenticator app."""

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt

from conftest import PASSWORD

LOGIN = "/accounts/login/"
MFA_AUTHENTICATE = "/accounts/2fa/authenticate/"
TOTP_SETUP = "/accounts/2fa/totp/activate/"
RECOVERY_CODES = "/accounts/2fa/recovery-codes/"
BASE_DIR = Path(__file__).resolve().parents[3]


def code_for(secret: str) -> str:
    """The code an authenticator app holding `secret` shows now (waiting out one about to
    expire, so the server sees the same 30-second step)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def add_authenticator(user) -> str:
    """Give `user` an authenticator app (as if set up earlier); returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return code_for(decrypt(authenticator.data["secret"]))


def secret_on_setup_page(client) -> str:
    """The key the setup page shows under "I cannot scan the QR code"."""
    return client.session[SECRET_SESSION_KEY]


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def text(response) -> str:
    return response.content.decode()


def main_text(response) -> str:
    """The words inside <main>, without markup."""
    html = text(response)
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def error_summary_links(response) -> list[tuple[str, str]]:
    """(href, message) for each entry of the GOV.UK error summary."""
    html = text(response)
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    if not summary:
        return []
    return re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', summary.group(0))


def assert_govuk_page(response):
    """Our layout, one h1, GOV.UK classes, no template slips, nothing inline the CSP forbids."""
    html = text(response)
    assert 'class="govuk-template"' in html
    assert html.count("<h1") == 1
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    assert " style=" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    inline = [tag for tag in scripts if "src=" not in tag]
    assert all("nonce=" in tag for tag in inline), inline
    for field_id in re.findall(r'<input[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, f"input #{field_id} has no label"


def production_settings(**env) -> dict:
    """Settings as a production process reads them (MINIPOLICE_TESTING unset)."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "from django.contrib.auth.hashers import make_password; "
        "print(json.dumps({'hashers': settings.PASSWORD_HASHERS, "
        "'allow_demo': settings.ALLOW_DEMO_WITHOUT_MFA, "
        "'rate_limits': settings.ACCOUNT_RATE_LIMITS, "
        "'hash': make_password('x')[:10]}))"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "minipolice.settings",
        "SECRET_KEY": "a-real-looking-production-secret-key-for-this-test-only",
        "ALLOWED_HOSTS": "hub.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
