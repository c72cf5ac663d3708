"""Every write to community actions. Who took part is children's personal data: audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from minipolice.audit.services import record_audit
from minipolice.community.models import (
    KIND_MEASURES,
    MEASURES,
    ActionKind,
    CommunityAction,
    Participation,
)
from minipolice.community.selectors import enrolled_on
from minipolice.consent.enforcement import attendance_decisions
from minipolice.lib.users import signed_in_or_none


def _audit_label(action: CommunityAction) -> str:
    """The action as the audit log names it: in English whatever the page's language."""
    with translation.override(None):
        return f"{action} by {action.unit.name}"


DETAIL_FIELDS = ["date", "place", "latitude", "longitude", "partners", "outcome"]


def _apply(action: CommunityAction, kind: str, details: dict) -> None:
    """Set the details, and only the measures that fit the kind: the others are cleared."""
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose what kind of action it was.")})
    action.kind = kind
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(action, name, details[name])
    fitting = KIND_MEASURES[ActionKind(kind)]
    for name in MEASURES:
        setattr(action, name, details.get(name) if name in fitting else None)


def _check_participants(action: CommunityAction, children) -> None:
    """Each child was in one of the unit's cohorts running on the day, with consent to take
    part."""
    ids = [child.pk for child in children]
    if not ids:
        return
    enrolled = set(
        enrolled_on(action.unit, action.date)
        .filter(child_id__in=ids)
        .values_list("child_id", flat=True)
    )
    decisions = attendance_decisions(ids, today=action.date)
    problems = []
    for child in children:
        if child.pk not in enrolled:
            problems.append(
                _(
                    "%(child)s was not in a cohort of %(unit)s running on %(date)s: choose only "
                    "children in a current cohort."
                )
                % {
                    "child": child,
                    "unit": action.unit.name,
                    "date": format_date(action.date, "j F Y"),
                }
            )
        elif not decisions.get(child.pk):
            reason = (
                decisions[child.pk].reason if child.pk in decisions else _("No consent recorded")
            )
            problems.append(
                _("%(child)s cannot take part: %(reason)s.") % {"child": child, "reason": reason}
            )
    if problems:
        raise ValidationError({"participants": problems})


def _audit_fields(action, participant_ids) -> dict:
    return {
        "kind": action.kind,
        "date": str(action.date),
        "place": action.place,
        **{name: getattr(action, name) for name in MEASURES if getattr(action, name) is not None},
        "participants": sorted(participant_ids),
    }


@transaction.atomic
def record_action(*, acting_user, unit, kind: str, participants=(), **details) -> CommunityAction:
    action = CommunityAction(
        unit=unit,
        recorded_by=signed_in_or_none(acting_user),
        recorded_at=timezone.now(),
    )
    _apply(action, kind, details)
    action.full_clean()
    participants = list(participants)
    _check_participants(action, participants)
    action.save()
    Participation.objects.bulk_create(
        Participation(action=action, child=child) for child in participants
    )
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=action,
        force=unit.school.area.force,
        label=_audit_label(action),
        fields=_audit_fields(action, [c.pk for c in participants]),
    )
    return action


@transaction.atomic
def update_action(
    *, acting_user, action: CommunityAction, kind: str, participants, editable_ids, **details
) -> CommunityAction:
    """Change an action. `editable_ids` are the children the editor may see: participants
    they cannot see are kept as they are."""
    before = _audit_fields(
        CommunityAction.objects.get(pk=action.pk),
        list(action.participations.values_list("child_id", flat=True)),
    )
    _apply(action, kind, details)
    action.full_clean()
    participants = list(participants)
    current = set(action.participations.values_list("child_id", flat=True))
    wanted = {child.pk for child in participants}
    added = [child for child in participants if child.pk not in current]
    _check_participants(action, added)
    removed = (current - wanted) & set(editable_ids)
    action.save()
    action.participations.filter(child_id__in=removed).delete()
    Participation.objects.bulk_create(Participation(action=action, child=child) for child in added)
    after = _audit_fields(action, (current - removed) | {c.pk for c in added})
    changes = {
        k: [before.get(k), after.get(k)]
        for k in after.keys() | before.keys()
        if before.get(k) != after.get(k)
    }
    if changes:
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=action,
            force=action.unit.school.area.force,
            label=_audit_label(action),
            fields=changes,
        )
    return action
