"""Personal data, app by app: what a subject access export contains and what anonymising
clears.

Every app that holds personal data adds `minipolice/<app>/privacy.py` with any of:

    child_sections(child) -> list[Section]        # for the subject access export
    guardian_sections(guardian) -> list[Section]
    anonymise_child(child) -> None                # clear the app's personal data in place
    anonymise_guardian(guardian) -> None
    remove_identifiers(identifiers) -> list[str]  # redact names and addresses elsewhere

`hooks(name)` finds them. Anonymising functions run inside the anonymising service's
transaction and must keep rows that aggregates count (attendance, survey answers): overwrite
the personal fields, never delete the row. This module is the people app's own hook.

Names and addresses also end up where no field is "about" the person: a leader's session notes
("Ada led the role play"), a community action's place, a consent note, the audit log, the
sign-in logs. `remove_identifiers` finds them (`Identifiers` says what to look for and where)
and replaces each whole-word match with a placeholder; it returns, for the coordinator, where
text was changed, by record number and date and never by name. `mentions` finds the same
places for the subject access export.
"""

import importlib
import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from minipolice.audit.models import AuditEntry


@dataclass
class Section:
    """One part of an export: a record (dict) or a list of records, with readable labels."""

    key: str
    title: str
    data: dict | list


def hooks(name: str):
    """The function `name` of every app's privacy module, the people app's first."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("minipolice."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.privacy")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.privacy":
                raise
            continue
        function = getattr(module, name, None)
        if function is not None:
            found.append((app.name != "minipolice.people", app.name, function))
    return [function for _, _, function in sorted(found, key=lambda item: item[:2])]


def text(value) -> str:
    """Values as people read them: dates as 1 September 2026, nothing as an empty string."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    if hasattr(value, "year"):
        return f"{value:%-d %B %Y}"
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


def combined(found: list[Identifiers]) -> Identifiers:
    """Several people's identifiers as one, so that a full name made of two people's names
    ("Ann Lovelace", Ada Lovelace's mother) is replaced as one."""
    return Identifiers(
        names=[name for one in found for name in one.names],
        emails=[email for one in found for email in one.emails],
        force_id=found[0].force_id,
        unit_ids=sorted({unit for one in found for unit in one.unit_ids}),
        user_ids=sorted({user for one in found for user in one.user_ids}),
    )


def child_identifiers(child) -> Identifiers:
    units = child.enrolments.values_list("cohort__unit_id", flat=True)
    return Identifiers(
        names=[child.full_name, child.first_name, child.last_name],
        emails=[],
        force_id=child.force_id,
        unit_ids=sorted(set(units)),
    )


def portal_users_only_theirs(guardian) -> list:
    """The sign-in accounts that exist only for this guardian's parent portal: not staff, and
    holding no role but this guardian's (the accounts anonymising the guardian clears).

    That includes former portal accounts, left without any role when staff changed the
    guardian's address: accounts with no role that have their address, or that gave this
    guardian's consents in the portal (only the parent does that).
    """
    from minipolice.accounts.models import Role, RoleAssignment, User
    from minipolice.consent.models import Consent, ConsentMethod

    users = {a.user for a in RoleAssignment.objects.filter(role=Role.GUARDIAN, guardian=guardian)}
    if guardian.user is not None:
        users.add(guardian.user)
    theirs = Q(
        pk__in=Consent.objects.filter(
            given_by=guardian, method=ConsentMethod.PORTAL, recorded_by__isnull=False
        ).values("recorded_by_id")
    )
    for email in {guardian.email, guardian.pending_email} - {""}:
        theirs |= Q(email__iexact=email)
    users.update(User.objects.filter(theirs, role_assignments__isnull=True, is_staff=False))
    return sorted(
        (
            user
            for user in users
            if not user.is_staff
            and not RoleAssignment.objects.filter(user=user)
            .exclude(role=Role.GUARDIAN, guardian=guardian)
            .exists()
        ),
        key=lambda user: user.pk,
    )


def guardian_identifiers(guardian, users=None) -> Identifiers:
    """The guardian's name and addresses, and those of the portal accounts that go with them.
    A name that is also the name of one of their children still in the programme (the family
    name, usually) is left alone: it stays in that child's record anyway."""
    from minipolice.accounts.models import User
    from minipolice.people.models import Child

    users = portal_users_only_theirs(guardian) if users is None else users
    children = Child.objects.filter(guardianships__guardian=guardian)
    units = children.values_list("enrolments__cohort__unit_id", flat=True)
    kept = set()
    for first, last in children.filter(anonymised_at__isnull=True).values_list(
        "first_name", "last_name"
    ):
        kept.update(part.lower() for part in f"{first} {last}".split())
    emails = [guardian.email, guardian.pending_email, *(user.email for user in users)]
    # An address that is also another account's sign-in (a teacher who is a parent) stays.
    others = User.objects.exclude(pk__in=[user.pk for user in users])
    emails = [e for e in emails if e and not others.filter(email__iexact=e).exists()]
    return Identifiers(
        names=[guardian.name, *(user.full_name for user in users)],
        emails=emails,
        force_id=guardian.force_id,
        unit_ids=sorted({unit for unit in units if unit is not None}),
        user_ids=[user.pk for user in users],
        kept=kept,
    )


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


def remove_identifiers_everywhere(identifiers: Identifiers) -> list[str]:
    """Run every app's `remove_identifiers`: where text was changed, for the coordinator."""
    if not identifiers and not identifiers.user_ids:
        return []
    return [where for hook in hooks("remove_identifiers") for where in hook(identifiers)]


