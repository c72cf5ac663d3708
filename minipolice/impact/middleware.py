"""Classroom mode: a leader's session locked to one survey round while a tablet goes round.

Install after the session, authentication and second-factor middleware in settings.MIDDLEWARE:
    "minipolice.impact.middleware.ClassroomLockMiddleware",

While session[CLASSROOM_ROUND] holds a round's id, the session reaches only that round's
classroom page, its answers upload and its leave page (which asks for the leader's password),
plus static files and the health checks. Any other address goes to the leave page, so a child
holding the tablet cannot wander into the staff pages of the signed-in leader.
"""

from django.shortcuts import redirect
from django.urls import reverse

CLASSROOM_ROUND = "classroom_round"
ALWAYS_OPEN_PREFIXES = ("/static/", "/healthz", "/readyz")


def classroom_paths(round_pk) -> tuple[str, ...]:
    return tuple(
        reverse(f"impact:{name}", args=[round_pk])
        for name in ("classroom", "classroom_answers", "classroom_leave")
    )


class ClassroomLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        round_pk = request.session.get(CLASSROOM_ROUND) if user and user.is_authenticated else None
        if (
            round_pk is not None
            and not request.path.startswith(ALWAYS_OPEN_PREFIXES)
            and request.path not in classroom_paths(round_pk)
        ):
            return redirect("impact:classroom_leave", pk=round_pk)
        return self.get_response(request)
