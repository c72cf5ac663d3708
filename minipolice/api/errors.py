"""How the API answers when something is wrong. Every error body is {"detail", "errors"}.

400  bad input: a request that does not fit the schema, or a service's ValidationError; the
     reasons are listed per field in `errors` (`__all__` for reasons about the whole request)
401  no token, an unknown token, or a revoked one
403  the token's user holds no role that may do this at all, or a service refused the change
     for the user's role (a ValidationError with code "forbidden")
404  no such object, or one outside the user's scope (the same answer: existence is not revealed)
409  a conflict with data already stored: a duplicate (a name or URN already used), a change the
     database refused, or a unit status change its current status does not allow
422  a body (or an object inside it) that is not a JSON object at all: `[null, null]`, `null`,
     `42`, `"x"`. Nothing is changed. (A JSON object with wrong values is a 400, as above.)
500  a bug. It is logged with its traceback; the client sees only that it happened.
503  the database was too busy to take the write in time (a lock not granted within the lock
     timeout). Nothing was changed; Retry-After says when to try again.
"""

import logging

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import UniqueConstraint
from django.http import Http404
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError

from minipolice.api.common import NOT_AN_OBJECT
from minipolice.lib.middleware import database_busy_response, is_database_busy
from minipolice.organisations.services import INVALID_TRANSITION

logger = logging.getLogger("minipolice.api")

# A service's ValidationError is a 400, unless one of its reasons has a code that says more. The
# services name these codes; this table is the only place that turns them into statuses. When
# reasons of several kinds come together, the first status listed here wins.
STATUS_FOR_CODE = {
    "forbidden": 403,  # people.services: an email change by someone who cannot see every child
    "unique": 409,  # Django: another row holds this unique value
    "unique_together": 409,
    INVALID_TRANSITION: 409,  # organisations.services: a unit status change not allowed now
}


def _unique_constraint_messages() -> set[str]:
    """Django's default words for a violated conditional unique constraint, for each one."""
    messages = set()
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                messages.add(str(constraint.get_violation_error_message()))
    return messages


DUPLICATE_MESSAGE = "Another record already has these details."


def error_fields(error: ValidationError) -> dict[str, list[str]]:
    """The messages per field; Django's bare "Constraint … is violated." said in words."""
    unique_messages = _unique_constraint_messages()

    def words(errs):
        return [
            DUPLICATE_MESSAGE if m in unique_messages else m for m in ValidationError(errs).messages
        ]

    if hasattr(error, "error_dict"):
        return {field: words(errs) for field, errs in error.error_dict.items()}
    return {NON_FIELD_ERRORS: words(error.error_list)}


def status_for(error: ValidationError) -> int:
    """The status that answers a service's refusal: by its codes (STATUS_FOR_CODE), else 400.

    A violated conditional unique constraint carries no code, only Django's default words for
    it, so those words count as the code "unique".
    """
    unique_messages = _unique_constraint_messages()
    found = set()
    for item in _flatten(error):
        code = "unique" if str(item.message) in unique_messages else item.code
        if code in STATUS_FOR_CODE:
            found.add(STATUS_FOR_CODE[code])
    return next((status for status in STATUS_FOR_CODE.values() if status in found), 400)


def _flatten(error: ValidationError):
    if hasattr(error, "error_dict"):
        for errs in error.error_dict.values():
            yield from errs
    else:
        yield from error.error_list


def _body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": detail, "errors": errors}


def _summary(errors: dict[str, list[str]]) -> str:
    first = next((msgs[0] for msgs in errors.values() if msgs), "")
    return first or "The request was not valid."


def install(api) -> None:
    """Register the handlers on `api` (a NinjaAPI)."""

    @api.exception_handler(SchemaValidationError)
    def bad_request(request, exc):
        errors: dict[str, list[str]] = {}
        not_objects = any(problem.get("type") == NOT_AN_OBJECT for problem in exc.errors)
        for problem in exc.errors:
            location = [str(part) for part in problem.get("loc", ())]
            # ("body", "payload", "name") -> "name"; ("query", "limit") -> "limit"
            if location and location[0] in {"body", "query", "path"}:
                location = location[1:]
                if location and location[0] == "payload":
                    location = location[1:]  # a reason about the whole body has no field
            field = ".".join(location) or NON_FIELD_ERRORS
            message = str(problem.get("msg", "Invalid value.")).removeprefix("Value error, ")
            errors.setdefault(field, []).append(message)
        if not_objects:
            detail = "The request body must be a JSON object."
            return api.create_response(request, _body(detail, errors), status=422)
        return api.create_response(request, _body("The request was not valid.", errors), status=400)

    @api.exception_handler(ValidationError)
    def service_refused(request, exc):
        errors = error_fields(exc)
        return api.create_response(request, _body(_summary(errors), errors), status=status_for(exc))

    @api.exception_handler(IntegrityError)
    def integrity(request, exc):
        logger.warning("API write refused by the database: %s", exc)
        return api.create_response(
            request, _body("This conflicts with data already stored."), status=409
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, _body("Not found."), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, _body("Your role does not allow this."), status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        response = api.create_response(request, _body(str(exc)), status=exc.status_code)
        if exc.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="Mini Police Hub API"'
        return response

    @api.exception_handler(Exception)
    def server_error(request, exc):
        # A bug: log it with its traceback so it is seen and fixed; never hide it as a 4xx.
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return api.create_response(request, _body("Something went wrong on our side."), status=500)

    @api.exception_handler(OperationalError)
    def database_busy(request, exc):
        if not is_database_busy(exc):
            return server_error(request, exc)
        logger.warning("Database busy on %s %s: %s", request.method, request.path, exc)
        return database_busy_response(request)
