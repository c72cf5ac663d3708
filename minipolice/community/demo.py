"""Demo community action (called by `manage.py load_demo`; loading twice changes nothing).

From the public record: on 25 April 2019 Year 5 pupils of Somerset Bridge School, with their
PCSOs, delivered crime-prevention leaflets they had designed to 150 homes in Stockmoor. The
children named here are the demo's invented ones; the PCSOs are not named.
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
