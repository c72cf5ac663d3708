from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope


def require_permission(perm: Perm):
    """The page needs `perm` somewhere in the user's scope; objects are then scoped by selectors.

    Signed-out users go to sign in; signed-in users without the permission get 403.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not get_scope(request.user).has(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
