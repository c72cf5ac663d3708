"""Every write of the awards app: settings, special awards, bulk issue, re-issue, revoke.

Race safety of bulk issue, in three layers: a cohort's row is locked while a job is started,
so of two confirmations at once the second finds the first one's job; at most one queued or
running job per cohort is a database constraint; and the task inserts awards and certificates
with `ignore_conflicts` against the unique constraints (one completion award per child and
cohort, one valid certificate per award), so even two jobs run side by side issue one set.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minipolice.audit.models import AuditEntry
from minipolice.audit.services import audit_entry, record_audit
from minipolice.awards import pdf
from minipolice.awards.models import (
    COMPLETION_TITLE,
    Award,
    AwardKind,
    AwardSettings,
    BulkIssue,
    Certificate,
    CertificateStatus,
    VerificationLookup,
    new_code,
)
from minipolice.consent.portal import ip_digest
from minipolice.delivery.models import Attendance, AttendanceStatus, Session, SessionStatus
from minipolice.events.models import Event, EventPlace, EventStatus, PlaceStatus
from minipolice.events.selectors import children_attending
from minipolice.organisations.models import COLOUR_VALIDATOR, Cohort, Force
from minipolice.people.models import Child, Enrolment

PROGRESS_EVERY = 25  # certificates between two progress updates
EVENT_RATIO_MIN, EVENT_RATIO_MAX = 1, 30  # children per adult at events


def threshold_of(force: Force) -> int:
    found = AwardSettings.objects.filter(force=force).values_list("completion_threshold", flat=True)
    return next(iter(found), AwardSettings.DEFAULT_THRESHOLD)


# Settings --------------------------------------------------------------------------------------
@transaction.atomic
def update_certificate_settings(
    *,
    acting_user,
    force: Force,
    chief_constable_name: str,
    brand_colour: str,
    completion_threshold: int,
    signature=None,
    remove_signature: bool = False,
    event_children_per_adult: int | None = None,
) -> Force:
    """The force's certificate look (Force fields), its completion threshold (AwardSettings)
    and, when given, the children-per-adult ratio its events must meet (1 to 30)."""
    COLOUR_VALIDATOR(brand_colour)
    changes = {}
    if event_children_per_adult is not None:
        if not EVENT_RATIO_MIN <= event_children_per_adult <= EVENT_RATIO_MAX:
            raise ValidationError(
                {
                    "event_children_per_adult": f"Enter a number from {EVENT_RATIO_MIN} to {EVENT_RATIO_MAX}"
                }
            )
        if force.event_children_per_adult != event_children_per_adult:
            changes["event_children_per_adult"] = [
                force.event_children_per_adult,
                event_children_per_adult,
            ]
            force.event_children_per_adult = event_children_per_adult
    if force.chief_constable_name != chief_constable_name:
        changes["chief_constable_name"] = [force.chief_constable_name, chief_constable_name]
    if force.brand_colour != brand_colour:
        changes["brand_colour"] = [force.brand_colour, brand_colour]
    force.chief_constable_name = chief_constable_name
    force.brand_colour = brand_colour
    if signature is not None:
        force.chief_constable_signature = signature
        changes["chief_constable_signature"] = "(uploaded)"
    elif remove_signature and force.chief_constable_signature:
        force.chief_constable_signature = ""
        changes["chief_constable_signature"] = "(removed)"
    force.full_clean()
    force.save(
        update_fields=[
            "chief_constable_name",
            "brand_colour",
            "chief_constable_signature",
            "event_children_per_adult",
        ]
    )
    rules, _ = AwardSettings.objects.select_for_update().get_or_create(force=force)
    if rules.completion_threshold != completion_threshold:
        changes["completion_threshold"] = [rules.completion_threshold, completion_threshold]
        rules.completion_threshold = completion_threshold
        rules.full_clean()
        rules.save(update_fields=["completion_threshold"])
    if changes:
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=force,
            force=force,
            label=f"Certificate and event settings of {force.name}",
            fields=changes,
        )
    return force


# Who has earned completion ---------------------------------------------------------------------
def held_sessions(cohort: Cohort, today: datetime.date | None = None):
    """Sessions that took place: not cancelled, and either past or with a register taken."""
    today = today or timezone.localdate()
    taken = Attendance.objects.filter(session=OuterRef("pk"))
    return Session.objects.filter(cohort=cohort, status=SessionStatus.PLANNED).filter(
        Q(date__lt=today) | Q(Exists(taken))
    )


def completion_standing(cohort: Cohort, today: datetime.date | None = None):
    """The cohort's children with their attendance, counted in SQL (one query).

    Each child carries `present` (sessions held they were present at), `held` (sessions held)
    and `percent` is derived by `with_percent`.
    """
    held = held_sessions(cohort, today)
    held_count = held.order_by().values("cohort").annotate(n=Count("pk")).values("n")
    return (
        # In the cohort now, or left once it had ended (finished it); never anonymised.
        Child.objects.filter(
            Q(enrolments__left__isnull=True) | Q(enrolments__left__gte=cohort.end_date),
            enrolments__cohort=cohort,
            anonymised_at__isnull=True,
        )
        .annotate(
            present=Count(
                "attendances",
                filter=Q(
                    attendances__status=AttendanceStatus.PRESENT,
                    attendances__session__in=held.values("pk"),
                ),
                distinct=True,
            ),
            held=Subquery(held_count),
        )
        .order_by("last_name", "first_name", "pk")
    )


def eligible_for_completion(cohort: Cohort, threshold: int, today=None):
    """Children whose attendance reaches `threshold` % of the held sessions (none held: none)."""
    rows = completion_standing(cohort, today).annotate(
        present_x100=ExpressionWrapper(F("present") * 100, output_field=IntegerField()),
        needed=ExpressionWrapper(F("held") * threshold, output_field=IntegerField()),
    )
    return rows.filter(held__gt=0, present_x100__gte=F("needed"))


def children_of_source(job: BulkIssue, threshold: int):
    """The children a bulk issue is for, each paired with the cohort its award belongs to.

    A cohort source gives the cohort's children whose attendance reaches the threshold. An
    event source gives the children checked in at the event who reached the threshold in
    their cohort of an invited unit: an event's certificates are the cohorts' completion
    certificates handed over on the day, so a child issued for at the event and again for the
    cohort (or the other way round) still has one award and one certificate.
    """
    if job.cohort_id is not None:
        return [(child, job.cohort) for child in eligible_for_completion(job.cohort, threshold)]
    if job.event_id is not None:
        return event_completion_pairs(job.event, threshold)
    raise ValueError(f"Bulk issue {job.pk} has no source")


def event_cohorts(event: Event):
    """Cohorts of the event's invited units that a checked-in child is enrolled in."""
    checked_in = EventPlace.objects.filter(
        event=event, status=PlaceStatus.PLACE, checked_in_at__isnull=False
    )
    return (
        Cohort.objects.filter(
            unit__event_invitations__event=event,
            enrolments__child__in=checked_in.values("child_id"),
        )
        .select_related("unit__school")
        .distinct()
        .order_by("-start_date", "pk")
    )


