"""The hooks that let each app take its part in handling personal data, and the pieces they
share: what a subject access export is made of (`Section`, `text`), what identifies a person in
free text (`Identifiers`) and how to find and redact it (`mentions`, `redact_rows`).

Every app that holds personal data adds `minipolice/<app>/privacy.py` with any of the functions
people/privacy.py lists (child_sections, anonymise_child, remove_identifiers, ...); `hooks(name)`
finds them. Lower apps call hooks that higher apps answer, so no app imports one above it:
besides the privacy functions,

    consent_recorded(*, acting_user, child, consent) -> None   # after each consent decision
    current_names(user, wanted: dict[str, set[int]]) -> dict[tuple[str, str], str]
        # the current names of records the audit log names by id, within what `user` may see
    guardian_email_changed(*, acting_user, guardian, old_email, new_email, base_url) -> None
        # staff changed a guardian's address (the consent app emails both addresses)

and, in other modules (`hooks(name, module=...)`): `housekeeping()` in tasks.py, run every
minute by `manage.py task_worker`, and `email_message(delivery, raw_token, token)` in emails.py,
the message of an outbox email of a kind the app writes (None for other kinds).

Kept here, below every app, so that the audit log and the accounts app use them without
importing the people app.
"""

import importlib
import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils import formats, timezone


@dataclass
class Section:
    """One part of an export: a record (dict) or a list of records, with readable labels."""

    key: str
    title: str
    data: dict | list


def hooks(name: str, module: str = "privacy"):
    """The function `name` of every app's `module` (privacy.py unless told), the people app's
    first, then in order of app name.

    This is how a lower app reaches a higher one without importing it: the consent app asks
    `hooks("consent_recorded")` and the public app's privacy.py answers by taking photos down;
    the audit log asks `hooks("current_names")` and the people app's answers with names.
    """
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("minipolice."):
            continue
        try:
            found_module = importlib.import_module(f"{app.name}.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.{module}":
                raise
            continue
        function = getattr(found_module, name, None)
        if function is not None:
            found.append((app.name != "minipolice.people", app.name, function))
    return [function for _, _, function in sorted(found, key=lambda item: item[:2])]


def text(value) -> str:
    """Values as people read them: dates as 1 September 2026 (1 Medi 2026 in Welsh), nothing as
    an empty string."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if hasattr(value, "year"):
        return formats.date_format(value, "j F Y")
    return str(value)


# Finding and redacting names in free text -----------------------------------------------------
NAME_PLACEHOLDER = "[name removed]"
EMAIL_PLACEHOLDER = "[email removed]"


@dataclass
class Identifiers:
    """What identifies one person in free text and logs, and where to look for it.

    `names` are matched as whole words, case-insensitively (the full name, and each first and
    last name), except those in `kept` (lower case); `emails` anywhere. `unit_ids` bound the search of the apps' free text to the
    units the person belonged to, so a classmate with the same first name elsewhere keeps
    theirs; the audit log is searched across the force. `user_ids` are the sign-in accounts
    that go with the person (a parent's portal account).
    """

    names: list[str]
    emails: list[str]
    force_id: int
    unit_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)

    def __post_init__(self):
        names = set()
        for name in self.names:
            name = " ".join(name.split())
            if name and name != "Anonymised":
                names.add(name)
                names.update(part for part in re.split(r"[\s-]+", name) if len(part) > 1)
        names = {name for name in names if name.lower() not in self.kept}
        self.names = sorted(names, key=lambda n: (-len(n), n))
        self.emails = sorted({e.strip().lower() for e in self.emails if e and e.strip()})
        self._names = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(r"\s+".join(map(re.escape, n.split())) for n in self.names)
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if self.names
            else None
        )
        self._emails = (
            re.compile("|".join(map(re.escape, self.emails)), re.IGNORECASE)
            if self.emails
            else None
        )

    def __bool__(self):
        return bool(self.names or self.emails)

    def terms(self) -> list[str]:
        """Strings to narrow a search in SQL (icontains): any match contains one of them, as
        typed or as JSON writes it."""
        terms = set(self.emails)
        for name in self.names:
            terms.update(name.split())
        return sorted(terms | {json.dumps(t)[1:-1] for t in terms})

    def redact(self, value):
        """`value` (text, or JSON made of dicts, lists and text) with every match replaced."""
        if isinstance(value, str):
            if self._emails is not None:
                value = self._emails.sub(EMAIL_PLACEHOLDER, value)
            if self._names is not None:
                value = self._names.sub(NAME_PLACEHOLDER, value)
            return value
        if isinstance(value, dict):
            return {key: self.redact(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.redact(item) for item in value]
        return value

    def found_in(self, value) -> bool:
        return self.redact(value) != value


def _narrowed(queryset, fields: list[str], identifiers: Identifiers):
    terms = identifiers.terms()
    if not terms:
        return queryset.none()
    wanted = Q()
    for name in fields:
        for term in terms:
            wanted |= Q(**{f"{name}__icontains": term})
    return queryset.filter(wanted)


def mentions(queryset, fields: list[str], identifiers: Identifiers):
    """The rows of `queryset` whose `fields` name the person, with the fields that do."""
    for row in _narrowed(queryset, fields, identifiers):
        named = [name for name in fields if identifiers.found_in(getattr(row, name))]
        if named:
            yield row, named


def redact_rows(queryset, fields: list[str], identifiers: Identifiers, describe) -> list[str]:
    """Replace the person's names and addresses in `fields` of the rows of `queryset`, and
    return `describe(row, changed_fields)` for each row changed (it must not name anyone)."""
    changed = []
    for row, named in mentions(queryset, fields, identifiers):
        updates = {name: identifiers.redact(getattr(row, name)) for name in named}
        type(row)._default_manager.filter(pk=row.pk).update(**updates)
        changed.append(describe(row, named))
    return changed
