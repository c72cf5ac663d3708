"""Demo community action (called by `manage.py load_demo`; loading twice changes nothing).

From the public record: on 25 April 2019 Year 5 pupils of Somerset Bridge School, with their
PCSOs, delivered crime-prevention leaflets they had designed to 150 homes in Stockmoor. The
children named here are the demo's invented ones; the PCSOs are not named.

Each unit's first cohort (the pilot of 2017/18, the 2018/19 cohorts, the Harpenden trial) also
did a leaflet drop to 150 homes near its school (as at Stockmoor), and in turn a litter pick or
a speed watch; the Harpenden trial looked at the dangerous parking outside its school (as the
public record says). Dates fall on one of the cohort's session days; the figures are invented.
"""

import datetime

from django.utils import timezone

from minipolice.community import services
from minipolice.community.models import CommunityAction
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent
from minipolice.organisations.models import Cohort

ON = datetime.date(2019, 4, 25)


def load_demo_data():
    _stockmoor()
    _history()


def _stockmoor():
    cohort = (
        Cohort.objects.filter(
            unit__school__name="Somerset Bridge School", start_date__lte=ON, end_date__gte=ON
        )
        .select_related("unit__school__area__force")
        .first()
    )
    if cohort is None:
        return
    unit = cohort.unit
    if CommunityAction.objects.filter(unit=unit, date=ON, kind="leaflet_drop").exists():
        return
    children = [
        e.child for e in cohort.enrolments.select_related("child").filter(left__isnull=True)
    ]
    given = set(
        Consent.objects.filter(child__in=children, kind="participation").values_list(
            "child_id", flat=True
        )
    )
    for child in children:
        if child.pk not in given:
            record_consent(
                acting_user=None,
                child=child,
                kind="participation",
                status="granted",
                method="paper",
                given_by_name="Parent (paper form)",
                given_at=timezone.make_aware(
                    datetime.datetime.combine(cohort.start_date, datetime.time(9, 0))
                ),
            )
    services.record_action(
        acting_user=None,
        unit=unit,
        kind="leaflet_drop",
        date=ON,
        place="Stockmoor, Bridgwater",
        partners="Bridgwater neighbourhood PCSOs",
        homes_reached=150,
        outcome=(
            "Year 5 pupils designed crime-prevention leaflets with their PCSOs, with advice on "
            "keeping safe from burglars and rogue traders, and delivered them to 150 homes."
        ),
        participants=children,
    )


def _history() -> None:
    from minipolice.delivery.models import Session
    from minipolice.impact.demo import first_cohort_formats

    for index, (cohort, _) in enumerate(first_cohort_formats()):
        unit = cohort.unit
        days = list(
            Session.objects.filter(cohort=cohort).order_by("date").values_list("date", flat=True)
        )
        if len(days) < 4:
            continue
        children = [
            e.child for e in cohort.enrolments.select_related("child").filter(left__isnull=True)
        ]
        town = cohort.unit.school.town
        planned = [
            (
                "leaflet_drop",
                days[len(days) // 2],
                {
                    "place": f"Streets near the school, {town}",
                    "homes_reached": 150,
                    "leaflets_delivered": 150,
                    "outcome": "Crime-prevention leaflets the children designed, delivered to "
                    "150 homes near the school.",
                },
            )
        ]
        if unit.school.name == "Harpenden Academy":
            planned.append(
                (
                    "parking_awareness",
                    days[-2],
                    {
                        "place": f"Outside the school gates, {town}",
                        "vehicles_checked": 34,
                        "drivers_spoken_to": 21,
                        "leaflets_delivered": 40,
                        "outcome": "Parking-awareness notes for drivers parked dangerously at "
                        "the school gates at home time.",
                    },
                )
            )
        elif index % 2:
            planned.append(
                (
                    "speed_watch",
                    days[-2],
                    {
                        "place": f"The road past the school, {town}",
                        "partners": "Community Speed Watch volunteers",
                        "vehicles_checked": 60 + 7 * index,
                        "vehicles_over_limit": 4 + index % 5,
                        "drivers_spoken_to": 3 + index % 4,
                        "outcome": "Speeds checked with the neighbourhood team's device; "
                        "drivers over the limit were sent a letter.",
                    },
                )
            )
        else:
            planned.append(
                (
                    "litter_pick",
                    days[-2],
                    {
                        "place": f"The park near the school, {town}",
                        "bags_collected": 6 + index % 7,
                        "outcome": "A litter pick with the council's equipment.",
                    },
                )
            )
        for kind, day, details in planned:
            if unit.school.name == "Somerset Bridge School" and kind == "leaflet_drop":
                continue  # Stockmoor is theirs
            if CommunityAction.objects.filter(unit=unit, kind=kind, date=day).exists():
                continue
            details.setdefault("partners", "The neighbourhood policing team")
            services.record_action(
                acting_user=None, unit=unit, kind=kind, date=day, participants=children, **details
            )