def event_completion_pairs(event: Event, threshold: int) -> list[tuple[Child, Cohort]]:
    """(child, cohort) for each child checked in at `event` who reached `threshold` in a
    cohort of the unit they came with; a child with two such cohorts counts once, for the
    latest. One query for the cohorts, then one per cohort (a celebration day has a few)."""
    attending = children_attending(event, checked_in=True)
    pairs: dict[int, tuple[Child, Cohort]] = {}
    for cohort in event_cohorts(event):
        came_with_unit = attending.filter(
            event_places__event=event, event_places__invitation__unit_id=cohort.unit_id
        )
        for child in eligible_for_completion(cohort, threshold).filter(pk__in=came_with_unit):
            pairs.setdefault(child.pk, (child, cohort))
    return sorted(pairs.values(), key=lambda p: (p[0].last_name, p[0].first_name, p[0].pk))


# Certificates ----------------------------------------------------------------------------------
def verify_url(base_url: str, code: str) -> str:
    return base_url.rstrip("/") + reverse("awards:verify", args=[code])


def qr_url(base_url: str, code: str) -> str:
    """The address in the QR code: the short /V/<code> form, in capitals. Scheme and host are
    case-blind, and a capitals-only address fits QR's alphanumeric mode (5.5 bits a character
    instead of 8): a version 3 code (29 modules) instead of 4 (33), quicker to encode and to
    scan. It redirects to the verification page."""
    return (base_url.rstrip("/") + reverse("awards:verify_short", args=[code])).upper()


