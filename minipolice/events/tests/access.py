"""Events and reward visits in the access matrix.

Teachers see their school's events read-only (no places chosen, no check-in): the unit's
leaders do that. Funders and national viewers see the list with counts only. Parents see
events in the portal only.
"""

from tests.access import row

COUNTS = row(teacher=200, leader=200, area_lead=200, coordinator=200, funder=200, national=200)
READERS = row(teacher=200, leader=200, area_lead=200, coordinator=200)
# The world's event is the force's celebration day: area leads and leaders see it (their unit
# is invited) but manage only their own area's events and reward visits: 404.
FORCE_MANAGER = row(teacher=403, leader=404, area_lead=404, coordinator=200)
PLACES = row(leader=200, area_lead=200, coordinator=200)
PLACES_POST = row(leader=302, area_lead=302, coordinator=302)
GUARDIAN_ONLY = row(guardian=200)

MATRIX = {
    "events:event_list": ("get", COUNTS),
    "events:event_create": ("get", row(area_lead=200, coordinator=200)),
    "events:visit_create": ("get", row(leader=200, area_lead=200, coordinator=200)),
    "events:event_detail": ("get", READERS),
    "events:event_edit": ("get", FORCE_MANAGER),
    "events:risk_assessment": ("get", FORCE_MANAGER),
    "events:invite": ("get", FORCE_MANAGER),
    "events:event_cancel": ("get", FORCE_MANAGER),
    "events:sign_off": ("post", row(area_lead=404, coordinator=302)),
    "events:confirm": ("get", row(area_lead=404, coordinator=200)),
    "events:place_list": ("get", READERS),
    "events:place_release": ("post", PLACES_POST),
    "events:checkin": ("get", PLACES),
    "events:checkin_mark": ("post", PLACES_POST),
    "events:invitation_detail": ("get", PLACES),
    "events:invitation_decline": ("post", PLACES_POST),
    "events:portal_event_list": ("get", GUARDIAN_ONLY),
    "events:portal_event": ("get", GUARDIAN_ONLY),
}

# Portal pages are about the parent's own children: staff of any force get 403 there.
UNSCOPED = {"events:portal_event"}


def url_kwargs(world) -> dict:
    from minipolice.events import services
    from minipolice.events.models import EventPlace
    from minipolice.events.tests.helpers import assess, invite, make_event, trip_consent

    event = make_event(world)
    invitation = invite(world, event)
    trip_consent(world.child, event)
    services.choose_children(
        acting_user=world.users["leader"],
        invitation=invitation,
        children=[world.child],
        editable_ids=[world.child.pk],
    )
    assess(world, event, sign=False)
    place = EventPlace.objects.get(event=event, child=world.child)
    event_pk = {"pk": event.pk}
    return {
        "events:event_detail": event_pk,
        "events:event_edit": event_pk,
        "events:risk_assessment": event_pk,
        "events:invite": event_pk,
        "events:event_cancel": event_pk,
        "events:sign_off": event_pk,
        "events:confirm": event_pk,
        "events:place_list": event_pk,
        "events:checkin": event_pk,
        "events:place_release": {"pk": event.pk, "place_pk": place.pk},
        "events:checkin_mark": {"pk": event.pk, "place_pk": place.pk},
        "events:invitation_detail": {"pk": invitation.pk},
        "events:invitation_decline": {"pk": invitation.pk},
        "events:portal_event": event_pk,
    }
