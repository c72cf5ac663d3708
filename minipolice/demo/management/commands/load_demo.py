import datetime
import importlib
import itertools

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.accounts.services import assign_role, create_user
from minipolice.demo import data
from minipolice.organisations import services as org
from minipolice.organisations.models import Area, Cohort, Force, School, Unit
from minipolice.people import services as people
from minipolice.people.models import Child, Guardian, SafeguardingTraining, Vetting


class Command(BaseCommand):
    help = "Load the demo data (idempotent: loading twice changes nothing) and print demo sign-ins."

    def handle(self, *args, **options):
        created = self.load()
        # Each app may add its own demo records in `minipolice/<app>/demo.py: load_demo_data()`,
        # which must itself be idempotent.
        for app in apps.get_app_configs():
            if app.name.startswith("minipolice.") and app.name != "minipolice.demo":
                try:
                    module = importlib.import_module(f"{app.name}.demo")
                except ModuleNotFoundError:
                    continue
                with transaction.atomic():
                    module.load_demo_data()
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
        today = timezone.localdate()
        names = itertools.cycle(itertools.product(data.LAST_NAMES, data.FIRST_NAMES))
        for spec in data.FORCES:
            force = org.create_force(
                acting_user=None,
                name=spec["name"],
                short_name=spec["short_name"],
                chief_constable_name=spec["chief_constable_name"],
                pcc_name=spec["pcc_name"],
            )
            for area_name, schools in spec["areas"].items():
                area = org.create_area(acting_user=None, force=force, name=area_name)
                for school_name, town, history in schools:
                    school = org.create_school(
                        acting_user=None, area=area, name=school_name, town=town
                    )
                    self._unit(school, history, today, names)
        self._accounts(today)
        return True

    def _unit(self, school, history, today, names):
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
        # The first cohort, in the term the unit started (the Harpenden trial had 28 pupils).
        trial = school.name == "Harpenden Academy"
        start = first_date
        end = datetime.date(2018, 6, 20) if trial else datetime.date(start.year + 1, 7, 19)
        first = org.create_cohort(
            acting_user=None,
            unit=unit,
            name="2018 trial" if trial else f"{start.year}/{str(start.year + 1)[2:]} Year 5",
            start_date=start,
            end_date=end,
        )
        self._children(first, 28 if trial else 10, names, joined=start)
        if unit.status == "active":
            current = org.create_cohort(
                acting_user=None,
                unit=unit,
                name="2026/27 Year 5",
                start_date=datetime.date(2026, 9, 14),
                end_date=datetime.date(2027, 7, 16),
            )
            self._children(current, 12, names, joined=current.start_date)
        if school.name == "Preston Primary":
            org.create_cohort(
                acting_user=None,
                unit=unit,
                name="2026/27 Year 6 spring",
                start_date=today + datetime.timedelta(days=14),
                end_date=datetime.date(2027, 3, 26),
            )

    def _children(self, cohort, count, names, joined):
        for index in range(count):
            last, first = next(names)
            child = people.add_child_to_cohort(
                acting_user=None,
                cohort=cohort,
                first_name=first,
                last_name=last,
                year_group=5 if "Year 6" not in cohort.name else 6,
                joined=joined,
                leader_notes="Needs instructions read aloud." if index == 3 else "",
            )
            guardian = people.create_guardian(
                acting_user=None,
                force=child.force,
                name=f"{data.GUARDIAN_FIRST[index % len(data.GUARDIAN_FIRST)]} {last}",
                email=f"{data.GUARDIAN_FIRST[index % len(data.GUARDIAN_FIRST)].lower()}.{last.lower()}@example.com",
            )
            people.link_guardian(acting_user=None, child=child, guardian=guardian)

    def _accounts(self, today):
        for email, name, role, force_short, kind, scope_name in data.ACCOUNTS:
            user = create_user(
                acting_user=None,
                email=email,
                full_name=name,
                password=data.DEMO_PASSWORD,
                is_demo=True,
            )
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
        """The demo parent has two children in the current Oasis Connaught cohort."""
        cohort = Cohort.objects.get(
            unit__school__name="Oasis Connaught School", name="2026/27 Year 5"
        )
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
                last_name="Ashworth",
                year_group=5,
                joined=cohort.start_date,
            )
            people.link_guardian(acting_user=None, child=child, guardian=guardian)
        return guardian


__all__ = [
    "Command",
    "Child",
    "Guardian",
    "RoleAssignment",
    "User",
    "Vetting",
    "SafeguardingTraining",
]
