"""`manage.py backup [--output PATH] [--unencrypted]`: one archive of the database and uploads.

Encrypted whenever BACKUP_PASSPHRASE is set. Without it the command refuses, unless told
--unencrypted: the archive holds children's data (docs/backup.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minipolice.lib import backup


class Command(BaseCommand):
    help = (
        "Write one compressed archive of the database and the uploaded files (MEDIA_ROOT), "
        f"with a manifest; encrypted with {backup.PASSPHRASE_VARIABLE} when it is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="File or folder to write to (default: BACKUP_DIR, named by date and time).",
        )
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help=f"Write an archive without encryption ({backup.PASSPHRASE_VARIABLE} unset).",
        )

    def handle(self, *args, output, unencrypted, **options):
        passphrase = backup.passphrase_from_environment()
        if passphrase and unencrypted:
            raise CommandError(
                f"{backup.PASSPHRASE_VARIABLE} is set and --unencrypted asks for no encryption: "
                "drop one of them."
            )
        if not passphrase and not unencrypted:
            raise CommandError(
                f"Set {backup.PASSPHRASE_VARIABLE} to encrypt the backup (it holds children's "
                "data), or pass --unencrypted to write it without encryption."
            )
        try:
            made = backup.create_backup(output=output, passphrase=passphrase)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        tables = made.manifest["database"]["tables"]
        media = made.manifest["media"]
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {made.path}")
            + f" ({made.size} bytes, "
            + ("encrypted" if made.encrypted else "NOT encrypted")
            + f"): the database ({len(tables)} tables, {sum(tables.values())} rows) and "
            f"{len(media)} uploaded files ({sum(entry['size'] for entry in media)} bytes)."
        )
