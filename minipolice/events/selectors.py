"""Scoped reads of events, invitations and places. Views and the API use only these.

Who sees an event: its force's coordinators and funders; area leads for their areas' events,
their units' reward visits and events inviting their units; teachers and leaders for their
school's or unit's reward visits and the events inviting them; national viewers every event
(counts only). Names of children come only through people.selectors.visible_children.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.community.selectors import enrolled_on
from minipolice.consent.enforcement import Decision, trip_decisions
from minipolice.consent.models import Consent
from minipolice.events.models import (
    Event,
    EventPlace,
    Invitation,
    PlaceStatus,
)
from minipolice.lib.access import get_or_404
from minipolice.lib.disclosure import exact_children_counts, rounded_children
from minipolice.organisations.models import Area, Force
from minipolice.organisations.selectors import visible_units
from minipolice.people.models import Child, Enrolment
from minipolice.people.selectors import visible_children

# For each level of a role's scope, the lookups from an event that bring it in reach.
READ_PATHS = {
    "force": ["force_id"],
    "area": ["area_id", "unit__school__area_id", "invitations__unit__school__area_id"],
    "school": ["unit__school_id", "invitations__unit__school_id"],
    "unit": ["unit_id", "invitations__unit_id"],
}
# Managing (and signing off): only what one organises, never an event one is invited to.
MANAGE_PATHS = {
    "force": ["force_id"],
    "area": ["area_id", "unit__school__area_id"],
    "unit": ["unit_id"],
}
# Choosing children and checking them in: the invited units in one's scope.
INVITATION_PATHS = {
    "force": "event__force_id",
    "area": "unit__school__area_id",
    "school": "unit__school_id",
    "unit": "unit_id",
}


def _event_q(user, perm: Perm, paths) -> Q:
    scope = get_scope(user)
    if perm == Perm.EVENT_COUNTS and scope.is_national and scope.has(perm):
        return Q()
    q = Q(pk__in=[])
    for level, lookups in paths.items():
        ids = scope.ids(perm, level)
        for lookup in lookups if ids else ():
            q |= Q(**{f"{lookup}__in": sorted(ids)})
    return q


def _count_of(rows):
    """The number of `rows` (correlated to the outer event) as a subquery: counted per event
    in an index, not through a join of the event's places with its invitations, whose rows
    multiply (a celebration day of 1,000 places and 50 units gave 50,000 joined rows)."""
    counted = rows.order_by().values("event_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _place_counts():
    places = EventPlace.objects.filter(event_id=OuterRef("pk"))
    return {
        "places_count": _count_of(places.filter(status=PlaceStatus.PLACE)),
        "waiting_count": _count_of(places.filter(status=PlaceStatus.WAITING)),
        "checked_in_count": _count_of(
            places.filter(status=PlaceStatus.PLACE, checked_in_at__isnull=False)
        ),
        "units_count": _count_of(Invitation.objects.filter(event_id=OuterRef("pk"))),
    }


def visible_events(user, perm: Perm = Perm.EVENT_READ):
    paths = MANAGE_PATHS if perm in (Perm.EVENT_MANAGE, Perm.EVENT_SIGN_OFF) else READ_PATHS
    matching = Event.objects.filter(_event_q(user, perm, paths)).values("pk")
    return (
        Event.objects.filter(pk__in=matching)
        .select_related("force", "area", "unit", "unit__school", "risk_assessment")
        .annotate(**_place_counts())
    )


def get_event_for_user(user, pk, perm: Perm = Perm.EVENT_READ) -> Event:
    return get_or_404(visible_events(user, perm), pk)


def may(user, event: Event, perm: Perm) -> bool:
    return visible_events(user, perm).filter(pk=event.pk).exists()


def units_counted_exactly(user, unit_ids) -> set[int]:
    """Of `unit_ids`, the units whose children the user may read: counts of places there may be
    exact. Elsewhere they are rounded (lib.disclosure), so a teacher or leader looking at a
    celebration day learns no other school's small numbers."""
    if not unit_ids or not exact_children_counts(user, Perm.EVENT_COUNTS):
        return set()
    readable = visible_units(user, Perm.CHILDREN_READ).filter(pk__in=sorted(set(unit_ids)))
    return set(readable.values_list("pk", flat=True))


COUNT_NAMES = ("places_count", "waiting_count", "checked_in_count")


def event_counts(user, events) -> list[dict]:
    """Counts of places per event: exact only when the user may read the children of every
    unit the event invited, else rounded (lib.disclosure)."""
    events = list(events)
    invited: dict[int, set[int]] = {}
    for event_id, unit_id in Invitation.objects.filter(event__in=events).values_list(
        "event_id", "unit_id"
    ):
        invited.setdefault(event_id, set()).add(unit_id)
    readable = units_counted_exactly(user, set().union(*invited.values()))
    may_be_exact = exact_children_counts(user, Perm.EVENT_COUNTS)
    rows = []
    for event in events:
        exact = may_be_exact and invited.get(event.pk, set()) <= readable
        counts = {name: getattr(event, name) for name in COUNT_NAMES}
        if not exact:
            counts = {name: rounded_children(value) for name, value in counts.items()}
        rows.append({"event": event, "exact": exact, **counts})
    return rows


