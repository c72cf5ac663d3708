"""Demo sessions and registers (called by `manage.py load_demo`; loading twice changes nothing).

The current Oasis Connaught cohort follows the national 8-week programme on Wednesdays, with
the autumn half term skipped. Registers are taken for all but the last two sessions that have
happened, so the home page shows the "registers not taken" alert. Every child is invented.
"""

import datetime

from django.utils import timezone

from minipolice.accounts.models import User
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent
from minipolice.delivery import selectors, services
from minipolice.delivery.models import SchoolHoliday
from minipolice.organisations.models import Cohort
from minipolice.programme.models import ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE

WEDNESDAY = 2


def load_demo_data():
    cohort = (
        Cohort.objects.filter(unit__school__name="Oasis Connaught School", name="2026/27 Year 5")
        .select_related("unit__school__area__force")
        .first()
    )
    if cohort is None:
        return
    force = cohort.unit.school.area.force
    SchoolHoliday.objects.get_or_create(
        force=force,
        area=None,
        name="Autumn half term (demo dates)",
        defaults={
            "start_date": datetime.date(2026, 10, 26),
            "end_date": datetime.date(2026, 10, 30),
        },
    )
    if cohort.sessions.exists():
        return
    template = ProgrammeTemplate.objects.get(force=None, name=DEFAULT_TEMPLATE)
    sessions = services.plan_sessions(
        acting_user=None,
        cohort=cohort,
        template=template,
        first_date=cohort.start_date,
        weekday=WEDNESDAY,
        start_time=datetime.time(14, 0),
        minutes=60,
        place="School hall",
        today=cohort.start_date,  # the demo's history: planned as on the cohort's first day
    )
    _consents(cohort)
    leader = User.objects.filter(email="leader@avon.example.org").first()
    today = timezone.localdate()
    held = [s for s in sessions if s.date < today]
    for number, session in enumerate(held[:-2] if len(held) > 2 else []):
        _take_register(session, number)
        if leader is not None:
            services.record_session_details(
                acting_user=None, session=session, leaders=[leader], notes=""
            )


def _consents(cohort):
    """Paper participation consent for the demo children, except the demo parent's two (so
    the parent portal has something to do) and one child whose form never came back."""
    children = list(selectors.register_children(cohort.sessions.first()))
    already = set(
        Consent.objects.filter(child__in=children, kind="participation").values_list(
            "child_id", flat=True
        )
    )
    for index, child in enumerate(children):
        guardianship = child.guardianships.select_related("guardian").first()
        portal_parent = guardianship is not None and guardianship.guardian.user_id is not None
        if child.pk in already or portal_parent or index == 5:
            continue
        record_consent(
            acting_user=None,
            child=child,
            kind="participation",
            status="granted",
            method="paper",
            given_by=guardianship.guardian if guardianship else None,
            given_by_name="" if guardianship else "Parent (paper form)",
            given_at=timezone.make_aware(
                datetime.datetime.combine(cohort.start_date, datetime.time(9, 0))
            ),
        )


def _take_register(session, number):
    for index, row in enumerate(selectors.register_rows(session)):
        if not row.decision:
            status = "absent"
        elif (index + number) % 9 == 4:
            status = "excused"
        elif (index + number) % 11 == 7:
            status = "absent"
        else:
            status = "present"
        services.record_attendance(
            acting_user=None, session=session, child=row.child, status=status, today=session.date
        )
