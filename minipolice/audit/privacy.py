"""The audit log's part in erasure: entries keep what was done, to which record and when, but
not who did it when that was the erased parent, nor their or their child's name or address in
an entry's text (a community action's place, a photo's caption, an old role assignment's
email address). See people/privacy.py for the hooks."""

from minipolice.audit.models import AuditEntry
from minipolice.people.privacy import AUDIT_TEXT, Identifiers, audit_scope, mentions


def actor_label(user_id: int) -> str:
    return f"Anonymised user #{user_id}"


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    signed = 0
    for user_id in identifiers.user_ids:
        signed += (
            AuditEntry.objects.filter(actor_id=user_id)
            .exclude(actor_label=actor_label(user_id))
            .redact(actor_label=actor_label(user_id))
        )
    changed = []
    for entry, named in mentions(audit_scope(identifiers), AUDIT_TEXT, identifiers):
        AuditEntry.objects.filter(pk=entry.pk).redact(
            **{name: identifiers.redact(getattr(entry, name)) for name in named}
        )
        changed.append(entry.pk)
    found = []
    if signed:
        found.append(f"who made {_entries(signed)} in the audit log (now an anonymised user)")
    if changed:
        numbers = ", ".join(f"#{pk}" for pk in changed[:20])
        more = f" and {len(changed) - 20} more" if len(changed) > 20 else ""
        found.append(f"the text of {_entries(len(changed))} in the audit log ({numbers}{more})")
    return found


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"
