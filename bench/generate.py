"""Generate a national-size dataset for the benchmarks (or a small one to try things out).

    .venv/bin/python bench/generate.py --scale national          # ~40,000 children
    .venv/bin/python bench/generate.py --scale small --reset     # a few hundred, wipe first

The database is bench/bench.sqlite3 unless DATABASE_URL names another; the schema is created
with `migrate` first. Everything is invented ("Force 01", "Leader 0001", names drawn from the
lists below) and deterministic: the same seed and the same day give the same rows.

This is bench data, so it is written with bulk_create in batches, bypassing the services: no
full_clean, and audit entries are written directly (one "create" per child, guardian and unit,
as the services would have left) rather than through record_audit. Never use this shape for
real data.
"""

import argparse
import datetime
import random
import sys
import time
import uuid
from dataclasses import dataclass

from setup_django import setup

BATCH = 2000


@dataclass(frozen=True)
class Scale:
    forces: int
    areas: int  # per force
    schools: int  # per average force
    units: int  # per average force
    cohorts: int  # per unit
    children: int  # per cohort
    sessions: int  # per cohort at most (weekly, in term time)


SCALES = {
    # England and Wales have 43 territorial forces.
    "national": Scale(
        forces=43, areas=6, schools=40, units=35, cohorts=2, children=15, sessions=24
    ),
    "small": Scale(forces=3, areas=2, schools=6, units=4, cohorts=2, children=10, sessions=24),
    # For the bench harness's own test: two forces, a few children (seconds to generate).
    "tiny": Scale(forces=2, areas=1, schools=2, units=2, cohorts=2, children=4, sessions=6),
}

AREA_NAMES = ["North", "South", "East", "West", "Central", "Coast", "Vale", "Moor", "Valley"]
SCHOOL_WORDS = [
    "Oakfield", "Ashgrove", "Brookside", "Hillview", "Meadowbank", "Riverside", "Elmwood",
    "Fernhill", "Greenacre", "Hawthorn", "Kingsmead", "Larkrise", "Millbrook", "Northgate",
    "Orchard", "Parkside", "Queensway", "Redwood", "Stonebridge", "Thornbury", "Upton",
    "Westfield", "Willowbank", "Yewtree", "Beechwood", "Castlefield", "Dalehead", "Foxhill",
]  # fmt: skip
SCHOOL_KINDS = ["Primary School", "Primary Academy", "Church of England Primary", "Junior School"]
TOWNS = ["Ambridge", "Brackley Vale", "Casterton", "Dunwick", "Eastcombe", "Fallowmere"]
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harvey", "Isla", "Jack", "Kai",
    "Layla", "Max", "Nia", "Oscar", "Poppy", "Reuben", "Sana", "Theo", "Una", "Vinnie",
    "Willow", "Yusuf", "Zara", "Alfie", "Bea", "Callum", "Daisy", "Ethan", "Freya", "Gethin",
    "Hana", "Idris", "Jasmine", "Kian", "Lowri", "Mohammed", "Noor", "Olly", "Priya", "Rhys",
    "Sofia", "Tomos", "Uma", "Wren", "Ximena", "Yara", "Zain",
]  # fmt: skip
LAST_NAMES = [
    "Ashworth", "Bramley", "Carrow", "Dunmore", "Eastleigh", "Fenwick", "Garside", "Hollins",
    "Ingleby", "Jessop", "Kershaw", "Lintott", "Marlow", "Norbury", "Oakden", "Pilling",
    "Quarmby", "Rudd", "Sowerby", "Thwaite", "Uttley", "Varley", "Whitlock", "Yardley",
    "Abbot", "Brennan", "Cadwallader", "Dacre", "Ellery", "Fothergill", "Gwilliam", "Haverley",
    "Ibbotson", "Jolliffe", "Kettleby", "Lumsden", "Maddock", "Nettleship", "Ormerod", "Penhale",
    "Rowntree", "Scattergood", "Tregarthen", "Underhill", "Verity", "Wadsworth", "Yelland",
]  # fmt: skip
GUARDIAN_FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Lee", "Kim", "Robin", "Jamie", "Ali"]
RELATIONSHIPS = ["parent"] * 17 + ["carer", "grandparent", "other"]
STATUSES = ["active"] * 12 + ["trial"] * 2 + ["paused"] * 2 + ["proposed"] * 2 + ["closed"] * 2
NOTES = ["Uses a hearing aid.", "Needs extra time to read aloud.", "Nut allergy: no snacks."]
# School holidays of a school year starting in September of year Y: (name, first, last) as
# (year offset, month, day). No sessions are planned in them.
HOLIDAYS = [
    ("Autumn half term", (0, 10, 24), (0, 11, 1)),
    ("Christmas holiday", (0, 12, 20), (1, 1, 4)),
    ("Spring half term", (1, 2, 14), (1, 2, 22)),
    ("Easter holiday", (1, 3, 28), (1, 4, 12)),
    ("Summer half term", (1, 5, 23), (1, 5, 31)),
    ("Summer holiday", (1, 7, 19), (1, 8, 31)),
]
CANCEL_REASONS = ["School closed (snow)", "School trip", "Leader ill", "SATs week", "Polling day"]
SESSION_PLACES = ["School hall", "Classroom 4", "Library", "Playground", "Police station"]
ACTION_KINDS = ["leaflet_drop"] * 3 + ["litter_pick"] * 3 + ["parking_awareness"] * 2
ACTION_KINDS += ["speed_watch"] * 2 + ["other"]
ACTION_PLACES = ["streets around the school", "the high street", "the park", "the estate"]
PARTNERS = ["", "", "Town council", "Neighbourhood watch", "Road safety team", "Parish council"]
SPECIAL_AWARDS = [
    ("Star of the unit", "For helping every week without being asked."),
    ("Community champion", "For leading the litter pick on the estate."),
    ("Road safety award", "For the best parking awareness poster."),
]


