from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import scope_q
from minipolice.audit.models import AuditEntry


def visible_audit_entries(user):
    """Coordinators see the audit trail of their own force."""
    return AuditEntry.objects.filter(
        scope_q(user, Perm.AUDIT_READ, force="force_id")
    ).select_related("actor")
