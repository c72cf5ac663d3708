"""The REST API at /api/v1/: the same selectors and services as the pages, with bearer tokens.

A token acts as its user and sees exactly what that user sees. Errors are described in
minipolice/api/errors.py; every operation documents the ones it can give.
"""

from ninja import NinjaAPI

from minipolice.api import errors
from minipolice.api.auth import TokenAuth
from minipolice.api.docs import ReadableDocs
from minipolice.api.endpoints import (
    awards,
    community,
    consents,
    delivery,
    events,
    impact,
    organisations,
    people,
    reports,
    tokens,
)


class MiniPoliceAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # Short, stable ids for generated clients: the view function's name (list_units, ...).
        return operation.view_func.__name__


api = MiniPoliceAPI(
    title="Mini Police Hub API",
    version="1",
    description=(
        "Read and write a force's Mini Police programme with the same rules as the website. "
        "Authenticate with `Authorization: Bearer <token>` (a coordinator or the server's "
        "administrator makes tokens with `manage.py create_api_token EMAIL`). A token sees exactly "
        "what its user sees. Lists take `limit` (at most 100) and `offset` and answer "
        "`{count, limit, offset, items}`. Errors answer `{detail, errors}`: 400 bad input "
        "(reasons per field in `errors`), 401 no or invalid token, 403 your role may not do this, "
        "404 not found or not yours (the same answer), 409 a conflict with stored data (a "
        "duplicate, or a unit status change its current status does not allow), 422 a body that "
        "is not a JSON object (nothing is changed)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs=ReadableDocs(),
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)
errors.install(api)

api.add_router("", organisations.router)
api.add_router("", people.router)
api.add_router("", consents.router)
api.add_router("", delivery.router)
api.add_router("", community.router)
api.add_router("", events.router)
api.add_router("", awards.router)
api.add_router("", reports.router)
api.add_router("", impact.router)
api.add_router("", tokens.router)
