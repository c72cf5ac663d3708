"""What every API resource shares: input types, the error body, pages, and the permission gate.

Inputs are bounded here (ids fit a 64-bit column, text has no NUL and fits its column), so that
no request can reach the database with a value it would refuse: bad input is a 400, never a 500.
"""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.lib.validators import (
    clean_name,
    validate_date_in_range,
    validate_name,
    validate_phone,
)

ID_MAX = 2**63 - 1  # the largest value a BigAutoField holds, on SQLite and PostgreSQL alike
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802 (a type factory, used like a type)
    """A string of at most `max_length` characters that the database will always accept."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_clean_text),
    ]


def _django_rule(validator):
    """A validator of minipolice/lib/validators.py as a pydantic one: the same rule and words."""

    def check(value):
        try:
            validator(value)
        except DjangoValidationError as error:
            raise ValueError(error.messages[0]) from None
        return value

    return AfterValidator(check)


def Name(max_length: int):  # noqa: N802 (a type factory, used like a type)
    """A person's name: invisible characters removed, spaces tidied, at least one letter."""
    return Annotated[
        str,
        BeforeValidator(lambda value: clean_name(value) if isinstance(value, str) else value),
        StringConstraints(max_length=max_length),
        AfterValidator(_clean_text),
        _django_rule(validate_name),
    ]


Phone = Annotated[
    str,
    StringConstraints(max_length=30, strip_whitespace=True),
    AfterValidator(_clean_text),
    _django_rule(validate_phone),
]


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def Search(max_length: int = 100):  # noqa: N802 (a type factory, used like a type)
    """Text a list filter looks for: `?q=` with nothing (or only spaces) filters nothing."""
    return Annotated[Text(max_length) | None, BeforeValidator(_blank_is_none)]


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value):
    """Only "YYYY-MM-DD": never a number (pydantic would read 0 as 1 January 1970) or a time."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "Enter a date as YYYY-MM-DD, like 2025-09-01")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "Enter a real date, like 2025-09-01") from None


# A point on the map, in degrees. The models keep 5 decimal places (about a metre).
Latitude = Field(None, ge=-90, le=90, allow_inf_nan=False)
Longitude = Field(None, ge=-180, le=180, allow_inf_nan=False)


def coordinate(value: float | None) -> Decimal | None:
    """A latitude or longitude given to the API, as the model stores it (5 decimal places)."""
    return None if value is None else Decimal(str(round(value, 5)))


# A date in a request: "YYYY-MM-DD" only. `Date` is a date the programme records, so it is also
# within the range every form and the import accept; `IsoDate` is for filters, which take any.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
Date = Annotated[datetime.date, BeforeValidator(_iso_date), _django_rule(validate_date_in_range)]


NOT_AN_OBJECT = "not_an_object"


class In(Schema):
    """The base of every request body, and of every object inside one: a JSON object, only.

    ninja's Schema reads its fields as attributes of whatever it is given (it is made to read
    model instances), so `[null, null]`, `42` or `"x"` would pass as an object with every field
    missing: all defaults, and a PATCH or a POST of details that empties what is stored. The
    error handler answers this refusal with a 422 (minipolice/api/errors.py).
    """

    @model_validator(mode="before")
    @classmethod
    def _a_json_object(cls, value):
        # Schema's own validator runs first and wraps the value to read its attributes.
        given = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(given, dict):
            raise PydanticCustomError(
                NOT_AN_OBJECT,
                "Send a JSON object with this request's fields, not {kind}.",
                {"kind": _kind(given)},
            )
        return value


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return "another kind of value"


class ErrorOut(Schema):
    """Every error answer: a sentence, and for bad input the reasons per field."""

    detail: str
    errors: dict[str, list[str]] | None = None


READ_ERRORS = (400, 401, 403, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


def responses(ok: dict, errors=READ_ERRORS) -> dict:
    """The documented answers of one operation: its success body and the errors it may give."""
    return {**ok, **dict.fromkeys(errors, ErrorOut)}


def require(request, perm: Perm) -> None:
    """The role must hold `perm` somewhere (else 403); selectors then scope the objects (404)."""
    if not get_scope(request.user).has(perm):
        raise PermissionDenied


def require_any(request, *perms: Perm) -> None:
    scope = get_scope(request.user)
    if not any(scope.has(perm) for perm in perms):
        raise PermissionDenied


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=100, description="How many items to return (at most 100)")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip")


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


def paginate(queryset: QuerySet, query: PageQuery, *ordering: str) -> dict:
    """One page of `queryset` in a stable order (ties broken by id) and the total count."""
    queryset = queryset.order_by(*ordering, "pk")
    return {
        "count": queryset.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": list(queryset[query.offset : query.offset + query.limit]),
    }
