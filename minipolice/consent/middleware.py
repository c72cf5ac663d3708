"""Keep a session signed in by an emailed link inside the parent portal.

Install after AuthenticationMiddleware in settings.MIDDLEWARE:
    "minipolice.consent.middleware.PortalOnlyMiddleware",

Links sign in only accounts that are nothing but a parent's (services.may_sign_in_by_link), so
such a session has no staff permission to begin with; this middleware also holds if an account
gains a staff role while a portal session is open.
"""

from django.shortcuts import redirect

from minipolice.consent.portal import PORTAL_SESSION_KEY

# What a portal session may reach: the portal, sign-out, static files, the health check.
PORTAL_PREFIXES = ("/portal/", "/static/", "/healthz", "/accounts/logout/")


class PortalOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get(PORTAL_SESSION_KEY)
            and not request.path.startswith(PORTAL_PREFIXES)
        ):
            return redirect("consent:portal_home")
        return self.get_response(request)
