"""Personal data, app by app: what a subject access export contains and what anonymising
clears.

Every app that holds personal data adds `minipolice/<app>/privacy.py` with any of:

    child_sections(child) -> list[Section]        # for the subject access export
    guardian_sections(guardian) -> list[Section]
    anonymise_child(child) -> None                # clear the app's personal data in place
    anonymise_guardian(guardian) -> None
    remove_identifiers(identifiers) -> list[str]  # redact names and addresses elsewhere

`hooks(name)` (minipolice/lib/privacy.py, with the pieces the hooks share) finds them.
Anonymising functions run inside the anonymising service's
transaction and must keep rows that aggregates count (attendance, survey answers): overwrite
the personal fields, never delete the row. This module is the people app's own hook.

Names and addresses also end up where no field is "about" the person: a leader's session notes
("Ada led the role play"), a community action's place, a consent note, the audit log, the
sign-in logs. `remove_identifiers` finds them (`Identifiers` says what to look for and where)
and replaces each whole-word match with a placeholder; it returns, for the coordinator, where
text was changed, by record number and date and never by name. `mentions` finds the same
places for the subject access export.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.audit.privacy import audit_section
from minipolice.lib.privacy import (
    Identifiers,
    Section,
    hooks,
    mentions,
    redact_rows,
    text,
)
from minipolice.people.models import Child, ClassListImport
from minipolice.people.selectors import visible_children, visible_guardians


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
    # The consent app sits above this one (it imports people): read only here, where a
    # parent's own portal consents say which sign-in accounts are theirs.
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
    others = Child.objects.filter(
        anonymised_at__isnull=True, enrolments__cohort__unit_id__in=identifiers.unit_ids
    ).distinct()
    changed = redact_rows(
        others,
        ["leader_notes"],
        identifiers,
        lambda child, _fields: f"notes for leaders of child #{child.pk}",
    )
    status = ClassListImport.Status
    waiting = [status.PREVIEWED, status.QUEUED, status.RUNNING]  # rows not applied yet
    pending = ClassListImport.objects.filter(
        status__in=waiting, cohort__unit_id__in=identifiers.unit_ids
    )
    for upload, _found in mentions(pending, ["rows"], identifiers):
        upload.delete()
        changed.append(f"class list upload #{upload.pk} waiting for confirmation (discarded)")
    return changed


def mention_section(key: str, title: str, found) -> Section:
    """A subject access section listing free text that names the person."""
    return Section(
        key,
        title,
        [
            {_("Record"): label, **{heading: text(value) for heading, value in values.items()}}
            for label, values in found
        ],
    )


def child_sections(child) -> list[Section]:
    from minipolice.consent.models import Consent  # the app above this one: see above

    enrolments = child.enrolments.select_related(
        "cohort", "cohort__unit", "cohort__unit__school"
    ).order_by("joined", "pk")
    links = child.guardianships.select_related("guardian").order_by("guardian__name")
    consent_ids = [
        str(pk) for pk in Consent.objects.filter(child=child).values_list("pk", flat=True)
    ]
    # Register marks, actions taken part in and photos tagged in are audited as their own
    # records (a mark; the action or photo, listing children by id).
    attendance_ids = [str(pk) for pk in child.attendances.values_list("pk", flat=True)]
    action_ids = [str(pk) for pk in child.participations.values_list("action_id", flat=True)]
    photo_ids = [str(pk) for pk in child.photo_tags.values_list("photo_id", flat=True)]
    # The titles and labels are in the language of the request (a Welsh export when asked for
    # in Welsh); the keys stay the same in every language.
    return [
        Section(
            "child",
            _("Child"),
            {
                _("Record number"): str(child.pk),
                _("First name"): child.first_name,
                _("Last name"): child.last_name,
                _("Year group"): child.get_year_group_display(),
                _("Notes for leaders"): child.leader_notes,
                _("Police force"): child.force.name,
            },
        ),
        Section(
            "cohorts",
            _("Mini Police groups (cohorts)"),
            [
                {
                    _("Cohort"): e.cohort.name,
                    _("Unit"): e.cohort.unit.name,
                    _("School"): e.cohort.unit.school.name,
                    _("Cohort runs"): _("%(start)s to %(end)s")
                    % {"start": text(e.cohort.start_date), "end": text(e.cohort.end_date)},
                    _("Joined"): text(e.joined),
                    pgettext("left a cohort", "Left"): text(e.left),
                }
                for e in enrolments
            ],
        ),
        Section(
            "guardians",
            _("Parents and carers"),
            [
                {
                    _("Name"): link.guardian.name,
                    _("Relationship"): link.get_relationship_display(),
                    _("Email"): link.guardian.email,
                    _("Phone"): link.guardian.phone,
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
            _("Notes for leaders about other children that name them"),
            (
                (
                    _("Child #%(number)s") % {"number": other.pk},
                    {_("Notes for leaders"): other.leader_notes},
                )
                for other, _found in mentions(
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
            _("Parent or carer"),
            {
                _("Record number"): str(guardian.pk),
                _("Name"): guardian.name,
                _("Email"): guardian.email,
                _("New email waiting for confirmation"): guardian.pending_email,
                _("Phone"): guardian.phone,
                _("Police force"): guardian.force.name,
                _("Signs in to the parent portal as"): (
                    guardian.user.email if guardian.user else ""
                ),
            },
        ),
        Section(
            "children",
            _("Children"),
            [
                {
                    _("Name"): link.child.full_name,
                    _("Relationship"): link.get_relationship_display(),
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


def current_names(user, wanted: dict[str, set[int]]) -> dict[tuple[str, str], str]:
    """The audit log's hook: the current names of the children and guardians it names by id
    (`wanted["child"]`, `wanted["guardian"]`), within what `user` may see, in a query each."""
    names = {}
    if wanted.get("child"):
        children = (
            visible_children(user)
            .filter(pk__in=wanted["child"])
            .values_list("pk", "first_name", "last_name")
        )
        names.update(
            {("child", str(pk)): f"{first} {last}".strip() for pk, first, last in children}
        )
    if wanted.get("guardian"):
        guardians = (
            visible_guardians(user).filter(pk__in=wanted["guardian"]).values_list("pk", "name")
        )
        names.update({("guardian", str(pk)): name for pk, name in guardians})
    return names
