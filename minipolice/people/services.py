"""Every write to children, guardians, enrolments and leaders' clearances. Atomic and audited."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.accounts.services import create_user
from minipolice.audit.models import AuditEntry
from minipolice.audit.services import audit_entry, changed_fields, record_audit, snapshot
from minipolice.lib.privacy import hooks
from minipolice.lib.stalled import requeue_stalled
from minipolice.lib.users import signed_in_or_none
from minipolice.organisations.models import Cohort, Force
from minipolice.organisations.services import assign_unit_leader
from minipolice.people import classlist
from minipolice.people.models import (
    Child,
    ClassListImport,
    Enrolment,
    Guardian,
    Guardianship,
    RetentionRun,
    SafeguardingTraining,
    Vetting,
)
from minipolice.people.privacy import (
    child_identifiers,
    combined,
    guardian_identifiers,
    portal_users_only_theirs,
    remove_identifiers_everywhere,
)
from minipolice.people.retention import children_due, guardians_left_without_children
from minipolice.people.selectors import guardians_erased_with, manages_every_child_of
from minipolice.people.tasks import apply_class_list_import

logger = logging.getLogger(__name__)

CHILD_FIELDS = ["first_name", "last_name", "year_group", "leader_notes"]
GUARDIAN_FIELDS = ["name", "email", "phone"]


def _force_of(cohort: Cohort):
    return cohort.unit.school.area.force


@transaction.atomic
def add_child_to_cohort(
    *,
    acting_user,
    cohort: Cohort,
    first_name: str,
    last_name: str,
    year_group: int,
    leader_notes: str = "",
    joined: datetime.date | None = None,
) -> Child:
    force = _force_of(cohort)
    child = Child(
        force=force,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        year_group=year_group,
        leader_notes=leader_notes,
    )
    child.full_clean()
    child.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=child,
        force=force,
        fields={name: str(getattr(child, name)) for name in CHILD_FIELDS if name != "leader_notes"},
    )
    enrol_child(acting_user=acting_user, child=child, cohort=cohort, joined=joined)
    return child


@transaction.atomic
def update_child(*, acting_user, child: Child, **changes) -> Child:
    before = snapshot(child, CHILD_FIELDS)
    for name, value in changes.items():
        setattr(child, name, value)
    child.full_clean()
    diff = changed_fields(child, before, CHILD_FIELDS)
    if diff:
        child.save(update_fields=list(diff))
        record_audit(
            acting_user=acting_user, action="update", obj=child, force=child.force, fields=diff
        )
    return child


@transaction.atomic
def enrol_child(
    *, acting_user, child: Child, cohort: Cohort, joined: datetime.date | None = None
) -> Enrolment:
    if _force_of(cohort).pk != child.force_id:
        raise ValidationError(_("A child can only join a cohort in their own force."))
    enrolment = Enrolment.objects.filter(child=child, cohort=cohort).first()
    if enrolment is not None:
        if enrolment.left is None:
            return enrolment
        enrolment.left = None
        enrolment.save(update_fields=["left"])
    else:
        today = timezone.localdate()
        default_joined = min(max(today, cohort.start_date), cohort.end_date)
        enrolment = Enrolment(child=child, cohort=cohort, joined=joined or default_joined)
        enrolment.full_clean(validate_constraints=False)
        enrolment.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=enrolment,
        force=child.force,
        fields={"cohort": cohort.name},
    )
    return enrolment


@transaction.atomic
def leave_cohort(
    *, acting_user, enrolment: Enrolment, left: datetime.date | None = None
) -> Enrolment:
    if enrolment.left is not None:
        raise ValidationError(_("This child has already left that cohort."))
    on = left or timezone.localdate()
    if on < enrolment.joined:
        raise ValidationError(
            {"left": _("The leaving date cannot be before the date they joined.")}
        )
    enrolment.left = on
    enrolment.full_clean(validate_constraints=False)
    enrolment.save(update_fields=["left"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=enrolment,
        force=enrolment.child.force,
        fields={"left": [None, str(on)]},
    )
    return enrolment


@transaction.atomic
def move_child(*, acting_user, child: Child, from_cohort: Cohort, to_cohort: Cohort) -> Enrolment:
    if from_cohort.pk == to_cohort.pk:
        raise ValidationError({"to_cohort": _("Choose a different cohort.")})
    current = Enrolment.objects.filter(child=child, cohort=from_cohort, left__isnull=True).first()
    if current is None:
        raise ValidationError(_("This child is not in that cohort now."))
    today = timezone.localdate()
    leave_cohort(acting_user=acting_user, enrolment=current, left=max(today, current.joined))
    return enrol_child(acting_user=acting_user, child=child, cohort=to_cohort)


@transaction.atomic
def create_guardian(*, acting_user, force, name: str, email: str = "", phone: str = "") -> Guardian:
    guardian = Guardian(
        force=force, name=name.strip(), email=email.strip().lower(), phone=phone.strip()
    )
    guardian.full_clean()
    guardian.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=guardian,
        force=force,
        fields={name: getattr(guardian, name) for name in GUARDIAN_FIELDS},
    )
    return guardian


EMAIL_CHANGE_REFUSED = gettext_lazy(
    "You cannot change this email address: this parent or carer also has children you cannot "
    "see. Ask your force coordinator to change it."
)


@transaction.atomic
def update_guardian(*, acting_user, guardian: Guardian, base_url: str = "", **changes) -> Guardian:
    """Change a guardian's name, phone or email address.

    Sign-in links to the parent portal go to the email address, so a new address is not used
    at once: it waits as `pending_email` until someone confirms it from a link emailed to it
    (consent.services.confirm_guardian_email), and the old address is told; `base_url` is the
    site's address for those emails. Removing the address applies at once (links then go
    nowhere). Either way the guardian's portal access ends, and only staff who may manage every
    child of this guardian may change the address (ValidationError with code "forbidden").
    """
    before = snapshot(guardian, [*GUARDIAN_FIELDS, "pending_email"])
    for name, value in changes.items():
        setattr(guardian, name, value.strip() if isinstance(value, str) else value)
    guardian.email = guardian.email.lower()
    guardian.full_clean()
    new_email = guardian.email
    email_changes = new_email != before["email"]
    if email_changes:
        if getattr(acting_user, "is_authenticated", False) and not manages_every_child_of(
            acting_user, guardian
        ):
            refused = ValidationError(EMAIL_CHANGE_REFUSED, code="forbidden")
            raise ValidationError({"email": refused})
        if new_email:  # waits for confirmation; the stored address stays until then
            guardian.email = before["email"]
            guardian.pending_email = new_email
        else:
            guardian.pending_email = ""
    diff = changed_fields(guardian, before, [*GUARDIAN_FIELDS, "pending_email"])
    if diff:
        guardian.save(update_fields=list(diff))
    if email_changes:
        if not base_url:
            raise ValueError("update_guardian needs base_url to email about a new address.")
        diff["portal_access"] = _end_portal_access(guardian)
        # The consent app (the parent portal's emails) asks the new address to confirm itself
        # and tells the old one; it answers a hook, as this app sits below it.
        for guardian_email_changed in hooks("guardian_email_changed"):
            guardian_email_changed(
                acting_user=acting_user,
                guardian=guardian,
                old_email=before["email"],
                new_email=new_email,
                base_url=base_url,
            )
        if "pending_email" in diff:  # the log keeps no address, only that one changed
            diff["email"] = diff.pop("pending_email")
            diff["email_change"] = "waits for confirmation from the new address"
    if diff:
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=guardian,
            force=guardian.force,
            fields=diff,
        )
    return guardian


@transaction.atomic
def apply_confirmed_email(*, guardian: Guardian, email: str, acting_user=None) -> Guardian:
    """The new address was confirmed from a link sent to it: it becomes the guardian's address.
    Whoever signed in through the old address loses the records."""
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    if guardian.anonymised_at is not None or not email or guardian.pending_email != email:
        raise ValidationError(_("This address is no longer waiting for confirmation."))
    guardian.email, guardian.pending_email = email, ""
    guardian.save(update_fields=["email", "pending_email"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=guardian,
        force=guardian.force,
        fields={
            "email": ["(old)", "(confirmed)"],
            "email_change": "confirmed from the new address",
            "portal_access": _end_portal_access(guardian),
        },
    )
    return guardian


def _end_portal_access(guardian: Guardian) -> str:
    """A new email address must prove itself: whoever signed in as this guardian through the
    old address loses the records, and unused links to the old address stop working."""
    RoleAssignment.objects.filter(role=Role.GUARDIAN, guardian=guardian).delete()
    guardian.portal_tokens.filter(used_at__isnull=True).delete()
    if guardian.user_id is not None:
        guardian.user = None
        guardian.save(update_fields=["user"])
    return "ended until a link to the new address is used"


@transaction.atomic
def link_guardian(
    *, acting_user, child: Child, guardian: Guardian, relationship: str = "parent"
) -> Guardianship:
    if guardian.force_id != child.force_id:
        raise ValidationError(_("A guardian and child must belong to the same force."))
    link, created = Guardianship.objects.get_or_create(
        child=child, guardian=guardian, defaults={"relationship": relationship}
    )
    if created:
        record_audit(
            acting_user=acting_user,
            action="create",
            obj=link,
            force=child.force,
            fields={"relationship": relationship},
        )
    return link


@transaction.atomic
def create_and_link_guardian(
    *,
    acting_user,
    child: Child,
    name: str,
    email: str = "",
    phone: str = "",
    relationship: str = "parent",
) -> Guardian:
    """A new guardian of `child` (in the child's force) and the link to the child: both, or
    neither when either is refused."""
    guardian = create_guardian(
        acting_user=acting_user, force=child.force, name=name, email=email, phone=phone
    )
    link_guardian(
        acting_user=acting_user, child=child, guardian=guardian, relationship=relationship
    )
    return guardian


@transaction.atomic
def add_leader(*, acting_user, full_name: str, email: str, unit):
    """A new leader's account and their first unit. They choose a password from an email link."""
    leader = create_user(acting_user=acting_user, email=email, full_name=full_name)
    assign_unit_leader(acting_user=acting_user, unit=unit, leader=leader, require_clearance=False)
    return leader


@transaction.atomic
def record_vetting(*, acting_user, leader, level: str, granted, expires, force=None) -> Vetting:
    vetting = Vetting(user=leader, level=level, granted=granted, expires=expires)
    vetting.full_clean()
    vetting.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=vetting,
        force=force,
        label=f"Vetting of {leader.email}",
        fields={"level": level, "granted": str(granted), "expires": str(expires)},
    )
    return vetting


