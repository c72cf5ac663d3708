from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    (gettext_lazy("When"), "at"),
    (gettext_lazy("Who"), "actor_label"),
    (gettext_lazy("Action"), "get_action_display"),
    (gettext_lazy("Record"), record_label),
    (gettext_lazy("Fields"), lambda entry: ", ".join(field_label(name) for name in entry.fields)),
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
            "at": (_("When"), "at"),
            "actor": (_("Who"), "actor_label"),
            "action": (_("Action"), "action"),
            "object": (_("Record"), "object_type"),
        },
        default_sort="-at",
        per_page=50,
    )
    if export := export_listing(
        request,
        listing,
        # Lazy, so that the audit entry of the download names the list in English.
        title=gettext_lazy("Audit log"),
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
            "extra_headers": [_("Fields")],
        },
    )
