"""The bench harness's own URLconf: the project's URLs plus the framework floor.

Only bench/harness.py uses it (it sets ROOT_URLCONF to this module while it runs), so the floor
view is never reachable in the running application.

The floor renders the base template for a signed-in user and does nothing else: what every page
pays for the middleware (session, sign-in, second factor, scope, CSP, ...) and the layout. It
has a second address under /portal/ because a parent's session may only reach the portal.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from minipolice.urls import handler400, handler403, handler404, handler500  # noqa: F401
from minipolice.urls import urlpatterns as project_urlpatterns

FLOOR = "/__bench__/floor/"
PORTAL_FLOOR = "/portal/__bench__/floor/"


@login_required
def floor(request):
    return render(request, "base.html")


urlpatterns = [
    path(FLOOR.lstrip("/"), floor, name="bench_floor"),
    path(PORTAL_FLOOR.lstrip("/"), floor, name="bench_portal_floor"),
    *project_urlpatterns,
]