@transaction.atomic
def record_safeguarding_training(
    *, acting_user, leader, completed, expires, force=None
) -> SafeguardingTraining:
    training = SafeguardingTraining(user=leader, completed=completed, expires=expires)
    training.full_clean()
    training.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=training,
        force=force,
        label=f"Safeguarding training of {leader.email}",
        fields={"completed": str(completed), "expires": str(expires)},
    )
    return training


# Class-list import ---------------------------------------------------------------------------
# Imports are local so this block can be appended without touching the imports at the top.


@transaction.atomic
def preview_class_list_import(*, acting_user, cohort: Cohort, file_name: str, rows: list[dict]):
    """Keep a checked class list until its uploader confirms or cancels it.

    Previews nobody confirmed within ClassListImport.LIFETIME are deleted here, so children's
    details do not linger in the staging table.
    """
    now = timezone.now()
    ClassListImport.objects.filter(
        status=ClassListImport.Status.PREVIEWED, created_at__lt=now - ClassListImport.LIFETIME
    ).delete()
    return ClassListImport.objects.create(
        cohort=cohort,
        uploaded_by=acting_user,
        file_name=file_name[:255],
        created_at=now,
        rows=rows,
    )


@transaction.atomic
def cancel_class_list_import(*, acting_user, class_list_import) -> None:
    ClassListImport.objects.filter(
        pk=class_list_import.pk,
        uploaded_by=acting_user,
        status=ClassListImport.Status.PREVIEWED,
    ).delete()


