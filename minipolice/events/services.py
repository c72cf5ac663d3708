"""Every write to events, invitations and places, audited (children by id, never by name).

Places are given under a lock on the event's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite
transactions here begin IMMEDIATE and so run one at a time): of two leaders filling the last
place at once, one gets it and the other's child goes on the waiting list. Whenever a place is
given up, or the capacity grows, the waiting list is promoted in order, skipping children whose
trip consent no longer stands.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.audit.services import record_audit
from minipolice.consent import emails
from minipolice.consent.enforcement import trip_decisions
from minipolice.consent.models import ConsentKind, ConsentMethod, ConsentStatus, EmailDelivery
from minipolice.consent.services import record_consent
from minipolice.events.models import (
    REWARD_VISITS,
    Event,
    EventEmail,
    EventKind,
    EventPlace,
    EventStatus,
    Guest,
    GuestRole,
    Invitation,
    InvitationStatus,
    PlaceStatus,
    ProgrammeItem,
    RiskAssessment,
)
from minipolice.events.selectors import enrolled_on, event_problems
from minipolice.lib.users import signed_in_or_none

DETAIL_FIELDS = [
    "title",
    "date",
    "start_time",
    "end_time",
    "venue",
    "address",
    "capacity",
    "transport_notes",
    "what_to_bring",
]


def _audit(acting_user, action, obj, event, fields, label=None):
    record_audit(
        acting_user=acting_user,
        action=action,
        obj=obj,
        force=event.force,
        label=label,
        fields=fields,
    )


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def _set_programme(event, programme, guests, leaders):
    if programme is not None:
        event.programme.all().delete()
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(event=event, time=time, title=title) for time, title in programme
        )
    if guests is not None:
        for _name, role in guests:
            if role not in GuestRole.values:
                raise ValidationError(
                    {"guests": _("Unknown guest role “%(role)s”.") % {"role": role}}
                )
        event.guests.all().delete()
        Guest.objects.bulk_create(Guest(event=event, name=name, role=role) for name, role in guests)
    if leaders is not None:
        event.leaders.set(leaders)


def _check_scope(*, kind, force, area, unit):
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose what kind of event it is.")})
    if kind == EventKind.CELEBRATION and unit is not None:
        raise ValidationError({"kind": _("A unit's outing is a reward visit.")})
    if kind in REWARD_VISITS and unit is None:
        raise ValidationError({"kind": _("A reward visit belongs to a unit.")})
    if area is not None and area.force_id != force.pk:
        raise ValidationError(_("The area belongs to another force."))


@transaction.atomic
def create_event(
    *,
    acting_user,
    force,
    kind: str,
    area=None,
    unit=None,
    programme=(),
    guests=(),
    leaders=(),
    **details,
) -> Event:
    """A celebration day of the force (or of `area`), or `unit`'s reward visit. A reward visit
    invites its own unit at once, accepted."""
    if unit is not None:
        force, area = unit.school.area.force, None
    _check_scope(kind=kind, force=force, area=area, unit=unit)
    event = Event(
        force=force,
        area=area,
        unit=unit,
        kind=kind,
        created_by=signed_in_or_none(acting_user),
        created_at=timezone.now(),
        **{name: details[name] for name in DETAIL_FIELDS if name in details},
    )
    event.full_clean()
    event.save()
    _set_programme(event, list(programme), list(guests), list(leaders))
    _audit(
        acting_user,
        "create",
        event,
        event,
        {
            "kind": kind,
            "area": area.pk if area else None,
            "unit": unit.pk if unit else None,
            **{name: _jsonable(getattr(event, name)) for name in DETAIL_FIELDS},
            "leaders": sorted(u.pk for u in leaders),
        },
    )
    if unit is not None:
        now = timezone.now()
        invitation = Invitation.objects.create(
            event=event,
            unit=unit,
            status=InvitationStatus.ACCEPTED,
            invited_at=now,
            invited_by=signed_in_or_none(acting_user),
            responded_at=now,
            responded_by=signed_in_or_none(acting_user),
        )
        _audit(acting_user, "create", invitation, event, {"unit": unit.pk, "status": "accepted"})
    return event


def _lock(event) -> Event:
    return Event.objects.select_for_update().select_related("force").get(pk=event.pk)


@transaction.atomic
def update_event(
    *, acting_user, event, programme=None, guests=None, leaders=None, base_url="", **details
) -> Event:
    event = _lock(event)
    before = {name: _jsonable(getattr(event, name)) for name in DETAIL_FIELDS}
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(event, name, details[name])
    event.full_clean()
    taken = event.places.filter(status=PlaceStatus.PLACE).count()
    if event.capacity < taken:
        raise ValidationError(
            {
                "capacity": _(
                    "%(taken)s children already have a place: give up places before lowering "
                    "the capacity below %(taken)s."
                )
                % {"taken": taken}
            }
        )
    event.save(update_fields=DETAIL_FIELDS)
    _set_programme(event, programme, guests, leaders)
    after = {name: _jsonable(getattr(event, name)) for name in DETAIL_FIELDS}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if leaders is not None:
        changes["leaders"] = sorted(u.pk for u in leaders)
    if changes or programme is not None or guests is not None:
        _audit(acting_user, "update", event, event, changes)
    _promote(acting_user, event, base_url)
    return event


@transaction.atomic
def save_risk_assessment(
    *, acting_user, event, hazards: str, controls: str, first_aider: str, adults: int
) -> RiskAssessment:
    """Write the assessment; a change to one signed off withdraws the sign-off."""
    assessment = RiskAssessment.objects.filter(event=event).first() or RiskAssessment(event=event)
    new = assessment.pk is None
    values = {
        "hazards": hazards.strip(),
        "controls": controls.strip(),
        "first_aider": first_aider.strip(),
        "adults": adults,
    }
    changed = {k: v for k, v in values.items() if getattr(assessment, k, None) != v}
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.updated_at = timezone.now()
    assessment.updated_by = signed_in_or_none(acting_user)
    if changed and assessment.signed_off_at is not None:
        assessment.signed_off_at = None
        assessment.signed_off_by = None
        changed["signed_off"] = False
    assessment.full_clean()
    assessment.save()
    if new or changed:
        _audit(acting_user, "create" if new else "update", assessment, event, changed)
    return assessment


@transaction.atomic
def sign_off_risk_assessment(*, acting_user, event) -> RiskAssessment:
    assessment = RiskAssessment.objects.select_for_update().filter(event=event).first()
    if assessment is None:
        raise ValidationError(_("Write the risk assessment before signing it off."))
    assessment.signed_off_at = timezone.now()
    assessment.signed_off_by = signed_in_or_none(acting_user)
    assessment.save(update_fields=["signed_off_at", "signed_off_by"])
    _audit(acting_user, "update", assessment, event, {"signed_off": True})
    return assessment


@transaction.atomic
def confirm_event(*, acting_user, event) -> Event:
    """Confirm the event: refused while the ratio is not met or the assessment not signed off."""
    event = _lock(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be confirmed."))
    problems = event_problems(event)
    if problems:
        raise ValidationError(problems)
    event.status = EventStatus.CONFIRMED
    event.confirmed_at = timezone.now()
    event.confirmed_by = signed_in_or_none(acting_user)
    event.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    _audit(acting_user, "update", event, event, {"status": ["draft", "confirmed"]})
    return event


@transaction.atomic
def invite_units(*, acting_user, event, units) -> list[Invitation]:
    """Invite each unit once (units already invited are left as they are)."""
    if event.is_reward_visit:
        raise ValidationError(_("A reward visit is for its own unit."))
    already = set(event.invitations.values_list("unit_id", flat=True))
    now = timezone.now()
    created = []
    for unit in units:
        if unit.pk in already:
            continue
        if unit.school.area.force_id != event.force_id:
            raise ValidationError(_("%(unit)s belongs to another force.") % {"unit": unit.name})
        created.append(
            Invitation(
                event=event, unit=unit, invited_at=now, invited_by=signed_in_or_none(acting_user)
            )
        )
    Invitation.objects.bulk_create(created)
    if created:
        _audit(
            acting_user,
            "update",
            event,
            event,
            {"invited_units": sorted(i.unit_id for i in created)},
        )
    return created


def _check_children(invitation, children):
    ids = [c.pk for c in children]
    enrolled = set(
        enrolled_on(invitation.unit, invitation.event.date)
        .filter(child_id__in=ids)
        .values_list("child_id", flat=True)
    )
    decisions = trip_decisions(ids, invitation.event.trip_reference)
    problems = []
    for child in children:
        if child.pk not in enrolled:
            problems.append(
                _("%(child)s is not in a cohort of %(unit)s on the day of the event.")
                % {"child": child, "unit": invitation.unit.name}
            )
        elif not decisions.get(child.pk):
            reason = (
                decisions[child.pk].reason if child.pk in decisions else _("No consent recorded")
            )
            problems.append(
                _("%(child)s cannot have a place: %(reason)s.") % {"child": child, "reason": reason}
            )
    if problems:
        raise ValidationError({"children": problems})


@transaction.atomic
def choose_children(*, acting_user, invitation, children, editable_ids, base_url: str = "") -> dict:
    """Accept the invitation for the unit with exactly `children` (of those in `editable_ids`,
    the children the chooser may see). Each needs trip consent for this event; a child beyond
    capacity goes on the waiting list. Children no longer chosen give up their place, and the
    waiting list moves up. Returns {"places": [...], "waiting": [...], "released": [...]} ids."""
    event = _lock(invitation.event)
    invitation.event = event
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("The event is cancelled."))
    children = list(children)
    current = {
        p.child_id: p
        for p in EventPlace.objects.filter(invitation=invitation).exclude(
            status=PlaceStatus.RELEASED
        )
    }
    wanted = {c.pk for c in children}
    added = [c for c in children if c.pk not in current]
    _check_children(invitation, added)
    result = {"places": [], "waiting": [], "released": []}
    now = timezone.now()
    for child_id in (set(current) - wanted) & set(editable_ids):
        place = current[child_id]
        place.status = PlaceStatus.RELEASED
        place.save(update_fields=["status"])
        result["released"].append(child_id)
    taken = event.places.filter(status=PlaceStatus.PLACE).count()
    waiting_exists = event.places.filter(status=PlaceStatus.WAITING).exists()
    for child in added:
        # Nobody jumps the waiting list: a freed place goes to the first in line (below).
        status = (
            PlaceStatus.PLACE
            if taken < event.capacity and not waiting_exists
            else PlaceStatus.WAITING
        )
        place, _created = EventPlace.objects.update_or_create(
            event=event,
            child=child,
            defaults={
                "invitation": invitation,
                "status": status,
                "requested_at": now,
                "requested_by": signed_in_or_none(acting_user),
                "checked_in_at": None,
                "arrived_late": False,
                "collected_early_at": None,
            },
        )
        if status == PlaceStatus.PLACE:
            taken += 1
            result["places"].append(child.pk)
            _email_place(acting_user, place, base_url)
        else:
            waiting_exists = True
            result["waiting"].append(child.pk)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = now
    invitation.responded_by = signed_in_or_none(acting_user)
    invitation.save(update_fields=["status", "responded_at", "responded_by"])
    if any(result.values()):
        _audit(acting_user, "update", invitation, event, {**result, "status": "accepted"})
    result["places"] += _promote(acting_user, event, base_url)
    return result


@transaction.atomic
def decline_invitation(*, acting_user, invitation, base_url: str = "") -> Invitation:
    event = _lock(invitation.event)
    released = list(
        invitation.places.exclude(status=PlaceStatus.RELEASED).values_list("child_id", flat=True)
    )
    invitation.places.exclude(status=PlaceStatus.RELEASED).update(status=PlaceStatus.RELEASED)
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.responded_by = signed_in_or_none(acting_user)
    invitation.save(update_fields=["status", "responded_at", "responded_by"])
    _audit(acting_user, "update", invitation, event, {"status": "declined", "released": released})
    _promote(acting_user, event, base_url)
    return invitation


@transaction.atomic
def release_place(*, acting_user, place, base_url: str = "") -> list[int]:
    """Give up a place (or a turn on the waiting list); the waiting list moves up. Returns
    the children promoted."""
    event = _lock(place.event)
    place = EventPlace.objects.select_for_update().get(pk=place.pk)
    if place.status == PlaceStatus.RELEASED:
        return []
    before = place.status
    place.status = PlaceStatus.RELEASED
    place.save(update_fields=["status"])
    _audit(acting_user, "update", place, event, {"status": [before, "released"]})
    return _promote(acting_user, event, base_url)


def _promote(acting_user, event, base_url: str) -> list[int]:
    """Fill free places from the waiting list in order. Call with the event's row locked."""
    free = event.capacity - event.places.filter(status=PlaceStatus.PLACE).count()
    if free <= 0:
        return []
    waiting = list(event.places.filter(status=PlaceStatus.WAITING).order_by("requested_at", "pk"))
    decisions = trip_decisions([p.child_id for p in waiting], event.trip_reference)
    promoted = []
    for place in waiting:
        if len(promoted) >= free:
            break
        if not decisions.get(place.child_id):
            continue  # trip consent withdrawn or expired since: they wait, not go
        place.status = PlaceStatus.PLACE
        place.save(update_fields=["status"])
        _audit(acting_user, "update", place, event, {"status": ["waiting", "place"]})
        _email_place(acting_user, place, base_url)
        promoted.append(place.child_id)
    return promoted


