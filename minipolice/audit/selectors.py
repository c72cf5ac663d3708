from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import scope_q
from minipolice.audit.models import AuditEntry
from minipolice.lib.privacy import hooks


def visible_audit_entries(user):
    """Coordinators see the audit trail of their own force."""
    return AuditEntry.objects.filter(
        scope_q(user, Perm.AUDIT_READ, force="force_id")
    ).select_related("actor")


def with_current_names(entries, user) -> list:
    """Attach the current name of the record each entry is about (the entries keep only ids),
    within what the user may see. The names come from the apps that hold them (the people
    app's `current_names` hook: at most a query each for children and guardians), so the audit
    log imports no app above it."""
    entries = list(entries)
    wanted = {}
    for entry in entries:
        if entry.object_id.isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    names = {}
    if wanted:
        for current_names in hooks("current_names"):
            names.update(current_names(user, wanted))
    for entry in entries:
        entry.current_name = names.get((entry.object_type, entry.object_id), "")
    return entries