class ClassListAlreadyImported(Exception):
    """This preview is gone: cancelled, or discarded because it named someone being erased."""


def start_class_list_import(*, acting_user, class_list_import):
    """Confirm a previewed class list: queue it to be applied in the background, once.

    Returns the import, now queued (or already queued, running or finished: a second confirm,
    from another tab, starts nothing and shows the same progress). The cohort row is locked
    first, then the preview's, as the task does, so of two confirmations at the same moment
    the second waits and then finds the first one's import started. Raises ValidationError
    when the preview has expired or its stored rows no longer pass the checks.
    """
    if class_list_import.uploaded_by_id != acting_user.pk:
        raise ValidationError(_("Only the person who uploaded a class list can confirm it."))
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=class_list_import.cohort_id).first()
        locked = ClassListImport.objects.select_for_update().filter(pk=class_list_import.pk).first()
        if locked is None:
            raise ClassListAlreadyImported
        if locked.is_started:
            return locked
        if locked.is_expired(timezone.now()):
            raise ValidationError(_("This preview has expired. Upload the file again."))
        errors = classlist.recheck_rows(locked.rows)
        if errors:
            raise ValidationError([str(error) for error in errors])
        locked.status = ClassListImport.Status.QUEUED
        locked.rows_total, locked.rows_done = len(locked.rows), 0
        # The task row is written in this transaction (the queue is a table of the same
        # database): "queued" and its task commit together or not at all. Committed apart, a
        # server stopped between the two left an import "waiting to start" with no task, for ever.
        locked.save(update_fields=["status", "rows_total", "rows_done"])
        # The task says what went wrong in the uploader's language (the page's, now).
        result = apply_class_list_import.enqueue(locked.pk, translation.get_language() or "")
        ClassListImport.objects.filter(pk=locked.pk).update(task_id=str(result.id)[:64])
    locked.refresh_from_db()
    return locked