def round_counts_beyond_reach(user, event, invitations) -> bool:
    """Round, in place, the counts of the invitations whose children the user may not read,
    and the event's totals when any is rounded. True when every figure stays exact."""
    readable = units_counted_exactly(user, [i.unit_id for i in invitations])
    exact = exact_children_counts(user, Perm.EVENT_COUNTS)
    for invitation in invitations:
        if invitation.unit_id not in readable:
            exact = False
            for name in (*COUNT_NAMES, "collected_count"):
                setattr(invitation, name, rounded_children(getattr(invitation, name)))
    if not exact:
        for name in COUNT_NAMES:
            setattr(event, name, rounded_children(getattr(event, name)))
    return exact


def event_programme(event):
    return event.programme.all()


def event_guests(event):
    return event.guests.all()


def event_leaders(event):
    return event.leaders.order_by("full_name", "email")


def event_invitations(user, event):
    """The event's invitations, each with its unit and counts of places and waiting."""
    return (
        event.invitations.select_related("unit", "unit__school")
        .annotate(
            places_count=Count("places", filter=Q(places__status=PlaceStatus.PLACE)),
            waiting_count=Count("places", filter=Q(places__status=PlaceStatus.WAITING)),
            checked_in_count=Count(
                "places",
                filter=Q(places__status=PlaceStatus.PLACE, places__checked_in_at__isnull=False),
            ),
            collected_count=Count(
                "places",
                filter=Q(
                    places__status=PlaceStatus.PLACE, places__collected_early_at__isnull=False
                ),
            ),
        )
        .order_by("unit__name", "pk")
    )


def invitation_scope(user, perm: Perm = Perm.EVENT_PLACES) -> Q:
    scope = get_scope(user)
    q = Q(pk__in=[])
    for level, lookup in INVITATION_PATHS.items():
        ids = scope.ids(perm, level)
        if ids:
            q |= Q(**{f"{lookup}__in": sorted(ids)})
    return q


def visible_invitations(user, perm: Perm = Perm.EVENT_PLACES):
    return Invitation.objects.filter(invitation_scope(user, perm)).select_related(
        "event", "event__force", "event__risk_assessment", "unit", "unit__school"
    )


def get_invitation_for_user(user, pk, perm: Perm = Perm.EVENT_PLACES) -> Invitation:
    return get_or_404(visible_invitations(user, perm), pk)


def my_invitations(user):
    """Open invitations to units the user may choose children for, soonest first."""
    return (
        visible_invitations(user)
        .filter(event__status__in=["draft", "confirmed"])
        .annotate(places_count=Count("places", filter=Q(places__status=PlaceStatus.PLACE)))
        .order_by("event__date", "pk")
    )


def children_attending(event, statuses=(PlaceStatus.PLACE,), checked_in: bool | None = None):
    """Children with a place on the event (optionally only those checked in), unscoped: for
    services such as issuing certificates for an event. Pages use `visible_places`."""
    places = EventPlace.objects.filter(event=event, status__in=list(statuses))
    if checked_in is not None:
        places = places.filter(checked_in_at__isnull=not checked_in)
    return Child.objects.filter(pk__in=places.values("child_id"), anonymised_at__isnull=True)


def visible_places(user, event, statuses=(PlaceStatus.PLACE, PlaceStatus.WAITING)):
    """Places on the event the user may see by name, with child and unit, in a fixed number
    of queries."""
    return (
        EventPlace.objects.filter(
            event=event,
            status__in=list(statuses),
            child__in=visible_children(user),
        )
        .select_related("child", "invitation", "invitation__unit")
        .order_by("invitation__unit__name", "child__last_name", "child__first_name", "pk")
    )


def checkin_places(user, event):
    """The places the user may check in: children with a place from units in their scope."""
    return visible_places(user, event, statuses=(PlaceStatus.PLACE,)).filter(
        invitation__in=Invitation.objects.filter(invitation_scope(user))
    )


def get_checkin_place(user, event, pk) -> EventPlace:
    return get_or_404(checkin_places(user, event), pk)


def waiting_list(user, event):
    return visible_places(user, event, statuses=(PlaceStatus.WAITING,)).order_by(
        "requested_at", "pk"
    )


@dataclass(frozen=True)
class Candidate:
    child: Child
    decision: Decision
    place: EventPlace | None


def eligible_children(user, unit, on: datetime.date):
    """Children the user may see in one of the unit's cohorts running on the event's date."""
    return (
        visible_children(user)
        .filter(pk__in=enrolled_on(unit, on).values("child_id"))
        .order_by("last_name", "first_name", "id")
    )


