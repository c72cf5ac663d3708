"""Request ids and one structured log line per request.

Every request gets an id: the `X-Request-ID` a trusted reverse proxy sent (when it looks like
one), else a new random one. It is echoed in the response's `X-Request-ID` header, printed on
error pages (so a user can quote it) and added to every log record written while the request
runs, so an operator can find all the lines of one request, across the proxy and the app.

The request line carries the method, the path without its query string, the status, the
duration in milliseconds and the user's id; never a name, an email or a token. Paths that carry
a secret (a parent's sign-in link, a calendar feed, a certificate's code, a password-reset key)
are logged with that part replaced by its parameter's name.
"""

import contextvars
import logging
import re
import time
import uuid

from django.urls import Resolver404, resolve
from django.utils.functional import empty

request_logger = logging.getLogger("minipolice.request")

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it is short and plain: it goes into logs and pages.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# URL parameters whose value is a secret or identifies a child; their values never reach a log.
SECRET_URL_KWARGS = frozenset({"token", "key", "code", "uidb36", "uidb64"})
# Paths that carry a secret after these prefixes, for a path no URL matches (a link cut short by
# a mail client, a typo): everything after the prefix is left out.
SECRET_PATH_PREFIXES = (
    "/portal/sign-in/",
    "/portal/confirm-email/",
    "/calendar/",
    "/verify/",
    "/V/",
    "/accounts/password/reset/key/",
    "/accounts/confirm-email/",
)
_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)


def new_request_id(proposed: str | None) -> str:
    if proposed and _VALID_REQUEST_ID.fullmatch(proposed):
        return proposed
    return uuid.uuid4().hex


def redact_path(path: str, resolver_match=None) -> str:
    """The path, or, when it carries a secret URL parameter, its route with every parameter
    written `{name}` (e.g. /portal/sign-in/{token}/). Built from the route, not by replacing
    values in the path: a short value (a user number "1") also occurs inside a longer one."""
    if resolver_match is None:
        try:
            resolver_match = resolve(path)
        except Resolver404:
            resolver_match = None
    if resolver_match is None:
        for prefix in SECRET_PATH_PREFIXES:
            if path.startswith(prefix):
                return prefix + "{redacted}"
        return path
    if not SECRET_URL_KWARGS.intersection(resolver_match.kwargs):
        return path
    route = _REGEX_GROUP.sub(r"{\1}", resolver_match.route or "")
    route = _ROUTE_PARAMETER.sub(r"{\1}", route).lstrip("^").rstrip("$")
    return "/" + route.replace("\\", "")


def _user_id(request) -> int | None:
    # Only a user the request already loaded: reading it here must not cost a query.
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """First in MIDDLEWARE, so it times and labels everything below it, errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            path = redact_path(request.path, getattr(request, "resolver_match", None))
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record, and keeps secrets out of Django's own.

    django.request and django.security attach the request object: a JSON formatter would print
    it with its query string, so it is dropped, and the path in the message is redacted.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        request = record.__dict__.pop("request", None)
        if request is not None and isinstance(record.args, tuple):
            path = getattr(request, "path", None)
            if path:
                safe = redact_path(path, getattr(request, "resolver_match", None))
                record.args = tuple(safe if arg == path else arg for arg in record.args)
        return True