IMPORT_STALLED_AFTER = datetime.timedelta(minutes=10)


def resume_interrupted_class_list_imports() -> int:
    """Queue again every import whose worker stopped while it ran (killed, out of memory, the
    machine restarted): its task has shown "running" for IMPORT_STALLED_AFTER, far longer than
    the largest class list takes.

    Safe to run again: the writes and the "applied" status are one transaction, so an import
    still "running" wrote nothing, and its rows are still kept. The stopped worker's task is
    recorded as failed. Run by the task worker's housekeeping (people.tasks). Returns how many.
    """
    resumed = requeue_stalled(
        task=apply_class_list_import,
        model=ClassListImport,
        stalled_after=IMPORT_STALLED_AFTER,
        progress_field="rows_done",
        reason=IMPORT_INTERRUPTED,
    )
    if resumed:
        logger.warning(
            "%s class list import(s) interrupted by a stopped worker: queued again", resumed
        )
    return resumed


IMPORT_INTERRUPTED = "The task worker stopped during the import; nothing was saved, queued again."


IMPORT_FAILED = gettext_lazy(
    "The import stopped because of an unexpected error. Nothing was saved."
)
IMPORT_WITHDRAWN = gettext_lazy("The class list was withdrawn. Nothing was saved.")
PROGRESS_EVERY = 100  # rows checked between two progress updates


def run_class_list_import(*, class_list_import_id: int, language: str = "") -> dict:
    """The background task's work: check every row (progress saved as it goes), then write the
    whole list in one transaction. A failure writes nothing and says what went wrong.

    Progress counts rows checked. The writes cannot report progress: they are one transaction
    (all or nothing), and what it has not committed nobody else can read; they are bulk
    inserts, so a whole school (2,000 rows) takes a moment.

    What went wrong is written in `language` (the uploader's when they confirmed), else in the
    language the uploader chose for their account, else the site's.
    """
    with transaction.atomic():
        job = ClassListImport.objects.select_for_update().filter(pk=class_list_import_id).first()
        if job is None or job.status != ClassListImport.Status.QUEUED:
            return {"status": str(job.status) if job else "missing"}  # run already, or gone
        job.status = ClassListImport.Status.RUNNING
        job.save(update_fields=["status"])
    with translation.override(_import_language(job, language)):
        try:
            _check_class_list_rows(job)
            counts = _apply_class_list_import(job)
        except ValidationError as error:
            return _class_list_import_failed(job, "\n".join(error.messages))
        except ClassListAlreadyImported:
            # Discarded meanwhile: it named someone whose personal data was being erased.
            return _class_list_import_failed(job, str(IMPORT_WITHDRAWN))
        except Exception:
            _class_list_import_failed(job, str(IMPORT_FAILED))
            raise  # unexpected: the task result keeps the traceback for whoever runs the worker
    return {"status": "applied", **counts}


