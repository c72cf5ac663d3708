"""The page where a signed-in user sees their API tokens (coordinators: their force's) and
revokes them. New tokens are made with `manage.py create_api_token EMAIL`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.api import selectors, services


@login_required
def token_list(request):
    tokens = selectors.visible_tokens(request.user).order_by("revoked_at", "-created_at", "-id")
    return render(
        request,
        "api/token_list.html",
        {
            "tokens": tokens,
            "sees_force": get_scope(request.user).has(Perm.API_TOKENS_MANAGE),
            "token_prefix": services.TOKEN_PREFIX,
        },
    )


@require_POST
@login_required
def token_revoke(request, pk):
    token = selectors.get_token_for_user(request.user, pk)
    services.revoke_api_token(acting_user=request.user, token=token)
    messages.success(
        request,
        _("Token %(token)s… revoked.") % {"token": f"{services.TOKEN_PREFIX}{token.prefix}"},
    )
    return redirect("api:api_token_list")
