import datetime
import importlib

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from minipolice.accounts.models import Role, User
from minipolice.accounts.services import assign_role, create_user
from minipolice.demo import data
from minipolice.demo import today as demo_dates
from minipolice.organisations import services as org
from minipolice.organisations.models import Area, Force, School, Unit
from minipolice.people import services as people

# Children per cohort: a unit's first cohort, and its current one (the Harpenden trial had 28
# pupils; the demo leader's cohort is a full class of 25 with the demo parent's two).
# The 2019 units' first cohorts are left empty, to keep the load quick.
NAMED_UNITS = (10, 12)  # (first cohort, current cohort)
UNITS_OF_2019 = (0, 6)
DEMO_COHORT = 23


class Command(BaseCommand):
    help = "Load the demo data (idempotent: loading twice changes nothing) and print demo sign-ins."

    def handle(self, *args, **options):
        created = self.load()
        # Each app may add its own demo records in `minipolice/<app>/demo.py: load_demo_data()`,
        # which must itself be idempotent; it may return a line saying what it added.
        for app in apps.get_app_configs():
            if app.name.startswith("minipolice.") and app.name != "minipolice.demo":
                try:
                    module = importlib.import_module(f"{app.name}.demo")
                except ModuleNotFoundError:
                    continue
                with transaction.atomic():
                    added = module.load_demo_data()
                if added and not created:
                    self.stdout.write(added)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded." if created else "Demo data already loaded: nothing changed."
            )
        )
        self.stdout.write(f"\nDemo sign-ins (password for all: {data.DEMO_PASSWORD}):")
        for email, name, role, *_ in data.ACCOUNTS:
            how = (
                "  (no password: ask for a link at /portal/link/)" if role == Role.GUARDIAN else ""
            )
            self.stdout.write(f"  {Role(role).label:<20} {email:<36} {name}{how}")
        self.stdout.write("Demo accounts skip the second factor only while DEBUG is on.\n")

    @transaction.atomic
    def load(self) -> bool:
        if Force.objects.filter(short_name="avon-and-somerset").exists():
            return False
        self.today = timezone.localdate()
        self.names = data.names()
        self.emails = set()
        for spec in data.FORCES:
            force = org.create_force(
                acting_user=None,
                name=spec["name"],
                short_name=spec["short_name"],
                chief_constable_name=spec["chief_constable_name"],
                pcc_name=spec["pcc_name"],
            )
            areas = {}
            for area_name, schools in spec["areas"].items():
                areas[area_name] = org.create_area(acting_user=None, force=force, name=area_name)
                for school in schools:
                    self._school(areas[area_name], *school, sizes=NAMED_UNITS)
            if spec["short_name"] == "avon-and-somerset":
                for area_name, school in data.avon_2019_schools():
                    self._school(areas[area_name], *school, sizes=UNITS_OF_2019)
        self._accounts()
        return True

    def _school(self, area, name, town, district, history, *, sizes):
        school = org.create_school(
            acting_user=None, area=area, name=name, town=town, postcode=district
        )
        self._unit(school, history, sizes)

    def _unit(self, school, history, sizes):
        today = self.today
        if not history:
            org.create_unit(
                acting_user=None,
                school=school,
                name=f"{school.name} Mini Police",
                status="proposed",
                status_since=today - datetime.timedelta(days=20),
            )
            return
        (first_status, first_date), *later = history
        unit = org.create_unit(
            acting_user=None,
            school=school,
            name=f"{school.name} Mini Police",
            status="proposed",
            status_since=first_date - datetime.timedelta(days=60),
            funding_source=data.FUNDING,
        )
        org.change_unit_status(
            acting_user=None, unit=unit, to_status=first_status, changed_on=first_date
        )
        for status, on in later:
            org.change_unit_status(acting_user=None, unit=unit, to_status=status, changed_on=on)
        unit.refresh_from_db()
        # The first cohort, in the school year the unit started.
        trial = school.name == "Harpenden Academy"
        year = demo_dates.school_year(first_date)
        first = org.create_cohort(
            acting_user=None,
            unit=unit,
            name="2018 trial" if trial else f"{demo_dates.school_year_label(first_date)} Year 5",
            start_date=first_date,
            end_date=datetime.date(2018, 6, 20) if trial else datetime.date(year + 1, 7, 19),
        )
        self._children(first, 28 if trial else sizes[0], joined=first_date)
        if unit.status != "active":
            return
        start, end = demo_dates.current_cohort_dates(today)
        current = org.create_cohort(
            acting_user=None,
            unit=unit,
            name=demo_dates.current_cohort_name(today),
            start_date=start,
            end_date=end,
        )
        demo = school.name == demo_dates.DEMO_SCHOOL
        self._children(current, DEMO_COHORT if demo else sizes[1], joined=start)
        if school.name == "Preston Primary":
            soon = today + datetime.timedelta(days=14)
            org.create_cohort(
                acting_user=None,
                unit=unit,
                name=f"{demo_dates.school_year_label(today)} Year 6 (second group)",
                start_date=soon,
                end_date=soon + datetime.timedelta(weeks=12),
            )

    def _children(self, cohort, count, joined):
        for index in range(count):
            first, last = next(self.names)
            child = people.add_child_to_cohort(
                acting_user=None,
                cohort=cohort,
                first_name=first,
                last_name=last,
                year_group=5,
                joined=joined,
                leader_notes="Needs instructions read aloud." if index == 3 else "",
            )
            parent = data.GUARDIAN_FIRST[index % len(data.GUARDIAN_FIRST)]
            email = f"{parent.lower()}.{last.lower()}@example.com"
            number = 2
            while email in self.emails:
                email, number = f"{parent.lower()}.{last.lower()}{number}@example.com", number + 1
            self.emails.add(email)
            guardian = people.create_guardian(
                acting_user=None, force=child.force, name=f"{parent} {last}", email=email
            )
            people.link_guardian(acting_user=None, child=child, guardian=guardian)

    def _accounts(self):
        today = self.today
        # One hash for every demo account: hashing is slow on purpose, the demo need not be.
        password = make_password(data.DEMO_PASSWORD)
        for email, name, role, force_short, kind, scope_name in data.ACCOUNTS:
            user = create_user(acting_user=None, email=email, full_name=name, is_demo=True)
            User.objects.filter(pk=user.pk).update(password=password)
            force = Force.objects.get(short_name=force_short) if force_short else None
            scope = {}
            if kind == "force":
                scope["force"] = force
            elif kind == "area":
                scope["area"] = Area.objects.get(force=force, name=scope_name)
            elif kind == "school":
                scope["school"] = School.objects.get(area__force=force, name=scope_name)
            elif kind == "unit":
                scope["unit"] = Unit.objects.get(school__area__force=force, school__name=scope_name)
            elif kind == "guardian":
                scope["guardian"] = self._demo_guardian(user, force)
            assign_role(acting_user=None, user=user, role=Role(role), **scope)
            if role == "unit_leader":
                lapsed = email.startswith("lapsed")
                expires = (
                    today - datetime.timedelta(days=10)
                    if lapsed
                    else today + datetime.timedelta(days=400)
                )
                people.record_vetting(
                    acting_user=None,
                    leader=user,
                    level="nppv2",
                    granted=expires - datetime.timedelta(days=3 * 365),
                    expires=expires,
                    force=force,
                )
                people.record_safeguarding_training(
                    acting_user=None,
                    leader=user,
                    completed=today - datetime.timedelta(days=300),
                    expires=today + datetime.timedelta(days=20),
                    force=force,
                )

    def _demo_guardian(self, user, force):
        """The demo parent has two children in the demo leader's current cohort."""
        cohort = demo_dates.demo_cohort(self.today)
        guardian = people.create_guardian(
            acting_user=None, force=force, name=user.full_name, email=user.email
        )
        guardian.user = user
        guardian.save(update_fields=["user"])
        for first in ("Mia", "Leo"):
            child = people.add_child_to_cohort(
                acting_user=None,
                cohort=cohort,
                first_name=first,
                last_name=data.DEMO_FAMILY_NAME,
                year_group=5,
                joined=cohort.start_date,
            )
            people.link_guardian(acting_user=None, child=child, guardian=guardian)
        return guardian
