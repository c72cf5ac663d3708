from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import scope_q
from minipolice.audit.models import AuditEntry


def visible_audit_entries(user):
    """Coordinators see the audit trail of their own force."""
    return AuditEntry.objects.filter(
        scope_q(user, Perm.AUDIT_READ, force="force_id")
    ).select_related("actor")


def with_current_names(entries, user) -> list:
    """Attach the current name of the child or guardian each entry is about (the entries keep
    only ids), read in at most two queries, within what the user may see."""
    from minipolice.people.selectors import visible_children, visible_guardians

    entries = list(entries)
    wanted = {"child": set(), "guardian": set()}
    for entry in entries:
        if entry.object_type in wanted and entry.object_id.isdigit():
            wanted[entry.object_type].add(int(entry.object_id))
    names = {}
    if wanted["child"]:
        children = (
            visible_children(user)
            .filter(pk__in=wanted["child"])
            .values_list("pk", "first_name", "last_name")
        )
        names.update(
            {("child", str(pk)): f"{first} {last}".strip() for pk, first, last in children}
        )
    if wanted["guardian"]:
        guardians = (
            visible_guardians(user).filter(pk__in=wanted["guardian"]).values_list("pk", "name")
        )
        names.update({("guardian", str(pk)): name for pk, name in guardians})
    for entry in entries:
        entry.current_name = names.get((entry.object_type, entry.object_id), "")
    return entries
