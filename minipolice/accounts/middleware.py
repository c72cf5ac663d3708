"""Session timeouts and the second-factor rule for staff.

Both middlewares sit before Django's MessageMiddleware in settings.MIDDLEWARE, so they decide
in `__call__` (before any view code sees the user) but answer in `process_view`, which Django
runs after every middleware's request phase: by then messages can be added, and the redirect
goes back out through MessageMiddleware, which stores them.
"""

import time
from urllib.parse import urlsplit

from allauth.mfa.signals import authenticator_removed
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from minipolice.accounts.models import Role
from minipolice.accounts.scoping import get_scope

# Sign-in, sign-out and second-factor pages stay reachable while a factor is being set up.
# They hold nothing about children: only the signed-in user's own account.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")

SIGNED_IN_AT = "signed_in_at"
SIGNED_IN_THROUGH_FORM = "signed_in_through_form"  # not force_login, not an older session
LAST_SEEN_AT = "last_seen_at"
MFA_ENROLLED = "mfa_enrolled"

TIMED_OUT_MESSAGE = _("You were signed out to keep children's data safe. Sign in again.")
SET_UP_MFA_MESSAGE = _("Set up an authenticator app before you continue.")


def start_session_clock(request) -> None:
    """Called when someone signs in: both timeouts count from now."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SIGNED_IN_THROUGH_FORM] = True
    request.session[LAST_SEEN_AT] = now
    request.session.pop(MFA_ENROLLED, None)


def _redirect(request, url):
    """A redirect that also works for htmx requests, which would otherwise swap the target
    page into a fragment: htmx follows HX-Redirect with a full page load."""
    if request.headers.get("HX-Request"):
        return HttpResponse(status=200, headers={"HX-Redirect": url})
    return redirect(url)


def _current_page(request) -> str:
    """The page to come back to: for htmx, the page the fragment was requested from."""
    current = request.headers.get("HX-Current-URL") if request.headers.get("HX-Request") else ""
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


class SessionTimeoutMiddleware:
    """Sign out after 30 idle minutes, and 12 hours after sign-in whatever happens."""

    TOUCH_EVERY = 60  # seconds: avoid a session write on every request

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            # Set at sign-in (AccountAdapter.login); the default covers other ways in.
            started = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN_AT, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle or now - started > absolute:
                # Sign out before any view runs, so nothing below sees the old user.
                logout(request)
                request.minipolice_timed_out = True
            elif now - last_seen >= self.TOUCH_EVERY or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "minipolice_timed_out", False):
            messages.info(request, TIMED_OUT_MESSAGE)
            if request.path == resolve_url(settings.LOGIN_URL):
                return None  # already where they need to be
            login = redirect_to_login(_current_page(request))
            return _redirect(request, login["Location"])
        return None


def may_skip_second_factor(user) -> bool:
    """Demo accounts, on a DEBUG server whose settings allow it (never in production)."""
    return bool(settings.DEBUG and settings.ALLOW_DEMO_WITHOUT_MFA and user.is_demo)


def needs_second_factor(user) -> bool:
    """Everyone but guardians needs TOTP. Guardians (parent portal) sign in by email link."""
    if user.is_staff or user.is_superuser:
        return True
    # A user with no role yet is treated as staff: the safe default.
    return get_scope(user).roles != {Role.GUARDIAN}


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireSecondFactorMiddleware:
    """Staff who have not set up an authenticator app are sent to set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            not user.is_authenticated
            or request.path.startswith(MFA_EXEMPT_PREFIXES)
            or request.session.get(MFA_ENROLLED)
            or may_skip_second_factor(user)
            or not needs_second_factor(user)
        ):
            return None
        if has_totp(user):
            request.session[MFA_ENROLLED] = True
            return None
        messages.warning(request, SET_UP_MFA_MESSAGE)
        return _redirect(request, resolve_url("mfa_activate_totp"))


@receiver(authenticator_removed, dispatch_uid="minipolice_mfa_removed")
def forget_enrolment(sender, request, user, authenticator, **kwargs):
    """Removing the authenticator app sends its owner back to set one up on the next page."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_ENROLLED, None)


# The language a signed-in user chose, copied into their session when they sign in so that
# no request has to read it from the database (accounts.views.switch_language keeps both).
SESSION_LANGUAGE = "language"
API_PREFIX = "/api/v1/"
API_DOCS = "/api/v1/docs"


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (cookie, then Accept-Language), except that a signed-in
    user's own choice wins: it follows them to a new browser."""

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(API_PREFIX) and not request.path_info.startswith(API_DOCS):
            # The REST API is a machine interface: its reasons are in English whoever asks,
            # so partner scripts can rely on them (its documentation page is for people).
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        language = request.session.get(SESSION_LANGUAGE)
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()


@receiver(user_logged_in, dispatch_uid="minipolice_language_on_sign_in")
def _remember_language_on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if user.language:
        request.session[SESSION_LANGUAGE] = user.language
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