def certificate_content(certificate: Certificate, base_url: str) -> pdf.CertificateContent:
    """What `certificate` prints. Needs award, award__cohort__unit__school__area__force loaded."""
    award = certificate.award
    force = award.cohort.unit.school.area.force
    return pdf.CertificateContent(
        force_name=force.name,
        brand_colour=force.brand_colour,
        first_name=certificate.first_name,
        last_name=certificate.last_name,
        unit_name=certificate.unit_name,
        school_name=certificate.school_name,
        award_title=award.title,
        citation=award.citation,
        awarded_on=award.awarded_on,
        chief_constable_name=force.chief_constable_name,
        code=certificate.display_code,
        verify_url=verify_url(base_url, certificate.code),
        qr_url=qr_url(base_url, certificate.code),
        # A Welsh-language force's certificates are bilingual, Welsh first.
        languages=pdf.BILINGUAL if force.welsh_language else pdf.ENGLISH,
        is_completion=award.kind == AwardKind.COMPLETION and award.title == COMPLETION_TITLE,
    )


def render_certificates(certificates: list[Certificate], base_url: str, title: str) -> bytes:
    """One PDF of `certificates` (all of one force), signed with the force's signature image."""
    if not certificates:
        return pdf.render([], title=title)
    force = certificates[0].award.cohort.unit.school.area.force
    contents = [certificate_content(c, base_url) for c in certificates]
    if force.chief_constable_signature:
        with force.chief_constable_signature.open("rb") as signature:
            return pdf.render(contents, signature, title=title)
    return pdf.render(contents, title=title)


def _new_certificate(award: Award, child: Child, cohort: Cohort, acting_user, now) -> Certificate:
    return Certificate(
        award=award,
        code=new_code(),
        first_name=child.first_name,
        last_name=child.last_name,
        unit_name=cohort.unit.name,
        school_name=cohort.unit.school.name,
        issued_at=now,
        issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


def _issue_one(award: Award, acting_user, now) -> Certificate:
    """A new valid certificate for `award` (the caller has made sure none is valid)."""
    for _attempt in range(5):  # a clash of random codes is astronomically rare; try again if so
        certificate = _new_certificate(award, award.child, award.cohort, acting_user, now)
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            if Certificate.objects.filter(award=award, status=CertificateStatus.VALID).exists():
                raise
            continue
        return certificate
    raise IntegrityError("Could not find a free verification code")


def _force_of(cohort: Cohort) -> Force:
    return cohort.unit.school.area.force


@transaction.atomic
def give_special_award(
    *,
    acting_user,
    child: Child,
    cohort: Cohort,
    title: str,
    citation: str,
    awarded_on: datetime.date | None = None,
) -> Award:
    """A named award a leader gives a child of the cohort, with its certificate at once."""
    if not Enrolment.objects.filter(cohort=cohort, child=child, left__isnull=True).exists():
        raise ValidationError({"child": _("Choose a child who is in this cohort.")})
    now = timezone.now()
    award = Award(
        child=child,
        cohort=cohort,
        kind=AwardKind.SPECIAL,
        title=title.strip(),
        citation=citation.strip(),
        awarded_on=awarded_on or timezone.localdate(),
        given_by=acting_user,
        created_at=now,
    )
    award.full_clean()
    award.save()
    certificate = _issue_one(award, acting_user, now)
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=award,
        force=_force_of(cohort),
        label=f"Award #{award.pk}",
        fields={
            "kind": award.kind,
            "child_id": child.pk,
            "cohort_id": cohort.pk,
            "certificate_id": certificate.pk,
        },
    )
    return award


class NothingToReissue(Exception):
    pass


@transaction.atomic
def reissue_certificate(*, acting_user, award: Award) -> Certificate:
    """Print the award again with the child's current name: a new code; the old one `replaced`."""
    Award.objects.select_for_update().filter(pk=award.pk).first()
    award = Award.objects.select_related("child", "cohort__unit__school__area__force").get(
        pk=award.pk
    )
    if award.child.anonymised_at is not None:
        raise ValidationError(
            _("This child's details have been removed: the award cannot be issued again.")
        )
    old = Certificate.objects.filter(award=award, status=CertificateStatus.VALID).first()
    now = timezone.now()
    if old is not None:
        old.status = CertificateStatus.REPLACED
        old.save(update_fields=["status"])
    certificate = _issue_one(award, acting_user, now)
    if old is not None:
        old.replaced_by = certificate
        old.save(update_fields=["replaced_by"])
    record_audit(
        acting_user=acting_user,
        action="reissue",
        obj=certificate,
        force=_force_of(award.cohort),
        label=f"Certificate #{certificate.pk}",
        fields={
            "award_id": award.pk,
            "child_id": award.child_id,
            "replaces_certificate_id": old.pk if old else None,
        },
    )
    return certificate


