"""Every write to forces, areas, schools, units and cohorts. Each one is atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.accounts.scoping import is_cleared
from minipolice.audit.services import changed_fields, record_audit, snapshot
from minipolice.lib.users import signed_in_or_none
from minipolice.organisations.models import (
    UNIT_TRANSITIONS,
    Area,
    Cohort,
    Force,
    School,
    Unit,
    UnitStatus,
    UnitStatusChange,
)

SCHOOL_FIELDS = ["name", "urn", "address", "town", "postcode", "latitude", "longitude", "area"]
COHORT_FIELDS = ["name", "start_date", "end_date", "programme_template"]
UNIT_FIELDS = ["name", "funding_source"]
# The code of the refusal of a status change the unit's current status does not allow (a
# conflict with the stored state: the API answers it with 409).
INVALID_TRANSITION = "invalid_transition"


def _save_new(obj, *, acting_user, force: Force, fields: list[str]):
    obj.full_clean()
    obj.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=obj,
        force=force,
        fields={name: str(getattr(obj, name)) for name in fields},
    )
    return obj


def _save_changes(obj, before: dict, *, acting_user, force: Force, fields: list[str]):
    obj.full_clean()
    changes = changed_fields(obj, before, fields)
    if changes:
        obj.save(update_fields=[f for f in fields if f in changes])
        record_audit(acting_user=acting_user, action="update", obj=obj, force=force, fields=changes)
    return obj


@transaction.atomic
def create_force(*, acting_user, name: str, short_name: str, **extra) -> Force:
    force = Force(name=name, short_name=short_name, **extra)
    force.full_clean()
    force.save()
    record_audit(acting_user=acting_user, action="create", obj=force, force=force)
    return force


@transaction.atomic
def create_area(*, acting_user, force: Force, name: str) -> Area:
    return _save_new(
        Area(force=force, name=name), acting_user=acting_user, force=force, fields=["name"]
    )


@transaction.atomic
def update_area(*, acting_user, area: Area, name: str) -> Area:
    before = snapshot(area, ["name"])
    area.name = name
    return _save_changes(area, before, acting_user=acting_user, force=area.force, fields=["name"])


@transaction.atomic
def create_school(*, acting_user, area: Area, name: str, **details) -> School:
    school = School(area=area, name=name, **details)
    return _save_new(school, acting_user=acting_user, force=area.force, fields=["name", "urn"])


@transaction.atomic
def update_school(*, acting_user, school: School, **changes) -> School:
    before = snapshot(school, SCHOOL_FIELDS)
    for name, value in changes.items():
        setattr(school, name, value)
    return _save_changes(
        school, before, acting_user=acting_user, force=school.area.force, fields=SCHOOL_FIELDS
    )


@transaction.atomic
def create_unit(
    *,
    acting_user,
    school: School,
    name: str,
    status: str = UnitStatus.PROPOSED,
    status_since: datetime.date | None = None,
    funding_source: str = "",
) -> Unit:
    since = status_since or timezone.localdate()
    unit = Unit(
        school=school, name=name, status=status, status_since=since, funding_source=funding_source
    )
    _save_new(unit, acting_user=acting_user, force=school.area.force, fields=["name", "status"])
    UnitStatusChange.objects.create(
        unit=unit,
        from_status="",
        to_status=status,
        changed_on=since,
        changed_by=signed_in_or_none(acting_user),
    )
    return unit


@transaction.atomic
def update_unit(*, acting_user, unit: Unit, **changes) -> Unit:
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        setattr(unit, name, value)
    return _save_changes(
        unit, before, acting_user=acting_user, force=unit.school.area.force, fields=UNIT_FIELDS
    )


@transaction.atomic
def change_unit_status(
    *,
    acting_user,
    unit: Unit,
    to_status: str,
    changed_on: datetime.date | None = None,
    note: str = "",
) -> UnitStatusChange:
    unit = Unit.objects.select_for_update().select_related("school__area__force").get(pk=unit.pk)
    current = UnitStatus(unit.status)
    if to_status not in UNIT_TRANSITIONS[current]:
        target = (
            UnitStatus(to_status).label.lower() if to_status in UnitStatus.values else to_status
        )
        refused = ValidationError(
            (
                _("An %(current)s unit cannot become %(target)s.")
                if _article(str(current.label)) == "An"
                else _("A %(current)s unit cannot become %(target)s.")
            )
            % {"current": current.label.lower(), "target": target},
            code=INVALID_TRANSITION,
        )
        raise ValidationError({"to_status": refused})
    on = changed_on or timezone.localdate()
    if on < unit.status_since:
        raise ValidationError(
            {
                "changed_on": _(
                    "The date cannot be before %(date)s, when the unit became %(status)s."
                )
                % {
                    "date": date_format(unit.status_since, "j F Y"),
                    "status": current.label.lower(),
                }
            }
        )
    change = UnitStatusChange(
        unit=unit,
        from_status=current,
        to_status=to_status,
        changed_on=on,
        changed_by=signed_in_or_none(acting_user),
        note=note,
    )
    change.full_clean()
    change.save()
    unit.status, unit.status_since = to_status, on
    unit.save(update_fields=["status", "status_since"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=unit,
        force=unit.school.area.force,
        fields={"status": [current, to_status], "changed_on": str(on)},
    )
    return change


@transaction.atomic
def assign_unit_leader(
    *, acting_user, unit: Unit, leader, require_clearance: bool = True
) -> RoleAssignment:
    """Make `leader` a leader of `unit`. They must have in-date vetting and safeguarding
    training, unless they are new and about to have them recorded (`require_clearance=False`)."""
    if require_clearance and not is_cleared(leader):
        raise ValidationError(
            {
                "leader": _(
                    "%(leader)s has no in-date vetting and safeguarding training: record their "
                    "renewal first."
                )
                % {"leader": leader}
            }
        )
    force = unit.school.area.force
    assignment, created = RoleAssignment.objects.get_or_create(
        user=leader, role=Role.UNIT_LEADER, unit=unit, defaults={"force": force}
    )
    if created:
        record_audit(
            acting_user=acting_user,
            action="create",
            obj=assignment,
            force=force,
            fields={"leader": leader.email, "unit": unit.name},
        )
    return assignment


@transaction.atomic
def remove_unit_leader(*, acting_user, unit: Unit, leader) -> None:
    force = unit.school.area.force
    for assignment in RoleAssignment.objects.filter(user=leader, role=Role.UNIT_LEADER, unit=unit):
        record_audit(
            acting_user=acting_user,
            action="delete",
            obj=assignment,
            force=force,
            fields={"leader": leader.email, "unit": unit.name},
        )
        assignment.delete()


@transaction.atomic
def create_cohort(
    *, acting_user, unit: Unit, name: str, start_date, end_date, programme_template=None
) -> Cohort:
    cohort = Cohort(
        unit=unit,
        name=name,
        start_date=start_date,
        end_date=end_date,
        programme_template=programme_template,
    )
    return _save_new(
        cohort, acting_user=acting_user, force=unit.school.area.force, fields=COHORT_FIELDS
    )


@transaction.atomic
def update_cohort(*, acting_user, cohort: Cohort, **changes) -> Cohort:
    before = snapshot(cohort, COHORT_FIELDS)
    for name, value in changes.items():
        setattr(cohort, name, value)
    return _save_changes(
        cohort,
        before,
        acting_user=acting_user,
        force=cohort.unit.school.area.force,
        fields=COHORT_FIELDS,
    )


def _article(word: str) -> str:
    return "An" if word[:1].lower() in "aeiou" else "A"