def _import_language(job, language: str) -> str:
    languages = dict(settings.LANGUAGES)
    if language in languages:
        return language
    chosen = job.uploaded_by.language  # an import queued again after its worker was killed
    return chosen if chosen in languages else settings.LANGUAGE_CODE


def _class_list_import_failed(job, message: str) -> dict:
    """Record what went wrong; the rows (children's details) are not kept."""
    ClassListImport.objects.filter(pk=job.pk).update(
        status=ClassListImport.Status.FAILED, error=message, rows=[]
    )
    return {"status": "failed", "error": message}


def _check_class_list_rows(job) -> None:
    """Every row against the file's rules and the models' field rules, saving progress."""
    force_id = job.cohort.unit.school.area.force_id
    for start in range(0, len(job.rows), PROGRESS_EVERY):
        batch = job.rows[start : start + PROGRESS_EVERY]
        found = classlist.recheck_rows(batch)
        errors = [str(error) for error in found]
        rows_with_errors = {error.row for error in found}
        for row in batch:
            if row.get("row", 0) in rows_with_errors:
                continue
            child = Child(
                force_id=force_id,
                first_name=row["first_name"],
                last_name=row["last_name"],
                year_group=row["year_group"],
            )
            guardian = Guardian(
                force_id=force_id,
                name=row["guardian_name"],
                email=row["guardian_email"],
                phone=row["guardian_phone"],
            )
            for instance in (child, guardian):
                try:
                    instance.clean_fields(exclude=["force", "user"])
                except ValidationError as error:
                    errors.append(
                        _("Row %(row)s: %(problem)s")
                        % {"row": row.get("row", 0), "problem": " ".join(error.messages)}
                    )
        if errors:
            raise ValidationError(errors)
        done = start + len(batch)
        ClassListImport.objects.filter(pk=job.pk).update(rows_done=done)
        job.rows_done = done


@transaction.atomic
def _apply_class_list_import(job) -> dict:
    # The cohort first, then the import, in the same order as start_class_list_import.
    Cohort.objects.select_for_update().filter(pk=job.cohort_id).first()
    locked = ClassListImport.objects.select_for_update().filter(pk=job.pk).first()
    if locked is None or locked.status != ClassListImport.Status.RUNNING:
        raise ClassListAlreadyImported
    counts = import_class_list(acting_user=job.uploaded_by, cohort=job.cohort, rows=locked.rows)
    locked.status = ClassListImport.Status.APPLIED
    locked.applied_at, locked.rows, locked.summary = timezone.now(), [], counts
    locked.rows_done = locked.rows_total
    locked.save(update_fields=["status", "applied_at", "rows", "summary", "rows_done"])
    return counts


@transaction.atomic
def import_class_list(*, acting_user, cohort: Cohort, rows: list[dict]) -> dict:
    """Add a checked class list to a cohort: all rows or none, in a fixed number of queries.

    The rows are checked and matched against the database again here, inside the transaction,
    so children or guardians added since the preview are reused rather than duplicated. Each
    child, enrolment, guardian and link gets the audit entry its own service would write.
    Returns the counts that were also written to the audit log.
    """
    errors = classlist.recheck_rows(rows)
    if errors:
        raise ValidationError([str(error) for error in errors])
    # One import per cohort at a time: a second one waits here, then plans against what the
    # first wrote (PostgreSQL's READ COMMITTED reads committed rows at each statement).
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    plan = classlist.plan_import(cohort, rows)
    if not plan.has_changes:
        return plan.counts()  # nothing written, so nothing to audit
    force = _force_of(cohort)
    today = timezone.localdate()
    joined = min(max(today, cohort.start_date), cohort.end_date)
    children: dict[tuple, Child] = {}
    guardians: dict[tuple, Guardian] = {}
    links: list[tuple[tuple, tuple, int]] = []
    for planned in plan.rows:
        ckey = classlist.child_key(planned.first_name, planned.last_name, planned.year_group)
        gkey = classlist.guardian_key(
            planned.guardian_name, planned.guardian_email, planned.guardian_phone
        )
        if ckey not in children:
            children[ckey] = planned.child or Child(
                force=force,
                first_name=planned.first_name.strip(),
                last_name=planned.last_name.strip(),
                year_group=planned.year_group,
            )
        if gkey not in guardians:
            guardians[gkey] = planned.guardian or Guardian(
                force=force,
                name=planned.guardian_name.strip(),
                email=planned.guardian_email.strip().lower(),
                phone=planned.guardian_phone.strip(),
            )
        if planned.new_link:
            links.append((ckey, gkey, planned.row))
    new_children = [child for child in children.values() if child.pk is None]
    new_guardians = [guardian for guardian in guardians.values() if guardian.pk is None]
    Child.objects.bulk_create(new_children)
    Guardian.objects.bulk_create(new_guardians)
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(child=child, cohort=cohort, joined=joined) for child in new_children]
    )
    guardianships = Guardianship.objects.bulk_create(
        [Guardianship(child=children[ckey], guardian=guardians[gkey]) for ckey, gkey, _row in links]
    )
    entries = []

    def audit(obj, fields):
        entries.append(
            audit_entry(
                acting_user=acting_user,
                action="create",
                obj=obj,
                force=force,
                fields=fields,
            )
        )

    for child in new_children:
        audit(child, {name: str(getattr(child, name)) for name in CHILD_FIELDS[:3]})
    for enrolment in enrolments:
        audit(enrolment, {"cohort": cohort.name})
    for guardian in new_guardians:
        audit(guardian, {name: getattr(guardian, name) for name in GUARDIAN_FIELDS})
    for link in guardianships:
        audit(link, {"relationship": link.relationship})
    counts = plan.counts()
    entries.append(
        audit_entry(
            acting_user=acting_user,
            action="import",
            obj=cohort,
            force=force,
            label=f"Class list imported into {cohort}",
            fields=counts,
        )
    )
    AuditEntry.objects.bulk_create(entries)
    return counts


