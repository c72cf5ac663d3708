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
from minipolice.accounts.services import create_user
from minipolice.audit.models import AuditEntry
from minipolice.audit.services import audit_entry
from minipolice.consent.enforcement import attendance_decisions
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent
from minipolice.delivery import selectors, services
from minipolice.delivery.models import Attendance, SchoolHoliday
from minipolice.demo import today as demo_dates
from minipolice.people.models import Child
from minipolice.programme.models import ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE

START = datetime.time(14, 0)
REWARD_VISIT = "Police headquarters (reward visit)"


def load_demo_data() -> str | None:
    load_history()
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


# The history: the first cohorts of 2017/18 and 2018/19 -----------------------------------------
# Sessions each child came to, in turn, of 8 (scaled for a longer programme): most reach 6 of 8,
# a few do not (awards/demo.py counts on 8 of the pilot's 10 reaching the 75 % threshold).
PRESENT = [8, 7, 6, 8, 5, 7, 6, 8, 4, 7]
SESSIONS = 8
# Who led each school's first cohort: the demo's leaders where they lead the unit today, and an
# invented former leader (no sign-in, no role now) where nobody in the demo does. Three cadets
# led the Harpenden trial (the public record says so; their names here are invented).
FORMER_LEADERS = {
    "Oasis Connaught School": ["leader@avon.example.org"],
    "Greenfield EACT Academy": ["PCSO Morgan Tallis (fictional)"],
    "St Barnabas Primary": ["PCSO Jordan Ellwood (fictional)"],
    "Fair Furlong": ["lapsed.leader@avon.example.org"],
    "Somerset Bridge School": [
        "PCSO Casey Brannock (fictional)",
        "PCSO Riley Fenn (fictional)",
    ],
    "Preston Primary": ["PCSO Drew Halloran (fictional)"],
    "Bournville Primary": ["PCSO Sky Wetherall (fictional)"],
    "Parkwall Primary": ["PCSO Ash Penrose (fictional)"],
    "Harpenden Academy": [
        "Cadet Kit Rowell (fictional)",
        "Cadet Lou Marchetti (fictional)",
        "Cadet Rae Okonjo (fictional)",
    ],
    "Spellbrook Primary School": ["cadet.leader@herts.example.org"],
    "Hillmead Primary School": ["PCSO Bryn Coldwell (fictional)"],
}


def load_history() -> int:
    """Sessions, registers and leaders for each unit's first cohort that ended before 2019/20
    (the formats impact/demo.py gives them: the national 8-week programme weekly, or the
    force's year-long unit fortnightly). A cohort that has sessions already is left alone.
    Returns the number of cohorts given a history."""
    from minipolice.impact.demo import first_cohort_formats  # the formats decide the dates

    done = 0
    for cohort, template in first_cohort_formats():
        if cohort.sessions.exists():
            continue
        _set_format(cohort, template)
        fortnightly = template.force_id is not None
        sessions = _history_sessions(cohort, template, fortnightly)
        children = list(Child.objects.filter(enrolments__cohort=cohort).order_by("pk"))
        paper_consents(cohort, children)
        leaders = _leaders(cohort)
        history_registers(sessions, children)
        for session in sessions:
            services.record_session_details(
                acting_user=None, session=session, leaders=leaders, notes=None
            )
        done += 1
    return done


def _set_format(cohort, template) -> None:
    from minipolice.organisations import services as org

    if cohort.programme_template_id != template.pk:
        org.update_cohort(acting_user=None, cohort=cohort, programme_template=template)
        cohort.refresh_from_db()


def _history_sessions(cohort, template, fortnightly: bool):
    """The weekly plan from the cohort's first day, as its leader planned it then; a year-long
    unit meets every other week, one module a time, through the year."""
    weekday = cohort.start_date.weekday()
    if not fortnightly:
        return services.plan_sessions(
            acting_user=None,
            cohort=cohort,
            template=template,
            first_date=cohort.start_date,
            weekday=weekday,
            start_time=START,
            minutes=60,
            place="School hall",
            today=cohort.start_date,
        )
    modules = [item.module for item in template.items.select_related("module").order_by("position")]
    sessions = []
    for index, module in enumerate(modules):
        day = cohort.start_date + datetime.timedelta(weeks=2 * index)
        if day > cohort.end_date:
            break
        sessions.append(
            services.add_session(
                acting_user=None,
                cohort=cohort,
                date=day,
                start_time=START,
                minutes=60,
                place="School hall",
                module=module,
            )
        )
    return sessions


def paper_consents(cohort, children) -> None:
    """Paper participation consent, given on the cohort's first day, for each child without."""
    given = set(
        Consent.objects.filter(
            child__in=children, kind="participation", status="granted"
        ).values_list("child_id", flat=True)
    )
    at = timezone.make_aware(datetime.datetime.combine(cohort.start_date, datetime.time(9, 0)))
    for child in children:
        if child.pk not in given:
            record_consent(
                acting_user=None,
                child=child,
                kind="participation",
                status="granted",
                method="paper",
                given_by_name="Parent (paper form)",
                given_at=at,
            )


def history_registers(sessions, children) -> None:
    """Each child present at their share of the sessions (PRESENT, scaled), absent at the rest.

    A past register is written in one go, with one audit entry a mark as the register page
    writes: the rules record_attendance checks one mark at a time (on the register, consent in
    date for a present mark) are checked here once for the cohort, which keeps the demo quick.
    """
    if not sessions:
        return
    weeks = len(sessions)
    on_register = set(selectors.register_children(sessions[0]).values_list("pk", flat=True))
    decisions = attendance_decisions([c.pk for c in children], today=sessions[0].date)
    now = timezone.now()
    marks = []
    for week, session in enumerate(sessions):
        for index, child in enumerate(children):
            # Each child misses their share in a different stretch of the programme.
            share = PRESENT[index % len(PRESENT)] * weeks // SESSIONS
            present = (week + 3 * index) % weeks < share
            if child.pk not in on_register or (present and not decisions.get(child.pk)):
                raise ValueError(f"The demo cannot mark child #{child.pk} at {session}")
            marks.append(
                Attendance(
                    session=session,
                    child=child,
                    status="present" if present else "absent",
                    recorded_at=timezone.make_aware(
                        datetime.datetime.combine(session.date, datetime.time(15, 0))
                    ),
                )
            )
    marks = Attendance.objects.bulk_create(marks)
    force = sessions[0].cohort.unit.school.area.force
    AuditEntry.objects.bulk_create(
        audit_entry(
            acting_user=None,
            action="create",
            obj=mark,
            force=force,
            fields={
                "status": [None, mark.status],
                "session": mark.session_id,
                "session_date": str(mark.session.date),
                "late": False,
                "recorded": str(now.date()),
            },
        )
        for mark in marks
    )


def _leaders(cohort) -> list[User]:
    force = cohort.unit.school.area.force
    domain = "avon.example.org" if force.short_name == "avon-and-somerset" else "herts.example.org"
    leaders = []
    for who in FORMER_LEADERS.get(cohort.unit.school.name, []):
        if "@" in who:
            user = User.objects.filter(email=who).first()
        else:
            slug = who.split(" (")[0].lower().replace(" ", ".")
            email = f"former.{slug}@{domain}"
            user = User.objects.filter(email=email).first() or create_user(
                acting_user=None, email=email, full_name=who
            )
        if user is not None:
            leaders.append(user)
    return leaders
