"""Class-list import for a cohort (CSV or XLSX): preview, then all-or-nothing."""

from django.http import Http404

from minipolice.accounts.permissions import Perm
from minipolice.lib.access import require_permission


@require_permission(Perm.CHILDREN_MANAGE)
def cohort_import(request, pk):
    raise Http404  # replaced by the class-list import work in progress