# Data protection: anonymisation, erasure on request, retention -------------------------------
# Imports are local so this block can be appended without touching the imports at the top.

ANONYMISED = "Anonymised"


@transaction.atomic
def anonymise_child(
    *, acting_user, child: Child, reason: str, details: dict | None = None
) -> list[str]:
    """Overwrite a child's personal data in place; the row, their enrolments and everything
    counted about them (attendance, surveys) stay, so aggregates survive. Their name is
    replaced wherever free text or the audit log holds it; returns where (people/privacy.py).

    The fixed values are written without full_clean: an empty last name is the point.
    """
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.anonymised_at is not None:
        return []
    identifiers = child_identifiers(child)
    child.first_name, child.last_name, child.leader_notes = ANONYMISED, "", ""
    child.anonymised_at = timezone.now()
    child.save(update_fields=["first_name", "last_name", "leader_notes", "anonymised_at"])
    for anonymise in hooks("anonymise_child"):
        anonymise(child)
    text_changed = remove_identifiers_everywhere(identifiers)
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=child,
        force=child.force,
        fields={"anonymised": reason, **(details or {}), "text_changed": text_changed},
    )
    return text_changed


@transaction.atomic
def anonymise_guardian(
    *, acting_user, guardian: Guardian, reason: str, details: dict | None = None
) -> list[str]:
    """Overwrite a guardian's name and contacts; end their parent-portal access. A user account
    that was only theirs is switched off and cleared too. Their name and addresses are removed
    from free text, the audit log and the sign-in logs; returns where (people/privacy.py)."""
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    if guardian.anonymised_at is not None:
        return []
    users = portal_users_only_theirs(guardian)
    identifiers = guardian_identifiers(guardian, users)
    guardian.name, guardian.email, guardian.phone = ANONYMISED, "", ""
    guardian.pending_email = ""
    guardian.user = None
    guardian.anonymised_at = timezone.now()
    guardian.save(
        update_fields=["name", "email", "pending_email", "phone", "user", "anonymised_at"]
    )
    for assignment in RoleAssignment.objects.filter(role=Role.GUARDIAN, guardian=guardian):
        record_audit(
            acting_user=acting_user,
            action="delete",
            obj=assignment,
            force=guardian.force,
            label=f"Parent portal access of guardian #{guardian.pk}",
        )
        assignment.delete()
    for user in users:  # accounts only for this guardian's portal
        user.email = f"anonymised-user-{user.pk}@anonymised.invalid"
        user.full_name = ANONYMISED
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "full_name", "is_active", "password"])
    for anonymise in hooks("anonymise_guardian"):
        anonymise(guardian)
    text_changed = remove_identifiers_everywhere(identifiers)
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=guardian,
        force=guardian.force,
        fields={"anonymised": reason, **(details or {}), "text_changed": text_changed},
    )
    return text_changed


