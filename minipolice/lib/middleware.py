import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger("minipolice")


class NoStoreForSignedInMiddleware:
    """Pages seen by a signed-in user may carry personal data: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


# A database too busy to take the write in time -------------------------------------------------
RETRY_AFTER_SECONDS = 5
# In English for the API (its reasons stay English); translated for the plain-text page.
BUSY_MESSAGE = gettext_noop("The database is busy. Nothing was saved. Try again in a few seconds.")
# PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
BUSY_SQLSTATES = {"55P03", "40001", "40P01"}
BUSY_SQLITE_MESSAGES = ("database is locked", "database table is locked")


def is_database_busy(error: BaseException) -> bool:
    """True for an error that means "wait and try again", not a bug: a lock not granted in time."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate in BUSY_SQLSTATES
    return str(error).lower().startswith(BUSY_SQLITE_MESSAGES)


def database_busy_response(request) -> HttpResponse:
    """503 with Retry-After: a JSON reason for the API, the "try again" page for people."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": BUSY_MESSAGE, "errors": None}, status=503)
    else:
        try:
            response = render(request, "errors/503.html", status=503)
        except Exception:  # the page needs the database too; the words do not
            logger.exception("The busy page could not be rendered")
            response = HttpResponse(gettext(BUSY_MESSAGE), status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A view whose write waited longer than the lock timeout (settings.DB_LOCK_TIMEOUT) answers
    503 "try again" with Retry-After, not a bare 500. Its transaction was rolled back when the
    error left it, so nothing was saved. Other database errors are bugs and stay 500s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
        return database_busy_response(request)
