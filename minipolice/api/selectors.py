"""Scoped reads for API tokens: a user sees their own; a coordinator also sees their force's."""

from django.db.models import Q
from django.http import Http404

from minipolice.accounts.models import RoleAssignment
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import scope_q
from minipolice.api.models import ApiToken, hash_token


def visible_tokens(user):
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    force_users = RoleAssignment.objects.filter(
        scope_q(user, Perm.API_TOKENS_MANAGE, force="force_id")
    ).values("user_id")
    return ApiToken.objects.filter(Q(user=user) | Q(user_id__in=force_users)).select_related("user")


def get_token_for_user(user, pk) -> ApiToken:
    try:
        return visible_tokens(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def active_token(raw: str) -> ApiToken | None:
    """The live token whose hash matches `raw`, with its (active) user; None otherwise."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