@transaction.atomic
def revoke_certificate(*, acting_user, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate: its code then says "revoked". The award stays (it can be issued
    again)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Enter why the certificate is being revoked.")})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != CertificateStatus.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    locked.status = CertificateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = acting_user
    locked.revoked_reason = reason[:200]
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
    award = locked.award
    record_audit(
        acting_user=acting_user,
        action="revoke",
        obj=locked,
        force=_force_of(award.cohort),
        label=f"Certificate #{locked.pk}",
        fields={"award_id": award.pk, "child_id": award.child_id, "reason": "(recorded)"},
    )
    return locked


# Bulk issue ------------------------------------------------------------------------------------
def start_bulk_issue(*, acting_user, cohort: Cohort, base_url: str) -> BulkIssue:
    """Queue the completion certificates of `cohort` to be issued in the background.

    Returns the new job, or the job already queued or running for the cohort: a second
    confirmation (another tab, a colleague) starts nothing and shows the same progress.
    """
    return _start(acting_user, base_url, cohort=cohort)


def start_event_bulk_issue(*, acting_user, event: Event, base_url: str) -> BulkIssue:
    """Queue the completion certificates of the children checked in at `event` (those who
    reached the threshold in their cohort); as for a cohort, one active job per event."""
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event was cancelled: no certificates are issued for it."))
    return _start(acting_user, base_url, event=event)


def _start(acting_user, base_url: str, **source) -> BulkIssue:
    from minipolice.awards.tasks import run_bulk_issue_task

    job, created = _queue_bulk_issue(acting_user, base_url, **source)
    if created:
        # Enqueued once the job is committed, so a worker always finds it queued.
        _enqueue(job.pk, run_bulk_issue_task)
        job.refresh_from_db(fields=["task_id", "status", "error"])
    return job


ACTIVE = [BulkIssue.Status.QUEUED, BulkIssue.Status.RUNNING]


@transaction.atomic
def _queue_bulk_issue(acting_user, base_url: str, **source) -> tuple[BulkIssue, bool]:
    ((name, obj),) = source.items()
    # The source's row is locked first (PostgreSQL): a second confirmation waits here, then
    # finds the first one's job.
    type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    active = BulkIssue.objects.filter(**source, status__in=ACTIVE).first()
    if active is not None:
        return active, False
    force = _force_of(obj) if name == "cohort" else obj.force
    job = BulkIssue(
        force=force,
        requested_by=acting_user,
        created_at=timezone.now(),
        base_url=base_url[:200],
        **source,
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Another confirmation started one in the meantime (SQLite has no row locks).
        return BulkIssue.objects.get(**source, status__in=ACTIVE), False
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=job,
        force=force,
        label=f"Bulk issue of completion certificates #{job.pk}",
        fields={f"{name}_id": obj.pk},
    )
    return job, True


def _enqueue(job_id: int, task) -> None:
    try:
        result = task.enqueue(job_id)
    except Exception:
        BulkIssue.objects.filter(pk=job_id, status=BulkIssue.Status.QUEUED).update(
            status=BulkIssue.Status.FAILED, error=BULK_FAILED
        )
        raise
    BulkIssue.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


# Stored on the job in English; its page shows it in the reader's language.
BULK_FAILED = gettext_noop(
    "Issuing stopped because of an unexpected error. Start it again: nothing is issued twice."
)


def run_bulk_issue(*, job_id: int) -> dict:
    """The task's work: award completion to every child who reached the threshold (once),
    give each such award a valid certificate (once), then draw the combined PDF."""
    with transaction.atomic():
        job = BulkIssue.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != BulkIssue.Status.QUEUED:
            return {"status": str(job.status) if job else "missing"}
        job.status = BulkIssue.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        return _run(job)
    except Exception:
        BulkIssue.objects.filter(pk=job.pk).update(
            status=BulkIssue.Status.FAILED, error=BULK_FAILED, finished_at=timezone.now()
        )
        raise


def _run(job: BulkIssue) -> dict:
    force = job.force
    threshold = threshold_of(force)
    pairs = children_of_source(job, threshold)
    BulkIssue.objects.filter(pk=job.pk).update(total=len(pairs), done=0)
    today = timezone.localdate()
    issued = 0
    certificates: list[int] = []
    for start in range(0, len(pairs), PROGRESS_EVERY):
        batch = pairs[start : start + PROGRESS_EVERY]
        new_ids = _issue_batch(job, batch, today)
        issued += len(new_ids)
        certificates += _valid_certificate_ids(batch)
        BulkIssue.objects.filter(pk=job.pk).update(done=start + len(batch), issued_count=issued)
    ordered = list(
        Certificate.objects.filter(pk__in=certificates)
        .select_related("award", "award__cohort__unit__school__area__force")
        .order_by("last_name", "first_name", "pk")
    )
    document = render_certificates(ordered, job.base_url, title="Completion certificates")
    with transaction.atomic():
        job.certificates.set(ordered)
        BulkIssue.objects.filter(pk=job.pk).update(
            status=BulkIssue.Status.DONE,
            pdf=document,
            finished_at=timezone.now(),
            done=len(pairs),
            issued_count=issued,
        )
    return {"status": "done", "children": len(pairs), "issued": issued}


def _valid_certificate_ids(batch) -> list[int]:
    """The batch's valid completion certificates, for exactly its (child, cohort) pairs."""
    wanted = {(child.pk, cohort.pk) for child, cohort in batch}
    found = Certificate.objects.filter(
        status=CertificateStatus.VALID,
        award__kind=AwardKind.COMPLETION,
        award__child_id__in=[child for child, _ in wanted],
        award__cohort_id__in={cohort for _, cohort in wanted},
    ).values_list("pk", "award__child_id", "award__cohort_id")
    return [pk for pk, child, cohort in found if (child, cohort) in wanted]


def _issue_batch(job: BulkIssue, batch, today) -> list[int]:
    """Completion awards and certificates for one batch, in one transaction, skipping any a
    concurrent job or an earlier run already made (the unique constraints decide)."""
    now = timezone.now()
    actor = job.requested_by
    with transaction.atomic():
        Award.objects.bulk_create(
            [
                Award(
                    child=child,
                    cohort=cohort,
                    kind=AwardKind.COMPLETION,
                    title=COMPLETION_TITLE,
                    awarded_on=today,
                    given_by=actor,
                    created_at=now,
                )
                for child, cohort in batch
            ],
            ignore_conflicts=True,
        )
        by_child = {child.pk: (child, cohort) for child, cohort in batch}
        awards = list(
            Award.objects.filter(
                kind=AwardKind.COMPLETION,
                child_id__in=list(by_child),
                cohort_id__in={cohort.pk for _, cohort in batch},
            )
            .exclude(certificates__status=CertificateStatus.VALID)
            .select_related("cohort__unit__school")
        )
        fresh = [
            _new_certificate(award, by_child[award.child_id][0], award.cohort, actor, now)
            for award in awards
            if award.child_id in by_child and by_child[award.child_id][1].pk == award.cohort_id
        ]
        Certificate.objects.bulk_create(fresh, ignore_conflicts=True)
        made = list(
            Certificate.objects.filter(code__in=[c.code for c in fresh]).select_related("award")
        )
        entries = [
            audit_entry(
                acting_user=actor,
                action="issue",
                obj=certificate,
                force=job.force,
                label=f"Certificate #{certificate.pk}",
                fields={
                    "award_id": certificate.award_id,
                    "child_id": certificate.award.child_id,
                    "bulk_issue_id": job.pk,
                },
            )
            for certificate in made
        ]
        AuditEntry.objects.bulk_create(entries)
    return [c.pk for c in made]


# The public verification page's rate limit -----------------------------------------------------
VERIFY_LOOKUPS_PER_WINDOW = 30
VERIFY_WINDOW = datetime.timedelta(minutes=10)
KEEP_LOOKUPS_FOR = datetime.timedelta(days=1)


def record_verification_lookup(*, ip: str) -> bool:
    """Count one look-up from `ip`; True when the address has looked up too many codes in the
    window (the page then answers 429 and shows nothing). Counted in the database, by a keyed
    hash of the address, as the parent portal counts requests for sign-in links."""
    now = timezone.now()
    digest = ip_digest(ip)
    with transaction.atomic():
        VerificationLookup.objects.filter(at__lt=now - KEEP_LOOKUPS_FOR).delete()
        recent = VerificationLookup.objects.filter(at__gt=now - VERIFY_WINDOW, ip_digest=digest)
        if recent.count() >= VERIFY_LOOKUPS_PER_WINDOW:
            return True
        VerificationLookup.objects.create(at=now, ip_digest=digest)
    return False
