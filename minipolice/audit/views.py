from django.shortcuts import render

from minipolice.accounts.permissions import Perm
from minipolice.audit.models import AuditEntry
from minipolice.audit.selectors import visible_audit_entries, with_current_names
from minipolice.audit.services import record_list_export
from minipolice.audit.templatetags.audit_labels import field_label, record_label
from minipolice.lib.access import require_permission
from minipolice.lib.listing import build_listing, export_listing

# The columns of the audit log's download: what its table shows, less the current names of
# children and parents (the entries keep only their ids).
ENTRY_COLUMNS = [
    ("When", "at"),
    ("Who", "actor_label"),
    ("Action", "get_action_display"),
    ("Record", record_label),
    ("Fields", lambda entry: ", ".join(field_label(name) for name in entry.fields)),
]


@require_permission(Perm.AUDIT_READ)
def entry_list(request):
    entries = visible_audit_entries(request.user)
    action = request.GET.get("action", "")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    listing = build_listing(
        request,
        entries,
        search_fields=["actor_label", "object_label", "object_type"],
        sort_fields={
            "at": ("When", "at"),
            "actor": ("Who", "actor_label"),
            "action": ("Action", "action"),
            "object": ("Record", "object_type"),
        },
        default_sort="-at",
        per_page=50,
    )
    if export := export_listing(
        request,
        listing,
        title="Audit log",
        columns=ENTRY_COLUMNS,
        audit=record_list_export,
    ):
        return export
    listing.page.object_list = with_current_names(listing.page.object_list, request.user)
    return render(
        request,
        "audit/entry_list.html",
        {
            "listing": listing,
            "actions": AuditEntry.Action.choices,
            "action": action,
            "extra_headers": ["Fields"],
        },
    )
