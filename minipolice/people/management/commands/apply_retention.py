"""Apply the retention rule: anonymise children (and guardians) whose time is up.

    manage.py apply_retention --dry-run   list who would be anonymised, change nothing
    manage.py apply_retention             anonymise them and record the run
    manage.py apply_retention --schedule  queue the daily background run (needs task_worker)

`--today YYYY-MM-DD` applies the rule as on another date (for checking a future run).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from minipolice.people import retention, services, tasks


class Command(BaseCommand):
    help = "Anonymise personal data past its retention period (see docs/retention.md)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--today", help="Apply the rule as on this date (YYYY-MM-DD).")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily background run instead of running now.",
        )

    def handle(self, *args, dry_run=False, today=None, schedule=False, **options):
        if schedule:
            when = tasks.schedule_next_retention()
            if when is None:
                raise CommandError(
                    "The task backend cannot delay tasks: run this command from cron instead."
                )
            self.stdout.write(
                f"The daily retention run is queued for {timezone.localtime(when):%Y-%m-%d %H:%M}."
            )
            return
        try:
            on = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today must be a date like 2027-01-31: {error}") from error
        if dry_run:
            plan = retention.plan(on)
            self.stdout.write(
                f"Dry run for {on}: {len(plan.children)} children and {len(plan.guardians)} "
                "guardians would be anonymised. Nothing was changed."
            )
            for child in plan.children:
                self.stdout.write(
                    f"  child #{child.pk} ({child.force.short_name}), last cohort ended "
                    f"{child.last_cohort_ended}"
                )
            for guardian in plan.guardians:
                self.stdout.write(f"  guardian #{guardian.pk} ({guardian.force.short_name})")
            return
        run = services.apply_retention(acting_user=None, today=on)
        self.stdout.write(
            self.style.SUCCESS(
                f"Retention run {run.pk} for {on}: anonymised {run.children_count} children "
                f"and {run.guardians_count} guardians."
            )
        )