@transaction.atomic
def cancel_event(*, acting_user, event, reason: str, base_url: str = "") -> Event:
    """Call the event off: every place and waiting-list turn is given up, and the guardians of
    the children who had a place are told by email (with the reason). Returns the event."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Enter why the event is cancelled")})
    event = _lock(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    before = event.status
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.cancelled_by = signed_in_or_none(acting_user)
    event.cancelled_reason = reason[:300]
    event.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancelled_reason"])
    places = list(
        event.places.select_for_update()
        .filter(status__in=[PlaceStatus.PLACE, PlaceStatus.WAITING])
        .order_by("pk")
    )
    EventPlace.objects.filter(pk__in=[p.pk for p in places]).update(status=PlaceStatus.RELEASED)
    with_place = [p for p in places if p.status == PlaceStatus.PLACE]
    _audit(
        acting_user,
        "update",
        event,
        event,
        {
            "status": [before, "cancelled"],
            "reason": "(recorded)",
            "places_released": len(with_place),
            "waiting_released": len(places) - len(with_place),
        },
    )
    for place in places:
        _audit(acting_user, "update", place, event, {"status": [place.status, "released"]})
    for place in with_place:
        _email_guardians(
            acting_user,
            event,
            place.child,
            base_url,
            EmailDelivery.Kind.EVENT_CANCELLED,
            gettext_lazy("Mini Police: %(title)s is cancelled"),
        )
    return event


CHECKIN_ACTIONS = {"arrived", "late", "collected", "undo"}


@transaction.atomic
def record_checkin(*, acting_user, place, action: str) -> EventPlace:
    """On the day: arrived, arrived late, collected early, or undo the last of these."""
    if action not in CHECKIN_ACTIONS:
        raise ValidationError(_("Choose arrived, arrived late or collected early."))
    place = EventPlace.objects.select_for_update().select_related("event__force").get(pk=place.pk)
    if place.status != PlaceStatus.PLACE:
        raise ValidationError(_("Only a child with a place can be checked in."))
    now = timezone.now()
    before = _checkin_state(place)
    if action in ("arrived", "late"):
        place.checked_in_at = place.checked_in_at or now
        place.arrived_late = action == "late"
        place.collected_early_at = None
    elif action == "collected":
        if place.checked_in_at is None:
            raise ValidationError(_("A child who has not arrived cannot be collected early."))
        place.collected_early_at = now
    elif place.collected_early_at is not None:
        place.collected_early_at = None
    else:
        place.checked_in_at = None
        place.arrived_late = False
    place.save(update_fields=["checked_in_at", "arrived_late", "collected_early_at"])
    _audit(
        acting_user,
        "update",
        place,
        place.event,
        {"check_in": [before, _checkin_state(place)]},
    )
    return place


def _checkin_state(place) -> str:
    if place.checked_in_at is None:
        return "not arrived"
    if place.collected_early_at is not None:
        return "collected early"
    return "arrived late" if place.arrived_late else "arrived"


@transaction.atomic
def answer_trip_consent(*, acting_user, guardian, child, event, agree: bool, base_url: str = ""):
    """A parent's yes or no in the portal for one event. A no gives up the child's place."""
    consent = record_consent(
        acting_user=acting_user,
        child=child,
        kind=ConsentKind.TRIP,
        status=ConsentStatus.GRANTED if agree else ConsentStatus.REFUSED,
        method=ConsentMethod.PORTAL,
        given_by=guardian,
        given_by_email=guardian.email,
        trip_reference=event.trip_reference,
    )
    if not agree:
        place = (
            EventPlace.objects.filter(event=event, child=child)
            .exclude(status=PlaceStatus.RELEASED)
            .first()
        )
        if place is not None:
            release_place(acting_user=acting_user, place=place, base_url=base_url)
    return consent


def _email_place(acting_user, place, base_url: str) -> None:
    """Tell the child's guardians (with an email address) of the place, with a calendar."""
    event = place.event
    _email_guardians(
        acting_user,
        event,
        place.child,
        base_url,
        EmailDelivery.Kind.EVENT_PLACE,
        gettext_lazy("Mini Police: a place at %(title)s"),
    )


def _email_guardians(acting_user, event, child, base_url: str, kind, subject) -> None:
    """One email of `kind` about `event` to each of the child's guardians with an address,
    through the consent app's outbox.

    The subject is stored in English (the outbox's list); the email itself is written in the
    parents' language(s) when it is sent (events.emails)."""
    if not base_url:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject) % {"title": event.title}
    guardians = [
        link.guardian
        for link in child.guardianships.select_related("guardian")
        if link.guardian.email and link.guardian.anonymised_at is None
    ]
    for guardian in guardians:
        delivery = EmailDelivery.objects.create(
            force_id=guardian.force_id,
            guardian=guardian,
            kind=kind,
            to_email=guardian.email,
            subject=subject[:200],
            base_url=base_url,
            created_at=timezone.now(),
            created_by=signed_in_or_none(acting_user),
        )
        # The link to the event is written before the task is enqueued: a task backend that
        # runs at once (tests) then finds it.
        EventEmail.objects.create(delivery=delivery, event=event, child=child)
        emails.schedule(delivery)
