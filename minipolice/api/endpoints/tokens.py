"""API tokens: their owner, and the coordinators of the owner's force, may list and revoke them.

New tokens are made with `manage.py create_api_token EMAIL`: the token is shown once there.
"""

import datetime
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Query, Router, Schema

from minipolice.api import selectors, services
from minipolice.api.common import WRITE_ERRORS, Id, Page, PageQuery, paginate, responses

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    user: str
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    active: bool

    @staticmethod
    def resolve_user(obj):
        return obj.user.email

    @staticmethod
    def resolve_prefix(obj):
        return f"{services.TOKEN_PREFIX}{obj.prefix}"

    @staticmethod
    def resolve_active(obj):
        return obj.is_active


class TokenFilters(FilterSchema):
    active: Annotated[bool | None, FilterLookup("revoked_at__isnull")] = None


@router.get("/tokens", response=responses({200: Page[TokenOut]}))
def list_tokens(request, page: Query[PageQuery], filters: Query[TokenFilters]):
    """Your own tokens; for coordinators, also those of the people in their force."""
    return paginate(filters.filter(selectors.visible_tokens(request.user)), page, "-created_at")


@router.get("/tokens/{token_id}", response=responses({200: TokenOut}))
def get_token(request, token_id: Id):
    return selectors.get_token_for_user(request.user, token_id)


@router.post("/tokens/{token_id}/revoke", response=responses({200: TokenOut}, WRITE_ERRORS))
def revoke_token(request, token_id: Id):
    """Stop the token working at once. Revoking the token you are using ends this access too."""
    token = selectors.get_token_for_user(request.user, token_id)
    return services.revoke_api_token(acting_user=request.user, token=token)
