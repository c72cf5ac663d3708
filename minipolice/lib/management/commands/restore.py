"""`manage.py restore ARCHIVE [--force]`: put a backup back into an empty database and media folder.

The whole archive is checked before anything changes; afterwards every row count and checksum
is checked against its manifest (docs/backup.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minipolice.lib import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and an empty "
        f"MEDIA_ROOT ({backup.PASSPHRASE_VARIABLE} opens an encrypted one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds data and a media folder that holds files.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            done = backup.restore_backup(
                archive, passphrase=backup.passphrase_from_environment(), force=force
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {archive.name}")
            + f" (made {done.manifest['created_at']}): the database ({done.tables} tables, "
            f"{done.rows} rows) and {done.files} uploaded files. Every row count and checksum "
            "matches the manifest."
        )
        if done.behind:
            self.stdout.write(
                "The backup is older than this code for "
                + ", ".join(done.behind)
                + ": run `manage.py migrate` before starting the site."
            )