def force_weights(count: int) -> list[float]:
    """Force sizes, largest first: from 1.6x to 0.4x the average, averaging 1."""
    if count == 1:
        return [1.0]
    return [1.6 - 1.2 * i / (count - 1) for i in range(count)]


class Timer:
    def __init__(self):
        self.start = self.last = time.perf_counter()

    def lap(self, label: str, rows: int | None = None) -> None:
        now = time.perf_counter()
        suffix = f" ({rows:,} rows)" if rows is not None else ""
        print(f"  {label:<28} {now - self.last:7.2f} s{suffix}", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def generate(scale: Scale, seed: int) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from minipolice.accounts.models import Role, RoleAssignment, User
    from minipolice.audit.models import AuditEntry
    from minipolice.awards.models import (
        CODE_ALPHABET,
        CODE_LENGTH,
        COMPLETION_TITLE,
        Award,
        Certificate,
    )
    from minipolice.community.models import KIND_MEASURES, CommunityAction, Participation
    from minipolice.consent.models import (
        Consent,
        ConsentKind,
        ConsentMethod,
        ConsentStatus,
        MediaUse,
    )
    from minipolice.delivery.models import Attendance, SchoolHoliday, Session
    from minipolice.events.models import Event, EventPlace, Invitation
    from minipolice.impact.models import (
        FACES,
        ChildAnswer,
        ChildResponse,
        InstrumentVersion,
        SurveyRound,
    )
    from minipolice.organisations.models import (
        Area,
        Cohort,
        Force,
        School,
        Unit,
        UnitStatusChange,
    )
    from minipolice.people.models import (
        Child,
        Enrolment,
        Guardian,
        Guardianship,
        SafeguardingTraining,
        Vetting,
    )

    rng = random.Random(seed)
    # Everything added after the survey data draws from its own generator, so the rows made
    # before (and the figures measured on them) stay as they were.
    more = random.Random(seed * 7919 + 1)
    # And what issue #15 added (second guardians, teachers, portal accounts, consent history,
    # children in two cohorts) from a third, for the same reason.
    extra = random.Random(seed * 104729 + 2)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    days = datetime.timedelta
    year_start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    timer = Timer()

    def at(day: datetime.date, minute: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(9), tzinfo=tz) + days(minutes=minute)

    def bulk(model, objects):
        model.objects.bulk_create(objects, batch_size=BATCH)
        return objects

    with transaction.atomic():
        weights = force_weights(scale.forces)
        forces = bulk(
            Force,
            [
                Force(
                    name=f"Force {n:02d}",
                    short_name=f"force-{n:02d}",
                    # The last four stand for the Welsh forces.
                    welsh_language=n > scale.forces - 4 and scale.forces >= 43,
                )
                for n in range(1, scale.forces + 1)
            ],
        )
        areas_by_force = {}
        area_rows = []
        for force in forces:
            areas_by_force[force.pk] = [
                Area(force=force, name=f"{force.name} {AREA_NAMES[i]}") for i in range(scale.areas)
            ]
            area_rows += areas_by_force[force.pk]
        bulk(Area, area_rows)
        timer.lap("forces and areas", len(forces) + len(area_rows))

        schools_by_force = {}
        school_rows = []
        urn = 100000
        for force, weight in zip(forces, weights, strict=True):
            count = max(1, round(scale.schools * weight))
            names_used = set()
            schools_by_force[force.pk] = []
            for i in range(count):
                area = areas_by_force[force.pk][i % scale.areas]
                name = f"{rng.choice(SCHOOL_WORDS)} {rng.choice(SCHOOL_KINDS)}"
                while (area.pk, name) in names_used:
                    name = f"{name} {len(names_used)}"
                names_used.add((area.pk, name))
                urn += 1
                school = School(area=area, name=name, urn=str(urn), town=rng.choice(TOWNS))
                schools_by_force[force.pk].append(school)
                school_rows.append(school)
        bulk(School, school_rows)
        timer.lap("schools", len(school_rows))

        unit_rows = []
        force_of_unit = {}
        for force, weight in zip(forces, weights, strict=True):
            schools = schools_by_force[force.pk]
            count = min(len(schools), max(1, round(scale.units * weight)))
            for school in rng.sample(schools, count):
                unit = Unit(
                    school=school,
                    name=f"{school.name} Mini Police",
                    status=rng.choice(STATUSES),
                    status_since=today - days(rng.randint(30, 2000)),
                    funding_source="Police and Crime Commissioner",
                )
                unit_rows.append(unit)
                force_of_unit[id(unit)] = force
        bulk(Unit, unit_rows)
        # The dated status history: proposed, then trial, then active some months apart, and
        # paused or closed last where the unit is now. The current status starts on
        # status_since, so the country's count of active units grows over the years.
        path_to = {
            "proposed": ["proposed"],
            "trial": ["proposed", "trial"],
            "active": ["proposed", "trial", "active"],
            "paused": ["proposed", "trial", "active", "paused"],
            "closed": ["proposed", "trial", "active", "closed"],
        }
        history = []
        for u in unit_rows:
            steps = path_to[u.status]
            day = u.status_since
            dates = [day]
            for _ in steps[1:]:
                day = day - days(more.randint(40, 240))
                dates.append(day)
            dates.reverse()
            previous = ""
            for status, day in zip(steps, dates, strict=True):
                history.append(
                    UnitStatusChange(unit=u, from_status=previous, to_status=status, changed_on=day)
                )
                previous = status
        bulk(UnitStatusChange, history)
        timer.lap("units", len(unit_rows))

        cohort_rows = []
        for unit in unit_rows:
            for k in range(scale.cohorts):
                years_ago = scale.cohorts - 1 - k
                start = year_start.replace(year=year_start.year - years_ago)
                if years_ago == 0 and rng.random() < 0.1:
                    start = today + days(rng.randint(1, 30))  # starting soon: on home pages
                end = datetime.date(start.year + 1 if start.month >= 8 else start.year, 7, 18)
                label = f"{start.year if start.month >= 8 else start.year - 1}"
                label = f"{label}/{(int(label) + 1) % 100:02d} Year {6 if years_ago else 5}"
                cohort_rows.append(Cohort(unit=unit, name=label, start_date=start, end_date=end))
        bulk(Cohort, cohort_rows)
        timer.lap("cohorts", len(cohort_rows))

        # Staff: a national viewer, a coordinator per force, an area lead per area, a leader
        # per unit. Unusable passwords: the bench signs in with force_login.
        def staff(email, name):
            user = User(email=email, full_name=name)
            user.set_unusable_password()
            return user

        national = staff("national@example.org", "National office (bench)")
        coordinators = [
            staff(f"coordinator-{n:02d}@example.org", f"Coordinator, {f.name}")
            for n, f in enumerate(forces, 1)
        ]
        area_leads = [
            staff(f"area-lead-{n:02d}-{i}@example.org", f"Area lead, {a.name}")
            for n, f in enumerate(forces, 1)
            for i, a in enumerate(areas_by_force[f.pk], 1)
        ]
        leaders = [
            staff(f"leader-{n:04d}@example.org", f"Leader {n:04d}")
            for n in range(1, len(unit_rows) + 1)
        ]
        # A funder (the Police and Crime Commissioner's office) per force: aggregates only.
        funders = [
            staff(f"funder-{n:02d}@example.org", f"Commissioner's office, {f.name}")
            for n, f in enumerate(forces, 1)
        ]
        bulk(User, [national, *coordinators, *area_leads, *leaders, *funders])
        assignments = [RoleAssignment(user=national, role=Role.NATIONAL_VIEWER)]
        assignments += [
            RoleAssignment(user=u, role=Role.FORCE_COORDINATOR, force=f)
            for u, f in zip(coordinators, forces, strict=True)
        ]
        assignments += [
            RoleAssignment(user=u, role=Role.AREA_LEAD, force_id=a.force_id, area=a)
            for u, a in zip(area_leads, area_rows, strict=True)
        ]
        assignments += [
            RoleAssignment(user=u, role=Role.UNIT_LEADER, force=force_of_unit[id(unit)], unit=unit)
            for u, unit in zip(leaders, unit_rows, strict=True)
        ]
        assignments += [
            RoleAssignment(user=u, role=Role.FUNDER, force=f)
            for u, f in zip(funders, forces, strict=True)
        ]
        bulk(RoleAssignment, assignments)

        # Clearances: most in date; a few lapsed or lapsing within 30 days. The first leader
        # of each force is always cleared, so the bench has a leader who sees children.
        first_leader = {}
        for leader, unit in zip(leaders, unit_rows, strict=True):
            first_leader.setdefault(force_of_unit[id(unit)].pk, leader)
        cleared = {u.pk for u in first_leader.values()}
        vettings, trainings = [], []
        for leader in leaders:
            roll = 0.5 if leader.pk in cleared else rng.random()
            expires = today + days(
                rng.randint(-60, -1)
                if roll < 0.04
                else rng.randint(0, 30)
                if roll < 0.08
                else rng.randint(31, 1000)
            )
            level = rng.choice(Vetting.Level.values)
            vettings.append(
                Vetting(user=leader, level=level, granted=expires - days(3 * 365), expires=expires)
            )
            t_expires = today + days(rng.randint(31, 700) if roll >= 0.02 else -10)
            trainings.append(
                SafeguardingTraining(
                    user=leader, completed=t_expires - days(2 * 365), expires=t_expires
                )
            )
        bulk(Vetting, vettings)
        bulk(SafeguardingTraining, trainings)
        timer.lap("staff, roles, clearances", len(assignments) + len(vettings) + len(trainings))

        leader_of_unit = {id(u): leader for u, leader in zip(unit_rows, leaders, strict=True)}
        children, placements = [], []
        for cohort in cohort_rows:
            force = force_of_unit[id(cohort.unit)]
            year = 6 if cohort.start_date < year_start else 5
            for _ in range(scale.children):
                child = Child(
                    force=force,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    year_group=year,
                    leader_notes=rng.choice(NOTES) if rng.random() < 0.05 else "",
                )
                children.append(child)
                placements.append(cohort)
        bulk(Child, children)
        timer.lap("children", len(children))

        guardians = bulk(
            Guardian,
            [
                Guardian(
                    force=c.force,
                    name=f"{rng.choice(GUARDIAN_FIRST)} {c.last_name}",
                    email=f"guardian-{n:05d}@example.org",
                    # Ofcom keeps 07700 900000-900999 for fiction.
                    phone=f"07700 900{n % 1000:03d}",
                )
                for n, c in enumerate(children, 1)
            ],
        )
        bulk(
            Guardianship,
            [
                Guardianship(child=c, guardian=g, relationship=rng.choice(RELATIONSHIPS))
                for c, g in zip(children, guardians, strict=True)
            ],
        )
        # A second guardian for every child (issue #15: about two per child), in the same force.
        second = bulk(
            Guardian,
            [
                Guardian(
                    force=c.force,
                    name=f"{extra.choice(GUARDIAN_FIRST)} {extra.choice([c.last_name, *LAST_NAMES[:8]])}",
                    email=f"guardian-b-{n:05d}@example.org" if extra.random() < 0.9 else "",
                    phone=f"07700 900{(n * 7) % 1000:03d}",
                )
                for n, c in enumerate(children, 1)
            ],
        )
        bulk(
            Guardianship,
            [
                Guardianship(child=c, guardian=g, relationship=extra.choice(RELATIONSHIPS))
                for c, g in zip(children, second, strict=True)
            ],
        )
        timer.lap("guardians", (len(guardians) + len(second)) * 2)
        first_guardians = guardians
        guardians = [*guardians, *second]

        enrolments = bulk(
            Enrolment,
            [
                Enrolment(
                    cohort=cohort,
                    child=child,
                    joined=cohort.start_date,
                    left=cohort.end_date if cohort.end_date < today else None,
                )
                for child, cohort in zip(children, placements, strict=True)
            ],
        )
        timer.lap("enrolments", len(enrolments))

        entries = []
        coordinator_of = {f.pk: u for f, u in zip(forces, coordinators, strict=True)}
        for unit in unit_rows:
            force = force_of_unit[id(unit)]
            coordinator = coordinator_of[force.pk]
            entries.append(
                AuditEntry(
                    actor=coordinator,
                    actor_label=coordinator.email,
                    action="create",
                    object_type="unit",
                    object_id=str(unit.pk),
                    object_label=unit.name,
                    fields={"name": unit.name, "status": unit.status},
                    force=force,
                    at=at(unit.status_since, 0),
                )
            )
        for n, (child, guardian, cohort) in enumerate(
            zip(children, first_guardians, placements, strict=True)
        ):
            leader = leader_of_unit[id(cohort.unit)]
            when = at(min(cohort.start_date, today), n % 600)
            common = {"actor": leader, "actor_label": leader.email, "action": "create"}
            entries.append(
                AuditEntry(
                    **common,
                    object_type="child",
                    object_id=str(child.pk),
                    object_label=child.full_name,
                    fields={
                        "first_name": child.first_name,
                        "last_name": child.last_name,
                        "year_group": str(child.year_group),
                    },
                    force=child.force,
                    at=when,
                )
            )
            entries.append(
                AuditEntry(
                    **common,
                    object_type="guardian",
                    object_id=str(guardian.pk),
                    object_label=guardian.name,
                    fields={"name": guardian.name, "email": guardian.email},
                    force=guardian.force,
                    at=when + days(minutes=1),
                )
            )
        for guardian, cohort in zip(second, placements, strict=True):
            leader = leader_of_unit[id(cohort.unit)]
            entries.append(
                AuditEntry(
                    actor=leader,
                    actor_label=leader.email,
                    action="create",
                    object_type="guardian",
                    object_id=str(guardian.pk),
                    object_label=guardian.name,
                    fields={"name": guardian.name, "email": guardian.email},
                    force=guardian.force,
                    at=at(min(cohort.start_date, today), 2),
                )
            )
        bulk(AuditEntry, entries)
        timer.lap("audit entries", len(entries))

        # Survey rounds: each cohort that has started took the children's questionnaire at its
        # start, and each that has ended at its end too; 10 to 15 answered each time.
        version = InstrumentVersion.objects.get(
            instrument__force=None, instrument__kind="child", number=1
        )
        statements = list(version.questions.filter(kind="face").order_by("position"))
        rounds = []
        for cohort in cohort_rows:
            if cohort.start_date > today:
                continue
            phases = [("pre", cohort.start_date)]
            if cohort.end_date < today:
                phases.append(("post", cohort.end_date - days(10)))
            for phase, day in phases:
                rounds.append(
                    SurveyRound(
                        cohort=cohort,
                        version=version,
                        phase=phase,
                        status="closed",
                        started_at=at(day, 0),
                        closed_at=at(day, 60),
                    )
                )
        bulk(SurveyRound, rounds)
        responses = [
            ChildResponse(
                round=r,
                client_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                received_at=r.started_at,
            )
            for r in rounds
            for _ in range(rng.randint(10, 15))
        ]
        bulk(ChildResponse, responses)
        weights = {"pre": [8, 12, 26, 28, 26], "post": [3, 6, 15, 34, 42]}
        answers = [
            ChildAnswer(
                response=response,
                question=question,
                value=rng.choices(FACES, weights=weights[response.round.phase])[0],
            )
            for response in responses
            for question in statements
        ]
        bulk(ChildAnswer, answers)
        timer.lap("survey answers", len(answers))

        # Participation consent for every child, given on paper by their guardian a week
        # before their cohort started: the register needs it to mark a child present.
        guardian_of = {id(c): g for c, g in zip(children, first_guardians, strict=True)}
        consents = [
            Consent(
                child=child,
                kind=ConsentKind.PARTICIPATION,
                status=ConsentStatus.GRANTED,
                method=ConsentMethod.PAPER,
                given_by=guardian_of[id(child)],
                given_by_name=guardian_of[id(child)].name,
                recorded_by=leader_of_unit[id(cohort.unit)],
                given_at=at(cohort.start_date - days(7), 0),
            )
            for child, cohort in zip(children, placements, strict=True)
        ]
        bulk(Consent, consents)
        timer.lap("participation consents", len(consents))

        # School holidays of last year and this year, for every force.
        holidays = []
        for first_year in (year_start.year - 1, year_start.year):
            for name, (y0, m0, d0), (y1, m1, d1) in HOLIDAYS:
                first = datetime.date(first_year + y0, m0, d0)
                last = datetime.date(first_year + y1, m1, d1)
                holidays.append((name, first, last))
        bulk(
            SchoolHoliday,
            [
                SchoolHoliday(force=f, name=name, start_date=first, end_date=last)
                for f in forces
                for name, first, last in holidays
            ],
        )

        def in_holiday(day):
            return any(first <= day <= last for _, first, last in holidays)

        # Sessions: each unit meets weekly on its own weekday in term time, from its cohort's
        # start, up to scale.sessions times; about 1 in 25 is cancelled. A past session that
        # was not cancelled was delivered: its leader was there and took the register.
        children_of = {}
        for child, cohort in zip(children, placements, strict=True):
            children_of.setdefault(id(cohort), []).append(child)
        # Two years of history (issue #15, for the subject-access export): in every unit the
        # first child of last year's cohort stayed on as a helper in this year's, so they have
        # a second enrolment, registers and consents over both school years.
        continuing = []
        cohorts_of_unit = {}
        for cohort in cohort_rows:
            cohorts_of_unit.setdefault(id(cohort.unit), []).append(cohort)
        for unit_cohorts in cohorts_of_unit.values():
            last, this = unit_cohorts[0], unit_cohorts[-1]
            if last is this or last.start_date >= year_start or not children_of.get(id(last)):
                continue
            child = children_of[id(last)][0]
            continuing.append(
                Enrolment(cohort=this, child=child, joined=this.start_date, left=None)
            )
            children_of.setdefault(id(this), []).append(child)
        bulk(Enrolment, continuing)
        timer.lap("children in two cohorts", len(continuing))
        weekday_of = {id(u): more.randint(0, 4) for u in unit_rows}
        sessions, delivered = [], []
        for cohort in cohort_rows:
            weekday = weekday_of[id(cohort.unit)]
            start_time = datetime.time(15, 15) if weekday % 2 else datetime.time(13, 30)
            day = cohort.start_date + days((weekday - cohort.start_date.weekday()) % 7)
            made = 0
            while made < scale.sessions and day <= cohort.end_date:
                if not in_holiday(day):
                    cancelled = more.random() < 0.04
                    session = Session(
                        cohort=cohort,
                        date=day,
                        start_time=start_time,
                        minutes=60,
                        place=more.choice(SESSION_PLACES),
                        status="cancelled" if cancelled else "planned",
                        cancelled_reason=more.choice(CANCEL_REASONS) if cancelled else "",
                    )
                    sessions.append(session)
                    if not cancelled and day < today:
                        delivered.append(session)
                    made += 1
                day += days(7)
        bulk(Session, sessions)
        Present = Session.leaders_present.through
        bulk(
            Present,
            [Present(session=s, user=leader_of_unit[id(s.cohort.unit)]) for s in delivered],
        )
        timer.lap("sessions", len(sessions))

        # The registers: every enrolled child of the cohort at every delivered session, mostly
        # present (each child has their own habit), some absent or excused. Written in chunks
        # to keep memory down.
        habit = {id(c): more.uniform(0.62, 0.99) for c in children}
        present_count = {}
        held_count = {}
        marks, attendance_rows = [], 0
        for session in delivered:
            cohort = session.cohort
            held_count[id(cohort)] = held_count.get(id(cohort), 0) + 1
            leader = leader_of_unit[id(cohort.unit)]
            recorded = datetime.datetime.combine(session.date, session.start_time, tzinfo=tz)
            recorded += days(minutes=65)
            for child in children_of.get(id(cohort), []):
                roll = more.random()
                if roll < habit[id(child)]:
                    status = "present"
                    present_count[id(child)] = present_count.get(id(child), 0) + 1
                else:
                    # A third of the others were excused (ill, an appointment), the rest absent.
                    status = "excused" if roll > (2 + habit[id(child)]) / 3 else "absent"
                marks.append(
                    Attendance(
                        session=session,
                        child=child,
                        status=status,
                        recorded_by=leader,
                        recorded_at=recorded,
                    )
                )
            if len(marks) >= 10 * BATCH:
                bulk(Attendance, marks)
                attendance_rows += len(marks)
                marks = []
        bulk(Attendance, marks)
        attendance_rows += len(marks)
        timer.lap("register marks", attendance_rows)

        # Community actions: 2 to 4 a school year per unit, on days its cohort met, with the
        # reach measures of their kind (most filled in) and 6 to 15 of its children.
        def measures(kind):
            homes = more.randint(40, 400)
            checked = more.randint(30, 300)
            values = {
                "homes_reached": homes,
                "leaflets_delivered": homes + more.randint(0, 60),
                "bags_collected": more.randint(3, 30),
                "vehicles_checked": checked,
                "vehicles_over_limit": more.randint(0, checked // 5),
                "drivers_spoken_to": more.randint(4, 60),
            }
            return {name: values[name] for name in KIND_MEASURES[kind] if more.random() < 0.85}

        actions, action_children = [], []
        for cohort in cohort_rows:
            last_day = min(cohort.end_date, today - days(1))
            span = (last_day - cohort.start_date).days
            if span < 14:
                continue
            count = more.randint(2, 4) if span > 120 else more.randint(0, 2)
            town = cohort.unit.school.town
            for _ in range(count):
                kind = more.choice(ACTION_KINDS)
                fields = measures(kind)
                if "vehicles_over_limit" in fields and "vehicles_checked" not in fields:
                    del fields["vehicles_over_limit"]
                day = cohort.start_date + days(more.randint(7, span))
                actions.append(
                    CommunityAction(
                        unit=cohort.unit,
                        kind=kind,
                        date=day,
                        place=f"{more.choice(ACTION_PLACES).capitalize()}, {town}",
                        partners=more.choice(PARTNERS),
                        outcome="Residents thanked the children." if more.random() < 0.3 else "",
                        recorded_by=leader_of_unit[id(cohort.unit)],
                        recorded_at=at(day, 420),
                        **fields,
                    )
                )
                pool = children_of.get(id(cohort), [])
                action_children.append(more.sample(pool, min(len(pool), more.randint(6, 15))))
        bulk(CommunityAction, actions)
        participations = bulk(
            Participation,
            [
                Participation(action=a, child=c)
                for a, chosen in zip(actions, action_children, strict=True)
                for c in chosen
            ],
        )
        timer.lap("community actions", len(actions) + len(participations))

        # Events: a celebration day per force per school year in June (last year's held, this
        # year's confirmed and taking places). Its units are invited; most accept, and most
        # of their children ask for a place; the first `capacity` get one, the rest wait.
        # At last year's day most children with a place were checked in.
        units_of_force = {}
        for u in unit_rows:
            units_of_force.setdefault(force_of_unit[id(u)].pk, []).append(u)
        cohort_of = {(id(c.unit), c.start_date < year_start): c for c in cohort_rows}
        events, invitations, places, trip_consents = [], [], [], []
        event_day = {}
        for first_year in (year_start.year - 1, year_start.year):
            past = first_year < year_start.year
            for n, force in enumerate(forces):
                day = datetime.date(first_year + 1, 6, 8) + days(n % 10)
                while day.weekday() > 4:
                    day += days(1)
                if past:
                    event_day[force.pk] = day
                created = at(min(day - days(120), today - days(20)), 0)
                coordinator = coordinator_of[force.pk]
                units = units_of_force.get(force.pk, [])
                event = Event(
                    force=force,
                    kind="celebration",
                    title=f"{force.name} Mini Police celebration day {first_year + 1}",
                    date=day,
                    start_time=datetime.time(10),
                    end_time=datetime.time(14, 30),
                    venue="Police headquarters",
                    capacity=max(10, len(units) * scale.children * 7 // 10),
                    status="confirmed",
                    confirmed_at=created + days(days=7),
                    confirmed_by=coordinator,
                    created_by=coordinator,
                    created_at=created,
                )
                events.append(event)
                for u in units:
                    roll = more.random()
                    status = (
                        "accepted"
                        if roll < 0.85
                        else "declined"
                        if past or roll < 0.93
                        else "invited"
                    )
                    invitation = Invitation(
                        event=event,
                        unit=u,
                        status=status,
                        invited_at=created + days(days=7),
                        invited_by=coordinator,
                        responded_at=created + days(days=14) if status != "invited" else None,
                        responded_by=leader_of_unit[id(u)] if status != "invited" else None,
                    )
                    invitations.append(invitation)
                    if status != "accepted":
                        continue
                    cohort = cohort_of.get((id(u), past))
                    for i, child in enumerate(children_of.get(id(cohort), [])):
                        if more.random() < 0.85:
                            places.append(
                                EventPlace(
                                    event=event,
                                    invitation=invitation,
                                    child=child,
                                    status="place",
                                    requested_at=created + days(days=15, minutes=i),
                                    requested_by=leader_of_unit[id(u)],
                                )
                            )
        bulk(Event, events)
        bulk(Invitation, invitations)
        # Places in the order asked for: over capacity they wait; a few gave theirs up.
        taken = {}
        for place in sorted(places, key=lambda p: (p.requested_at, id(p))):
            event = place.event
            taken[id(event)] = taken.get(id(event), 0) + 1
            if taken[id(event)] > event.capacity:
                place.status = "waiting"
            elif more.random() < 0.03:
                place.status = "released"
            elif event.date < today and more.random() < 0.92:
                arrive = datetime.datetime.combine(event.date, event.start_time, tzinfo=tz)
                place.arrived_late = more.random() < 0.04
                place.checked_in_at = arrive + days(minutes=50 if place.arrived_late else 5)
                if more.random() < 0.02:
                    place.collected_early_at = arrive + days(hours=3)
            if place.status == "place":
                trip_consents.append(
                    Consent(
                        child=place.child,
                        kind=ConsentKind.TRIP,
                        trip_reference=f"event:{event.pk}",
                        status=ConsentStatus.GRANTED,
                        method=ConsentMethod.PAPER,
                        given_by=guardian_of[id(place.child)],
                        given_by_name=guardian_of[id(place.child)].name,
                        recorded_by=place.requested_by,
                        given_at=place.requested_at + days(days=3),
                    )
                )
        bulk(EventPlace, places)
        bulk(Consent, trip_consents)
        consents += trip_consents
        timer.lap("events", len(events) + len(invitations) + len(places) + len(trip_consents))

        # Awards of last year's cohorts, given at the force's celebration day: a completion
        # award for each child who attended at least 75 % of the held sessions, and one special
        # award per cohort; each with one valid certificate and its own code.
        awards, certificates, codes = [], [], set()

        def code():
            while True:
                made = "".join(more.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if made not in codes:
                    codes.add(made)
                    return made

        for cohort in cohort_rows:
            if cohort.start_date >= year_start or not held_count.get(id(cohort)):
                continue
            force = force_of_unit[id(cohort.unit)]
            day = event_day[force.pk]
            coordinator = coordinator_of[force.pk]
            pool = children_of.get(id(cohort), [])
            chosen = [
                (c, "completion", COMPLETION_TITLE, "")
                for c in pool
                if present_count.get(id(c), 0) * 100 >= 75 * held_count[id(cohort)]
            ]
            if pool:
                title, citation = more.choice(SPECIAL_AWARDS)
                chosen.append((more.choice(pool), "special", title, citation))
            for child, kind, title, citation in chosen:
                award = Award(
                    child=child,
                    cohort=cohort,
                    kind=kind,
                    title=title,
                    citation=citation,
                    awarded_on=day,
                    given_by=coordinator,
                    created_at=at(day - days(7), 60),
                )
                awards.append(award)
                certificates.append(
                    Certificate(
                        award=award,
                        code=code(),
                        first_name=child.first_name,
                        last_name=child.last_name,
                        unit_name=cohort.unit.name,
                        school_name=cohort.unit.school.name,
                        issued_at=at(day - days(7), 61),
                        issued_by=coordinator,
                    )
                )
        bulk(Award, awards)
        bulk(Certificate, certificates)
        timer.lap("awards and certificates", len(awards) + len(certificates))

        # Teachers (issue #15): one per school with a unit, who sees their school's unit.
        unit_schools = list({id(u.school): u.school for u in unit_rows}.values())
        teachers = [
            staff(f"teacher-{n:04d}@example.org", f"Teacher {n:04d}")
            for n in range(1, len(unit_schools) + 1)
        ]
        bulk(User, teachers)
        force_of_school = {id(u.school): force_of_unit[id(u)] for u in unit_rows}
        teacher_roles = bulk(
            RoleAssignment,
            [
                RoleAssignment(
                    user=t, role=Role.TEACHER, force=force_of_school[id(school)], school=school
                )
                for t, school in zip(teachers, unit_schools, strict=True)
            ],
        )
        # Parent portal accounts: about a third of the first guardians with an email have
        # signed in once (they have no password; the portal signs in by emailed link).
        # The first guardian of each child in two cohorts always has one (the bench's parent).
        stayed_on = {id(e.child) for e in continuing}
        portal = [
            g
            for c, g in zip(children, first_guardians, strict=True)
            if g.email and (extra.random() < 0.34 or id(c) in stayed_on)
        ]
        portal_users = []
        for g in portal:
            user = User(email=g.email, full_name=g.name)
            user.set_unusable_password()
            portal_users.append(user)
        bulk(User, portal_users)
        for g, user in zip(portal, portal_users, strict=True):
            g.user = user
        Guardian.objects.bulk_update(portal, ["user"], batch_size=BATCH)
        guardian_roles = bulk(
            RoleAssignment,
            [
                RoleAssignment(user=u, role=Role.GUARDIAN, force=g.force, guardian=g)
                for g, u in zip(portal, portal_users, strict=True)
            ],
        )
        assignments += teacher_roles + guardian_roles
        timer.lap("teachers and portal accounts", len(teacher_roles) + len(guardian_roles))

        # Consent history (issue #15): photo consent asked of every child's first guardian a
        # week before the cohort; most granted (some uses), a few refused; some withdrawn
        # later and some of those granted again through the portal. And a few children were
        # first refused participation, then granted it (the grant above is the latest).
        history_rows = []
        uses = [u for u, _ in MediaUse.choices]
        for child, cohort in zip(children, placements, strict=True):
            guardian = guardian_of[id(child)]
            leader = leader_of_unit[id(cohort.unit)]
            asked = at(cohort.start_date - days(7), 5)
            common = {"child": child, "given_by": guardian, "given_by_name": guardian.name}
            if extra.random() < 0.03:
                history_rows.append(
                    Consent(
                        **common,
                        kind=ConsentKind.PARTICIPATION,
                        status=ConsentStatus.REFUSED,
                        method=ConsentMethod.PAPER,
                        recorded_by=leader,
                        given_at=asked - days(days=14),
                    )
                )
            roll = extra.random()
            if roll < 0.1:
                continue  # never answered
            granted = roll < 0.9
            history_rows.append(
                Consent(
                    **common,
                    kind=ConsentKind.MEDIA,
                    status=ConsentStatus.GRANTED if granted else ConsentStatus.REFUSED,
                    media_uses=extra.sample(uses, extra.randint(1, len(uses))) if granted else [],
                    method=ConsentMethod.PAPER,
                    recorded_by=leader,
                    given_at=asked,
                )
            )
            if granted and extra.random() < 0.15:
                later = min(asked + days(days=extra.randint(20, 200)), at(today, 0))
                history_rows.append(
                    Consent(
                        **common,
                        kind=ConsentKind.MEDIA,
                        status=ConsentStatus.WITHDRAWN,
                        method=ConsentMethod.PORTAL,
                        given_by_email=guardian.email,
                        given_at=later,
                    )
                )
                if extra.random() < 0.4:
                    history_rows.append(
                        Consent(
                            **common,
                            kind=ConsentKind.MEDIA,
                            status=ConsentStatus.GRANTED,
                            media_uses=[MediaUse.INTERNAL],
                            method=ConsentMethod.PORTAL,
                            given_by_email=guardian.email,
                            given_at=later + days(days=3),
                        )
                    )
        bulk(Consent, history_rows)
        consents += history_rows
        timer.lap("consent history", len(history_rows))

    return {
        "forces": len(forces),
        "areas": len(area_rows),
        "schools": len(school_rows),
        "units": len(unit_rows),
        "cohorts": len(cohort_rows),
        "children": len(children),
        "guardians": len(guardians),
        "leaders": len(leaders),
        "teachers": len(teachers),
        "portal_accounts": len(portal_users),
        "children_in_two_cohorts": len(continuing),
        "role_assignments": len(assignments),
        "audit_entries": len(entries),
        "survey_rounds": len(rounds),
        "survey_responses": len(responses),
        "survey_answers": len(answers),
        "consents": len(consents),
        "unit_status_changes": len(history),
        "sessions": len(sessions),
        "sessions_delivered": len(delivered),
        "attendance": attendance_rows,
        "community_actions": len(actions),
        "participations": len(participations),
        "events": len(events),
        "invitations": len(invitations),
        "event_places": len(places),
        "awards": len(awards),
        "certificates": len(certificates),
        "funders": len(funders),
        "seconds": round(timer.total, 2),
    }


def reseed_national_library() -> None:
    """`flush` empties the tables the migrations seeded too: the curriculum's and the surveys'
    national libraries. Seed them again the migrations' own way."""
    import importlib

    from django.apps import apps

    for module in (
        "minipolice.programme.migrations.0002_national_library",
        "minipolice.impact.migrations.0002_national_library",
    ):
        importlib.import_module(module).seed(apps, None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--seed", type=int, default=2017, help="random seed (default 2017)")
    parser.add_argument(
        "--reset", action="store_true", help="empty the database first if it holds data"
    )
    args = parser.parse_args(argv)

    database = setup()
    from django.core.management import call_command
    from django.db import connection

    from minipolice.accounts.models import User
    from minipolice.organisations.models import Force

    print(f"Database: {database}")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"  {'migrate':<28} {time.perf_counter() - started:7.2f} s")

    if Force.objects.exists() or User.objects.exists():
        if not args.reset:
            print(
                "The database already holds data. Run again with --reset to empty it first.",
                file=sys.stderr,
            )
            return 1
        started = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0)
        reseed_national_library()
        print(f"  {'flush (--reset)':<28} {time.perf_counter() - started:7.2f} s")

    print(f"Generating the {args.scale} dataset (seed {args.seed})")
    counts = generate(SCALES[args.scale], args.seed)
    if connection.vendor == "postgresql":
        # Autovacuum would gather statistics soon after a real load; do it now so the
        # benchmarks see the plans a settled database would use.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  {'analyze':<28} {time.perf_counter() - started:7.2f} s")
    summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items() if k != "seconds")
    print(f"Generated {summary}\nin {counts['seconds']:.1f} s (after migrate).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
