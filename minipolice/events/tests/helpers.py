"""Building events for the tests, through the services as a user would."""

import datetime

from django.utils import timezone

from minipolice.consent.services import record_consent
from minipolice.events import services
from minipolice.organisations import services as org
from minipolice.people import services as people


def make_event(world, *, capacity=150, days=20, **extra):
    details = {
        "title": "Celebration day",
        "date": timezone.localdate() + datetime.timedelta(days=days),
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(15, 0),
        "venue": "Police headquarters",
        "address": "Valley Road",
        "capacity": capacity,
        "programme": [(datetime.time(10, 30), "Dog display")],
        "guests": [("A. Example", "chief_constable")],
    } | extra
    details.setdefault("kind", "celebration")
    return services.create_event(
        acting_user=world.users["coordinator"], force=world.force, **details
    )


def trip_consent(child, event, status="granted"):
    return record_consent(
        acting_user=None,
        child=child,
        kind="trip",
        status=status,
        method="paper",
        given_by_name="Parent (paper form)",
        trip_reference=event.trip_reference,
    )


def invite(world, event, unit=None):
    return services.invite_units(
        acting_user=world.users["coordinator"], event=event, units=[unit or world.unit]
    )[0]


def add_children(world, n, *, cohort=None, prefix="Kid"):
    return [
        people.add_child_to_cohort(
            acting_user=None,
            cohort=cohort or world.cohort,
            first_name=f"{prefix}{i}",
            last_name="Test",
            year_group=5,
        )
        for i in range(n)
    ]


def second_unit(world, name="Second unit"):
    today = timezone.localdate()
    unit = org.create_unit(acting_user=None, school=world.school, name=name, status="active")
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Year 6",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=200),
    )
    return unit, cohort


def assess(world, event, adults=30, sign=True):
    services.save_risk_assessment(
        acting_user=world.users["coordinator"],
        event=event,
        hazards="Traffic on site",
        controls="Marshals",
        first_aider="PC First Aid",
        adults=adults,
    )
    if sign:
        services.sign_off_risk_assessment(acting_user=world.users["area_lead"], event=event)