def words(fields: list[str], labels: dict[str, str]) -> str:
    """["place", "outcome"] -> "place and outcome", with the readable name of each field."""
    named = [labels.get(name, name.replace("_", " ")) for name in fields]
    return " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    """The people app's free text: other children's notes for leaders in the same units, and
    class lists waiting for confirmation that list the person (discarded)."""
    from minipolice.people.models import Child, ClassListImport

    others = Child.objects.filter(
        anonymised_at__isnull=True, enrolments__cohort__unit_id__in=identifiers.unit_ids
    ).distinct()
    changed = redact_rows(
        others,
        ["leader_notes"],
        identifiers,
        lambda child, _: f"notes for leaders of child #{child.pk}",
    )
    status = ClassListImport.Status
    waiting = [status.PREVIEWED, status.QUEUED, status.RUNNING]  # rows not applied yet
    pending = ClassListImport.objects.filter(
        status__in=waiting, cohort__unit_id__in=identifiers.unit_ids
    )
    for upload, _ in mentions(pending, ["rows"], identifiers):
        upload.delete()
        changed.append(f"class list upload #{upload.pk} waiting for confirmation (discarded)")
    return changed


def mention_section(key: str, title: str, found) -> Section:
    """A subject access section listing free text that names the person."""
    return Section(
        key,
        title,
        [
            {"Record": label, **{heading: text(value) for heading, value in values.items()}}
            for label, values in found
        ],
    )


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


def child_sections(child) -> list[Section]:
    from minipolice.consent.models import Consent

    enrolments = child.enrolments.select_related(
        "cohort", "cohort__unit", "cohort__unit__school"
    ).order_by("joined", "pk")
    links = child.guardianships.select_related("guardian").order_by("guardian__name")
    from minipolice.people.models import Child

    consent_ids = [
        str(pk) for pk in Consent.objects.filter(child=child).values_list("pk", flat=True)
    ]
    # Register marks, actions taken part in and photos tagged in are audited as their own
    # records (a mark; the action or photo, listing children by id).
    attendance_ids = [str(pk) for pk in child.attendances.values_list("pk", flat=True)]
    action_ids = [str(pk) for pk in child.participations.values_list("action_id", flat=True)]
    photo_ids = [str(pk) for pk in child.photo_tags.values_list("photo_id", flat=True)]
    return [
        Section(
            "child",
            "Child",
            {
                "Record number": str(child.pk),
                "First name": child.first_name,
                "Last name": child.last_name,
                "Year group": child.get_year_group_display(),
                "Notes for leaders": child.leader_notes,
                "Police force": child.force.name,
            },
        ),
        Section(
            "cohorts",
            "Mini Police groups (cohorts)",
            [
                {
                    "Cohort": e.cohort.name,
                    "Unit": e.cohort.unit.name,
                    "School": e.cohort.unit.school.name,
                    "Cohort runs": f"{text(e.cohort.start_date)} to {text(e.cohort.end_date)}",
                    "Joined": text(e.joined),
                    "Left": text(e.left),
                }
                for e in enrolments
            ],
        ),
        Section(
            "guardians",
            "Parents and carers",
            [
                {
                    "Name": link.guardian.name,
                    "Relationship": link.get_relationship_display(),
                    "Email": link.guardian.email,
                    "Phone": link.guardian.phone,
                }
                for link in links
            ],
        ),
        audit_section(
            Q(object_type="child", object_id=str(child.pk))
            | Q(object_type="enrolment", object_id__in=[str(e.pk) for e in enrolments])
            | Q(object_type="guardianship", object_id__in=[str(link.pk) for link in links])
            | Q(object_type="consent", object_id__in=consent_ids)
            | Q(object_type="attendance", object_id__in=attendance_ids)
            | Q(object_type="communityaction", object_id__in=action_ids)
            | Q(object_type="storyphoto", object_id__in=photo_ids),
            child_identifiers(child),
        ),
        mention_section(
            "leader_notes_mentions",
            "Notes for leaders about other children that name them",
            (
                (f"Child #{other.pk}", {"Notes for leaders": other.leader_notes})
                for other, _ in mentions(
                    Child.objects.filter(
                        anonymised_at__isnull=True,
                        enrolments__cohort__unit_id__in=child_identifiers(child).unit_ids,
                    )
                    .exclude(pk=child.pk)
                    .distinct(),
                    ["leader_notes"],
                    child_identifiers(child),
                )
            ),
        ),
    ]


def guardian_sections(guardian) -> list[Section]:
    links = guardian.guardianships.select_related("child").order_by("child__first_name")
    return [
        Section(
            "guardian",
            "Parent or carer",
            {
                "Record number": str(guardian.pk),
                "Name": guardian.name,
                "Email": guardian.email,
                "New email waiting for confirmation": guardian.pending_email,
                "Phone": guardian.phone,
                "Police force": guardian.force.name,
                "Signs in to the parent portal as": guardian.user.email if guardian.user else "",
            },
        ),
        Section(
            "children",
            "Children",
            [
                {
                    "Name": link.child.full_name,
                    "Relationship": link.get_relationship_display(),
                }
                for link in links
            ],
        ),
        audit_section(
            Q(object_type="guardian", object_id=str(guardian.pk))
            | Q(object_type="guardianship", object_id__in=[str(link.pk) for link in links]),
            guardian_identifiers(guardian),
        ),
    ]
