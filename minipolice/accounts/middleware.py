import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from minipolice.accounts.models import Role
from minipolice.accounts.scoping import get_scope

# Sign-in, sign-out and second-factor pages stay reachable while a factor is being set up.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


class SessionTimeoutMiddleware:
    """Sign out after 30 idle minutes, and 12 hours after sign-in whatever happens."""

    TOUCH_EVERY = 60  # seconds: avoid a session write on every request

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault("signed_in_at", now)
            last_seen = session.get("last_seen_at", now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle or now - started > absolute:
                logout(request)
                messages.info(
                    request, "You were signed out to keep children's data safe. Sign in again."
                )
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if now - last_seen >= self.TOUCH_EVERY or "last_seen_at" not in session:
                session["last_seen_at"] = now
        return self.get_response(request)


def may_skip_second_factor(user) -> bool:
    return settings.ALLOW_DEMO_WITHOUT_MFA and user.is_demo


def needs_second_factor(user) -> bool:
    """Staff need TOTP. Guardians (parent portal) sign in by email link instead."""
    roles = get_scope(user).roles
    return bool(roles - {Role.GUARDIAN}) or user.is_staff


class RequireSecondFactorMiddleware:
    """Staff who have not set up an authenticator app are sent to set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not request.session.get("mfa_enrolled")
            and not may_skip_second_factor(user)
            and needs_second_factor(user)
        ):
            if has_totp(user):
                request.session["mfa_enrolled"] = True
            else:
                messages.warning(request, "Set up an authenticator app before you continue.")
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
