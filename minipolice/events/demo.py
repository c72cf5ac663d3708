"""Demo celebration day (called by `manage.py load_demo`; loading twice changes nothing).

From the public record (seeds): Avon and Somerset's Mini Police celebration day at police
headquarters, for the units of eight schools (the pilot at Oasis Connaught School and the seven
of 2018), with dog and police horse displays, police cars and fire engines to sit in, and
certificates presented by the Chief Constable, the Police and Crime Commissioner attending.

In the demo the day is held on the day the demo is loaded (as the demo's reward visit is), so
its check-in list is live: the real day was in June 2019, when the demo's current cohorts did
not run. Its exact address is not in the pages and stays empty. The guests are the force's
fictional Chief Constable and Commissioner; the first-aider is invented and says so.

The days the public record tells of are there too, in the past (load_history): the 2019 day
at headquarters for the 2018/19 cohorts, and Hertfordshire's certificates for the Harpenden
trial on 20 June 2018; most children with a place were checked in.

Every child in the units' current cohorts has a paper trip consent except three: one whose
parent refused (the leader sees the reason and cannot choose them), and the demo parent's two
children: Mia's consent was given by the demo parent in the portal, Leo's is not answered.
"""

import datetime

from django.utils import timezone

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.consent.services import record_consent
from minipolice.events import services
from minipolice.events.models import Event, EventPlace
from minipolice.events.selectors import eligible_children
from minipolice.organisations.models import Force, Unit
from minipolice.people.models import Guardian

TITLE = "Mini Police celebration day"
SCHOOLS = [
    "Oasis Connaught School",
    "Somerset Bridge School",
    "Bournville Primary",
    "St Barnabas Primary",
    "Greenfield EACT Academy",
    "Fair Furlong",
    "Parkwall Primary",
    "Preston Primary",
]
PROGRAMME = [
    (datetime.time(10, 0), "Welcome and arrival of the units"),
    (datetime.time(10, 30), "Police dog display"),
    (datetime.time(11, 30), "Sit in police cars and fire engines"),
    (datetime.time(12, 30), "Lunch"),
    (datetime.time(13, 15), "Police horse display"),
    (datetime.time(14, 15), "Certificates and awards from the Chief Constable"),
]


def load_demo_data():
    load_history()
    return _celebration_day()


def _celebration_day():
    force = Force.objects.filter(short_name="avon-and-somerset").first()
    coordinator = User.objects.filter(email="coordinator@avon.example.org").first()
    if force is None or coordinator is None:
        return None
    if Event.objects.filter(force=force, title=TITLE).exists():
        return None
    today = timezone.localdate()
    units = list(
        Unit.objects.filter(school__area__force=force, school__name__in=SCHOOLS)
        .select_related("school__area__force")
        .order_by("name")
    )
    leaders = {
        a.unit_id: a.user
        for a in RoleAssignment.objects.filter(role=Role.UNIT_LEADER, unit__in=units)
        .exclude(user__email__startswith="lapsed")
        .select_related("user")
    }
    event = services.create_event(
        acting_user=coordinator,
        force=force,
        kind="celebration",
        title=TITLE,
        date=today,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(15, 0),
        venue="Avon and Somerset Police headquarters",
        capacity=150,
        transport_notes="Each school brings its unit and teachers; parking for coaches on site.",
        what_to_bring="Mini Police uniform, a packed lunch and a coat.",
        programme=PROGRAMME,
        guests=[(force.chief_constable_name, "chief_constable"), (force.pcc_name, "pcc")],
        leaders=list(leaders.values()),
    )
    invitations = services.invite_units(acting_user=coordinator, event=event, units=units)

    guardian = Guardian.objects.filter(email="guardian@avon.example.org").first()
    own = {link.child_id for link in guardian.guardianships.all()} if guardian else set()
    refused_one = False
    for invitation in invitations:
        leader = leaders.get(invitation.unit_id, coordinator)
        children = list(eligible_children(coordinator, invitation.unit, today))
        if not children:
            continue  # a paused unit has no cohort running: its invitation stays unanswered
        chosen = []
        for child in children:
            if child.pk in own:
                if child.first_name == "Mia":
                    services.answer_trip_consent(
                        acting_user=guardian.user,
                        guardian=guardian,
                        child=child,
                        event=event,
                        agree=True,
                    )
                    chosen.append(child)
                continue
            refuse = not refused_one and invitation.unit.school.name == SCHOOLS[0]
            record_consent(
                acting_user=leader,
                child=child,
                kind="trip",
                status="refused" if refuse else "granted",
                method="paper",
                given_by_name="Parent (paper form)",
                trip_reference=event.trip_reference,
            )
            refused_one = refused_one or refuse
            if not refuse:
                chosen.append(child)
        services.choose_children(
            acting_user=leader,
            invitation=invitation,
            children=chosen,
            editable_ids=[c.pk for c in children],
        )
    services.save_risk_assessment(
        acting_user=coordinator,
        event=event,
        hazards=(
            "Vehicles moving on the headquarters site; police dogs and horses during displays; "
            "children separated from their group; weather."
        ),
        controls=(
            "Displays in a fenced arena with handlers; vehicles stationary with engines off; "
            "each unit stays with its leaders and teacher, with a headcount at every change of "
            "activity; indoor space booked for rain."
        ),
        first_aider="PC Sam Thornbury (fictional)",
        adults=30,
    )
    services.sign_off_risk_assessment(acting_user=coordinator, event=event)
    services.confirm_event(acting_user=coordinator, event=event)
    # Some children have arrived: the first of each of two units, one of them late.
    for index, place in enumerate(
        EventPlace.objects.filter(event=event, status="place")
        .select_related("invitation__unit")
        .order_by("invitation__unit__name", "pk")[:6]
    ):
        services.record_checkin(
            acting_user=leaders.get(place.invitation.unit_id, coordinator),
            place=place,
            action="late" if index == 5 else "arrived",
        )
    return f"Added the demo celebration day ({event.places.filter(status='place').count()} places)."