@dataclass
class Erasure:
    """What an erasure did: the guardians erased, and where text naming anyone erased was
    changed (by record number and date, never by name)."""

    guardians: list[Guardian]
    text_changed: list[str]


@transaction.atomic
def erase_child(*, acting_user, child: Child, reason: str) -> Erasure:
    """Erasure on request: anonymise the child now, and their guardians who have no other
    child in the programme. The reason goes in the audit log, without the child's or their
    parents' names or addresses in it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Enter the reason for erasing this child's data")})
    guardians = guardians_erased_with(child)
    named = [child_identifiers(child)]
    named += [guardian_identifiers(link.guardian) for link in child.guardianships.all()]
    reason = combined(named).redact(reason)
    text_changed = anonymise_child(
        acting_user=acting_user, child=child, reason="erasure", details={"reason": reason}
    )
    for guardian in guardians:
        text_changed += anonymise_guardian(
            acting_user=acting_user,
            guardian=guardian,
            reason="erasure",
            details={"reason": reason, "with_child": child.pk},
        )
    return Erasure(guardians, list(dict.fromkeys(text_changed)))


@transaction.atomic
def erase_guardian(*, acting_user, guardian: Guardian, reason: str) -> Erasure:
    """Erasure on request of one parent or carer: their children's records stay. The reason
    goes in the audit log without their name or address."""
    reason = guardian_identifiers(guardian).redact(reason.strip())
    if not reason:
        raise ValidationError({"reason": _("Enter the reason for erasing this person's data")})
    text_changed = anonymise_guardian(
        acting_user=acting_user, guardian=guardian, reason="erasure", details={"reason": reason}
    )
    return Erasure([guardian], text_changed)


@transaction.atomic
def record_subject_access_export(*, acting_user, subject, fmt: str, sections: list[str]):
    """Audit a subject access export of a child or guardian (the export is made by
    people.subject_access)."""
    return record_audit(
        acting_user=acting_user,
        action="export",
        obj=subject,
        force=subject.force,
        fields={"format": fmt, "sections": sections},
    )


@transaction.atomic
def apply_retention(*, acting_user=None, today: datetime.date | None = None, force_ids=None):
    """Anonymise everyone the retention rule says is due (people/retention.py) and record the
    run: a RetentionRun with ids and counts, and an audit entry per person anonymised."""
    today = today or timezone.localdate()
    run = RetentionRun.objects.create(
        started_at=timezone.now(),
        today=today,
        triggered_by=signed_in_or_none(acting_user),
    )
    due = list(children_due(today, force_ids).select_related("force").order_by("pk"))
    due_ids = [child.pk for child in due]
    guardians = list(
        guardians_left_without_children(Child.objects.filter(pk__in=due_ids)).order_by("pk")
    )
    by_force: dict[str, dict[str, int]] = {}
    for child in due:
        anonymise_child(
            acting_user=acting_user,
            child=child,
            reason="retention",
            details={"run": run.pk, "last_cohort_ended": str(child.last_cohort_ended)},
        )
        counts = by_force.setdefault(str(child.force_id), {"children": 0, "guardians": 0})
        counts["children"] += 1
    for guardian in guardians:
        anonymise_guardian(
            acting_user=acting_user, guardian=guardian, reason="retention", details={"run": run.pk}
        )
        counts = by_force.setdefault(str(guardian.force_id), {"children": 0, "guardians": 0})
        counts["guardians"] += 1
    run.finished_at = timezone.now()
    run.children_count, run.guardians_count = len(due), len(guardians)
    run.child_ids, run.guardian_ids = due_ids, [g.pk for g in guardians]
    run.by_force = by_force
    for force in Force.objects.filter(pk__in=[int(pk) for pk in by_force]):
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=run,
            force=force,
            label=f"Retention run {run.pk} for {today}",
            fields=by_force[str(force.pk)],
        )
    run.save(
        update_fields=[
            "finished_at",
            "children_count",
            "guardians_count",
            "child_ids",
            "guardian_ids",
            "by_force",
        ]
    )
    return run
