"""The audit log's part in erasure: entries keep what was done, to which record and when, but
not who did it when that was the erased parent, nor their or their child's name or address in
an entry's text (a community action's place, a photo's caption, an old role assignment's
email address). See people/privacy.py for the hooks; `audit_section` is the audit log's part
of a subject access export (the people app puts it in the child's and the guardian's)."""

import json

from django.db.models import Q

from minipolice.audit.models import AuditEntry
from minipolice.lib.privacy import Identifiers, Section, mentions, text


def audit_scope(identifiers: Identifiers):
    """The audit entries a person's identifiers may be in: their force's, and those of no force
    (accounts)."""
    return AuditEntry.objects.filter(Q(force_id=identifiers.force_id) | Q(force__isnull=True))


AUDIT_TEXT = ["actor_label", "object_label", "fields"]


def audit_section(filters: Q, identifiers: Identifiers | None = None) -> Section:
    """Entries about the records (`filters`), entries made by the person's own accounts, and
    entries whose text names them (shown with that text)."""
    if identifiers is not None and identifiers.user_ids:
        filters |= Q(actor_id__in=identifiers.user_ids)
    entries = {entry.pk: entry for entry in AuditEntry.objects.filter(filters)}
    naming = set()
    if identifiers is not None:
        for entry, _ in mentions(audit_scope(identifiers), AUDIT_TEXT, identifiers):
            entries.setdefault(entry.pk, entry)
            naming.add(entry.pk)
    return Section(
        "audit_log",
        "Audit log: changes to and exports of these records, and entries that name them",
        [
            {
                "When": text(entry.at),
                "Who": entry.actor_label,
                "Action": entry.get_action_display(),
                "Record": f"{entry.object_type} {entry.object_label}",
                "Fields changed": ", ".join(sorted(entry.fields)),
                **(
                    {"Details": json.dumps(entry.fields, ensure_ascii=False)}
                    if entry.pk in naming
                    else {}
                ),
            }
            for entry in sorted(entries.values(), key=lambda entry: (entry.at, entry.pk))
        ],
    )


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