# The history: the days the public record tells of -----------------------------------------------
# (force, title, date, venue, schools invited, capacity). Avon and Somerset's 2019 day at police
# headquarters, for the eight schools of the pilot and of 2018 (the pilot's own cohort had ended,
# so its invitation stays unanswered), and the end of Hertfordshire's Harpenden trial at the
# Constabulary's headquarters in Welwyn Garden City on 20 June 2018.
HISTORY = [
    (
        "avon-and-somerset",
        "Mini Police celebration day 2019",
        datetime.date(2019, 6, 11),
        "Avon and Somerset Police headquarters",
        SCHOOLS,
        160,
    ),
    (
        "hertfordshire",
        "Mini Police trial certificates",
        datetime.date(2018, 6, 20),
        "Hertfordshire Constabulary headquarters, Welwyn Garden City",
        ["Harpenden Academy"],
        40,
    ),
]
HISTORY_PROGRAMME = {
    "avon-and-somerset": PROGRAMME,
    "hertfordshire": [
        (datetime.time(10, 0), "Tour of the Force Communications Room"),
        (datetime.time(11, 0), "Dog unit demonstration"),
        (datetime.time(12, 0), "Certificates in front of invited guests"),
    ],
}


def load_history() -> None:
    for short_name, title, day, venue, schools, capacity in HISTORY:
        force = Force.objects.filter(short_name=short_name).first()
        if force is None or Event.objects.filter(force=force, title=title).exists():
            continue
        coordinator = (
            User.objects.filter(
                role_assignments__role=Role.FORCE_COORDINATOR,
                role_assignments__force=force,
                is_demo=True,
            )
            .order_by("pk")
            .first()
        )
        _past_day(force, coordinator, title, day, venue, schools, capacity)


def _past_day(force, coordinator, title, day, venue, schools, capacity) -> None:
    units = list(
        Unit.objects.filter(school__area__force=force, school__name__in=schools)
        .select_related("school__area__force")
        .order_by("name")
    )
    event = services.create_event(
        acting_user=coordinator,
        force=force,
        kind="celebration",
        title=title,
        date=day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(15, 0 if len(units) > 1 else 13),
        venue=venue,
        capacity=capacity,
        transport_notes="Each school brought its unit and teachers by coach.",
        what_to_bring="Mini Police uniform and a packed lunch.",
        programme=HISTORY_PROGRAMME[force.short_name],
        guests=[(force.chief_constable_name, "chief_constable"), (force.pcc_name, "pcc")],
    )
    invitations = services.invite_units(acting_user=coordinator, event=event, units=units)
    chosen_count = 0
    for invitation in invitations:
        children = list(eligible_children(coordinator, invitation.unit, day))
        if not children:
            continue  # no cohort of the unit ran that day: its invitation stays unanswered
        for child in children:
            record_consent(
                acting_user=coordinator,
                child=child,
                kind="trip",
                status="granted",
                method="paper",
                given_by_name="Parent (paper form)",
                trip_reference=event.trip_reference,
                given_at=timezone.make_aware(
                    datetime.datetime.combine(day - datetime.timedelta(days=21), datetime.time(9))
                ),
            )
        services.choose_children(
            acting_user=coordinator,
            invitation=invitation,
            children=children,
            editable_ids=[c.pk for c in children],
        )
        chosen_count += len(children)
    services.save_risk_assessment(
        acting_user=coordinator,
        event=event,
        hazards="Vehicles moving on the headquarters site; dogs during the display; children "
        "separated from their group.",
        controls="Displays in a fenced area with handlers; each unit stays with its leaders and "
        "teacher, with a headcount at every change of activity.",
        first_aider="First-aid trained officer on site (fictional)",
        adults=max(6, chosen_count // 5 + 2),
    )
    services.sign_off_risk_assessment(acting_user=coordinator, event=event)
    services.confirm_event(acting_user=coordinator, event=event)
    # Most came: every child with a place but one in nine was checked in on the day.
    places = EventPlace.objects.filter(event=event, status="place").order_by("pk")
    arrived = []
    for index, place in enumerate(places):
        if index % 9 == 8:
            continue
        services.record_checkin(acting_user=coordinator, place=place, action="arrived")
        arrived.append(place.pk)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 5)))
    EventPlace.objects.filter(pk__in=arrived).update(checked_in_at=at)
