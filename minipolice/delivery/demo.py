"""Demo sessions and registers (called by `manage.py load_demo`; loading twice changes nothing).

The demo leader's current cohort at Oasis Connaught follows the national 8-week programme,
weekly on the weekday the demo is loaded (dates in `minipolice.demo.today`): four sessions have
happened, a half-term week was skipped, one is today and three are still to come. Registers
are taken for the first two, so the home page shows two registers not taken and today's. When
the demo is loaded again on a later day with no session that day, one is added, so a leader
always has today's register to take. Every child is invented.
"""

import datetime

from django.utils import timezone

from minipolice.accounts.models import User
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent
from minipolice.delivery import selectors, services
from minipolice.delivery.models import SchoolHoliday
from minipolice.demo import today as demo_dates
from minipolice.programme.models import ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE

START = datetime.time(14, 0)
REWARD_VISIT = "Police headquarters (reward visit)"


def load_demo_data() -> str | None:
    today = timezone.localdate()
    cohort = demo_dates.demo_cohort(today)
    if cohort is None:
        return None
    start, end = demo_dates.half_term(today)
    SchoolHoliday.objects.get_or_create(
        force=cohort.unit.school.area.force,
        area=None,
        name="Half term (demo dates)",
        defaults={"start_date": start, "end_date": end},
    )
    if cohort.sessions.exists():
        return _session_today(cohort, today)
    template = ProgrammeTemplate.objects.get(force=None, name=DEFAULT_TEMPLATE)
    sessions = services.plan_sessions(
        acting_user=None,
        cohort=cohort,
        template=template,
        first_date=demo_dates.first_session(today),
        weekday=demo_dates.session_weekday(today),
        start_time=START,
        minutes=60,
        place="School hall",
        today=cohort.start_date,  # the demo's history: planned as on the cohort's first day
    )
    _session_today(cohort, today)  # at a weekend: the reward visit
    _consents(cohort)
    leader = User.objects.filter(email="leader@avon.example.org").first()
    held = [s for s in sessions if s.date < today]
    for number, session in enumerate(held[:-2] if len(held) > 2 else []):
        _take_register(session, number)
        if leader is not None:
            services.record_session_details(
                acting_user=None, session=session, leaders=[leader], notes=""
            )
    return None


def _session_today(cohort, today) -> str | None:
    """A session today if the cohort has none (a weekend, or a later day the demo is opened)."""
    if cohort.sessions.filter(date=today).exists() or not (
        cohort.start_date <= today <= cohort.end_date
    ):
        return None
    weekend = today.weekday() >= 5
    services.add_session(
        acting_user=None,
        cohort=cohort,
        date=today,
        start_time=datetime.time(10, 0) if weekend else START,
        minutes=120 if weekend else 60,
        place=REWARD_VISIT if weekend else "School hall",
    )
    return f"Added a session today for {cohort}, so the demo leader has a register to take."


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
