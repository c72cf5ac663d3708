"""Every write to children, guardians, enrolments and leaders' clearances. Atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minipolice.audit.services import changed_fields, record_audit, snapshot
from minipolice.organisations.models import Cohort
from minipolice.people.models import (
    Child,
    Enrolment,
    Guardian,
    Guardianship,
    SafeguardingTraining,
    Vetting,
)

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
        # Notes may describe additional needs: record that they changed, not what they say.
        if "leader_notes" in diff:
            diff["leader_notes"] = ["(hidden)", "(hidden)"]
        record_audit(
            acting_user=acting_user, action="update", obj=child, force=child.force, fields=diff
        )
    return child


@transaction.atomic
def enrol_child(
    *, acting_user, child: Child, cohort: Cohort, joined: datetime.date | None = None
) -> Enrolment:
    if _force_of(cohort).pk != child.force_id:
        raise ValidationError("A child can only join a cohort in their own force.")
    enrolment = Enrolment.objects.filter(child=child, cohort=cohort).first()
    if enrolment is not None:
        if enrolment.left is None:
            return enrolment
        enrolment.left = None
        enrolment.save(update_fields=["left"])
    else:
        today = timezone.localdate()
        default_joined = min(max(today, cohort.start_date), cohort.end_date)
        enrolment = Enrolment.objects.create(
            child=child, cohort=cohort, joined=joined or default_joined
        )
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=enrolment,
        force=child.force,
        label=f"{child} joined {cohort}",
        fields={"cohort": cohort.name},
    )
    return enrolment


@transaction.atomic
def leave_cohort(
    *, acting_user, enrolment: Enrolment, left: datetime.date | None = None
) -> Enrolment:
    if enrolment.left is not None:
        raise ValidationError("This child has already left that cohort.")
    on = left or timezone.localdate()
    if on < enrolment.joined:
        raise ValidationError({"left": "The leaving date cannot be before the date they joined."})
    enrolment.left = on
    enrolment.save(update_fields=["left"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=enrolment,
        force=enrolment.child.force,
        label=f"{enrolment.child} left {enrolment.cohort}",
        fields={"left": [None, str(on)]},
    )
    return enrolment


@transaction.atomic
def move_child(*, acting_user, child: Child, from_cohort: Cohort, to_cohort: Cohort) -> Enrolment:
    if from_cohort.pk == to_cohort.pk:
        raise ValidationError({"to_cohort": "Choose a different cohort."})
    current = Enrolment.objects.filter(child=child, cohort=from_cohort, left__isnull=True).first()
    if current is None:
        raise ValidationError("This child is not in that cohort now.")
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


@transaction.atomic
def update_guardian(*, acting_user, guardian: Guardian, **changes) -> Guardian:
    before = snapshot(guardian, GUARDIAN_FIELDS)
    for name, value in changes.items():
        setattr(guardian, name, value.strip() if isinstance(value, str) else value)
    guardian.email = guardian.email.lower()
    guardian.full_clean()
    diff = changed_fields(guardian, before, GUARDIAN_FIELDS)
    if diff:
        guardian.save(update_fields=list(diff))
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=guardian,
            force=guardian.force,
            fields=diff,
        )
    return guardian


@transaction.atomic
def link_guardian(
    *, acting_user, child: Child, guardian: Guardian, relationship: str = "parent"
) -> Guardianship:
    if guardian.force_id != child.force_id:
        raise ValidationError("A guardian and child must belong to the same force.")
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
def record_vetting(*, acting_user, leader, level: str, granted, expires, force=None) -> Vetting:
    vetting = Vetting(user=leader, level=level, granted=granted, expires=expires)
    vetting.full_clean()
    if expires < granted:
        raise ValidationError({"expires": "The expiry date must be after the date it was granted."})
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
    if expires < completed:
        raise ValidationError(
            {"expires": "The expiry date must be after the date it was completed."}
        )
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