def place_candidates(user, invitation) -> list[Candidate]:
    """Who may be chosen for the invitation, each with the trip-consent decision for this
    event and their current place or turn on the waiting list (three queries)."""
    event = invitation.event
    children = list(eligible_children(user, invitation.unit, event.date))
    decisions = trip_decisions([c.pk for c in children], event.trip_reference)
    places = {
        place.child_id: place
        for place in EventPlace.objects.filter(
            event=event, child_id__in=[c.pk for c in children]
        ).exclude(status=PlaceStatus.RELEASED)
    }
    return [
        Candidate(
            c,
            decisions.get(c.pk, Decision(False, _("No consent recorded for trip or outing"))),
            places.get(c.pk),
        )
        for c in children
    ]


def event_problems(event) -> list[str]:
    """Why the event cannot be confirmed yet: the page warns, the confirmation refuses."""
    problems = []
    assessment = getattr(event, "risk_assessment", None)
    places = EventPlace.objects.filter(event=event, status=PlaceStatus.PLACE).count()
    if assessment is None:
        problems.append(_("There is no risk assessment yet."))
    else:
        if not assessment.is_signed_off:
            problems.append(
                _("The risk assessment is not signed off by an area lead or coordinator.")
            )
        per_adult = event.force.event_children_per_adult
        if assessment.adults * per_adult < places:
            problems.append(
                _(
                    "The adult-to-child ratio is not met: %(adults)s adults for %(places)s "
                    "children, and the force asks for 1 adult to every %(per_adult)s children."
                )
                % {"adults": assessment.adults, "places": places, "per_adult": per_adult}
            )
    return problems


# The parent portal ---------------------------------------------------------------------------
def portal_events(user):
    """Events a parent's own children are invited to (through their unit) or have a place on."""
    children = visible_children(user, Perm.OWN_CHILDREN)
    units = enrolled_units(children)
    # Two id lists, not an OR over two joins with DISTINCT: that joined every invitation of
    # an event with every place on it before removing the duplicates (0.4 s a parent, #15).
    invited = Invitation.objects.filter(unit_id__in=units).values("event_id")
    placed = EventPlace.objects.filter(child__in=children).values("event_id")
    return (
        Event.objects.filter(
            Q(pk__in=invited) | Q(pk__in=placed), status__in=["draft", "confirmed"]
        )
        .select_related("force")
        .order_by("date", "pk")
    )


def enrolled_units(children):
    return Enrolment.objects.filter(child__in=children, left__isnull=True).values("cohort__unit_id")


def get_portal_event(user, pk) -> Event:
    return get_or_404(portal_events(user), pk)


def portal_event_children(user, event):
    """The parent's own children who are invited to the event through their unit, with their
    trip-consent decision and their place."""
    children = visible_children(user, Perm.OWN_CHILDREN)
    invited_units = event.invitations.values("unit_id")

    invited = Enrolment.objects.filter(left__isnull=True, cohort__unit_id__in=invited_units)
    own = list(
        children.filter(Q(pk__in=invited.values("child_id")) | Q(event_places__event=event))
        .distinct()
        .order_by("first_name", "last_name", "pk")
        .prefetch_related(
            Prefetch(
                "event_places",
                queryset=EventPlace.objects.filter(event=event),
                to_attr="places_here",
            )
        )
    )
    decisions = trip_decisions([c.pk for c in own], event.trip_reference)

    answered = set(
        Consent.objects.filter(
            child__in=own, kind="trip", trip_reference=event.trip_reference
        ).values_list("child_id", flat=True)
    )
    return [
        {
            "child": c,
            "decision": decisions.get(c.pk),
            "answered": c.pk in answered,
            "place": c.places_here[0] if c.places_here else None,
        }
        for c in own
    ]


# Organising ----------------------------------------------------------------------------------
def organiser_choices(user):
    """Where the user may hold a celebration day: their force, or one of their areas."""
    scope = get_scope(user)
    choices = []
    for force in Force.objects.filter(pk__in=sorted(scope.ids(Perm.EVENT_MANAGE, "force"))):
        choices.append((f"force-{force.pk}", f"{force.name} (the whole force)", force, None))
    areas = Area.objects.filter(
        Q(pk__in=sorted(scope.ids(Perm.EVENT_MANAGE, "area")))
        | Q(force_id__in=sorted(scope.ids(Perm.EVENT_MANAGE, "force")))
    ).select_related("force")
    for area in areas.order_by("name"):
        choices.append((f"area-{area.pk}", f"{area.name} area", area.force, area))
    return choices


def unit_leaders_of(units):
    """The leaders of `units` (rows or a pk queryset), by name."""
    return [
        a.user
        for a in RoleAssignment.objects.filter(role=Role.UNIT_LEADER, unit__in=units)
        .select_related("user")
        .order_by("user__full_name", "user_id")
        .distinct()
    ]
