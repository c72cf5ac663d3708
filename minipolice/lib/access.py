from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

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


def get_or_404(queryset, pk):
    """The row of `queryset` (already scoped to the user) with this pk, else 404.

    A missing row, one outside the user's scope and a pk that is not a valid key at all (text,
    None, a number too large for the column) all give the same 404: never reveal existence,
    never a 500 for a bad address.
    """
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError):
        raise Http404 from None
