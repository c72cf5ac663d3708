"""Keep a session signed in by an emailed link inside the parent portal.

Install after AuthenticationMiddleware in settings.MIDDLEWARE:
    "minipolice.consent.middleware.PortalOnlyMiddleware",

Links sign in only accounts that are nothing but a parent's (services.may_sign_in_by_link), so
such a session has no staff permission to begin with; this middleware also holds if an account
gains a staff role while a portal session is open.

It also tells the page templates which header to show (request.portal_header): the portal's
own menu and sign-out in a portal session, and a header leading back to the portal on portal
pages seen signed out, so a parent never meets the staff menu or the staff sign-in pages.
"""

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from minipolice.accounts.models import Role
from minipolice.accounts.scoping import get_scope
from minipolice.consent.portal import PORTAL_SESSION_KEY

# What a portal session may reach: the portal, static files, the health check.
PORTAL_PREFIXES = ("/portal/", "/static/", "/healthz")
STAFF_ACCOUNT_PREFIX = "/accounts/"


class PortalOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        portal_session = signed_in and bool(request.session.get(PORTAL_SESSION_KEY))
        on_portal = request.path.startswith("/portal/")
        request.portal_session = portal_session
        request.portal_header = portal_session or (on_portal and not signed_in)
        staff_sign_out = request.path == reverse("account_logout")
        if portal_session and not staff_sign_out and not request.path.startswith(PORTAL_PREFIXES):
            return redirect("consent:portal_home")
        if (
            signed_in
            and not staff_sign_out
            and request.path.startswith(STAFF_ACCOUNT_PREFIX)
            and get_scope(request.user).roles == {Role.GUARDIAN}
        ):
            # A parent's account has no password and no second factor: the staff account pages
            # (password, authenticator app, recovery codes) are not for it, however it got in.
            return redirect("consent:portal_home")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A staff sign-out button left in an old tab signs a portal session out the portal
        way (after the CSRF check, which runs first); the staff sign-out page is not shown."""
        if request.portal_session and request.path == reverse("account_logout"):
            if request.method == "POST":
                logout(request)
                return redirect("consent:portal_signed_out")
            return redirect("consent:portal_home")
        return None
