from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from minipolice.audit.models import AuditEntry
from minipolice.lib.users import signed_in_or_none

# Records about children and parents. Their audit entries name them by id only, and never
# keep the values of identifying fields: the log must outlive anonymisation and erasure
# without holding on to what they removed (the page shows the record's current name).
PERSONAL_OBJECTS = {
    "child",
    "guardian",
    "guardianship",
    "enrolment",
    "consent",
    "attendance",
    "participation",
    "eventplace",
    "phototag",
    "classlistimport",
    "user",
}
IDENTIFYING_FIELDS = {
    "first_name",
    "last_name",
    "name",
    "full_name",
    "email",
    "phone",
    "leader_notes",
    "notes",
    "given_by_name",
    "child",
    "guardian",
    "children",
    "user",
}


def _redacted(fields: dict) -> dict:
    return {
        key: ("(changed)" if isinstance(value, list) else "(recorded)")
        if key in IDENTIFYING_FIELDS
        else value
        for key, value in fields.items()
    }


def record_audit(
    *,
    acting_user,
    action: str,
    obj: models.Model,
    fields: dict | None = None,
    force=None,
    label: str | None = None,
) -> AuditEntry:
    """Write one append-only audit entry. Call inside the service's transaction.

    The audit service alone decides how a record about a child or parent is named: pass the
    object and its fields, never a label (an entry names it "Child #12"; identifying fields keep
    only that they were recorded or changed). `label` is for other records only (a cohort, a
    token) and a label for a personal object is refused.
    """
    entry = audit_entry(
        acting_user=acting_user, action=action, obj=obj, fields=fields, force=force, label=label
    )
    entry.save()
    return entry


def audit_entry(
    *,
    acting_user,
    action: str,
    obj: models.Model,
    fields: dict | None = None,
    force=None,
    label: str | None = None,
) -> AuditEntry:
    """The entry record_audit would write, unsaved: for services that bulk_create many."""
    actor = signed_in_or_none(acting_user)
    kind = obj._meta.model_name
    if kind in PERSONAL_OBJECTS:
        if label is not None:
            raise ValueError(
                f"An audit entry about a {kind} is labelled by the audit service: pass no label."
            )
        label = f"{obj._meta.verbose_name.capitalize()} #{obj.pk}"
        fields = _redacted(fields or {})
    entry = AuditEntry(
        actor=actor,
        actor_label=actor.email if actor else "system",
        action=action,
        object_type=kind,
        object_id=str(obj.pk or ""),
        object_label=(label if label is not None else str(obj))[:200],
        fields=fields or {},
        force=force,
        at=timezone.now(),
    )
    return entry


def changed_fields(instance: models.Model, before: dict, names: list[str]) -> dict:
    """Map each field that changed to [old, new], as strings safe to store in JSON."""
    changes = {}
    for name in names:
        old, new = before.get(name), getattr(instance, _column(instance, name))
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
    return changes


def snapshot(instance: models.Model, names: list[str]) -> dict:
    """The stored values of `names`, read from the database rather than the instance.

    A bound ModelForm has already copied the user's input onto its instance, so the instance
    cannot tell us what changed.
    """
    stored = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values(*_columns(instance, names))
        .get()
    )
    return {name: stored[_column(instance, name)] for name in names}


def _column(instance, name):
    field = instance._meta.get_field(name)
    return field.attname if field.is_relation else name


def _columns(instance, names):
    return [_column(instance, name) for name in names]


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def record_list_export(
    *, acting_user, list_name: str, fmt: str, rows: int, search: str = "", filters=None
) -> AuditEntry:
    """Audit one download of a list page of personal data (children, guardians, leaders, the
    email outbox, the audit log). The entry is about the list, never a person in it: the
    format, the number of rows, and the search and filters used. It is filed under the
    downloader's force (under none when their roles span several)."""
    from minipolice.accounts.scoping import get_scope

    actor = signed_in_or_none(acting_user)
    force_ids = get_scope(acting_user).force_ids
    # A search of a children's list is often a name: the entry keeps only that one was used,
    # as entries about children keep ids, never names.
    fields = {
        # Entries are written in English whatever language the downloader reads: a list's
        # title may be a lazy translation (lib.listing.export_listing passes the page's).
        "list": _in_english(list_name),
        "format": fmt,
        "rows": rows,
        "search": "(recorded)" if search else "",
    }
    if filters:
        fields["filters"] = dict(filters)
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.email if actor else "system",
        action=AuditEntry.Action.EXPORT,
        object_type="list",
        object_id="",
        object_label=list_name[:200],
        fields=fields,
        force_id=next(iter(force_ids)) if len(force_ids) == 1 else None,
        at=timezone.now(),
    )


def _in_english(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
