"""Writes for API tokens: made, used and revoked. Tokens are audited like any other access."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from minipolice.accounts.models import RoleAssignment
from minipolice.api.models import ApiToken, hash_token
from minipolice.audit.services import record_audit

TOKEN_PREFIX = "mph_"  # the public prefix of every token, not a secret # nosec B105
# Writing "last used" on every request would make every read a write; once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _force_of(user):
    assignment = RoleAssignment.objects.filter(user=user, force__isnull=False).first()
    return assignment.force if assignment else None


@transaction.atomic
def create_api_token(*, acting_user, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the row and the token itself, which is never stored."""
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[: ApiToken.PREFIX_LENGTH],
        token_hash=hash_token(raw),
        created_at=timezone.now(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    token.full_clean()
    token.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=token,
        force=_force_of(user),
        label=f"API token {token.prefix}… for {user.email}",
        fields={"user": user.email, "name": token.name},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, acting_user, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=token,
        force=_force_of(token.user),
        label=f"API token {token.prefix}… for {token.user.email}",
        fields={"revoked": [None, token.revoked_at.isoformat()]},
    )
    return token


def record_token_use(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (one UPDATE, no audit entry)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
