"""Backups: one archive of the database and the uploaded files, and putting one back.

`manage.py backup` and `manage.py restore` (lib/management/commands) call create_backup() and
restore_backup(); docs/backup.md is the operator's guide.

The archive is a gzip-compressed tar holding, in this order:

    database.sqlite3 | database.pgdump   the database: SQLite's online backup API, or pg_dump -Fc
    media/<path>                         every file under MEDIA_ROOT (signatures, story photos...)
    manifest.json                        written last, once every checksum is known

With a passphrase (BACKUP_PASSPHRASE) the whole .tar.gz is encrypted (backup_crypto) and the
archive's name ends in ".tar.gz.enc".

The database copy is one consistent state while the site runs: SQLite's backup API copies a
committed state; pg_dump reads in the snapshot of the REPEATABLE READ transaction in which the
manifest's row counts were taken. Uploaded files are read after that snapshot, so a file uploaded
meanwhile is in the archive without its row, which harms nothing.

Restore reads and checks the whole archive into a private staging folder (decryption, every
checksum against the manifest, the database vendor, the migrations this code knows) before it
changes anything; then it replaces the database and the media folder and checks row counts and
checksums again.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, without a shell (see _run) # nosec B404
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from minipolice.lib import backup_crypto
from minipolice.lib.backup_crypto import SealError

FORMAT = "minipolice-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PASSPHRASE_VARIABLE = "BACKUP_PASSPHRASE"  # the variable's name, not a passphrase # nosec B105
MIN_PASSPHRASE = 12
UNCHANGED = "Nothing was changed."
# Connection settings dj-database-url may put in OPTIONS, handed to pg_dump as libpq variables.
_LIBPQ = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """Something the operator can put right; the commands show its message, not a traceback."""


def passphrase_from_environment() -> str | None:
    """BACKUP_PASSPHRASE, or None when it is unset or empty."""
    return os.environ.get(PASSPHRASE_VARIABLE) or None


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Hashing:
    """Reads from a file object, keeping the SHA-256 and size of what it has read."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        self.size += len(data)
        return data

    def summary(self) -> dict:
        return {"size": self.size, "sha256": self.sha.hexdigest()}


def _sha256(path: Path) -> dict:
    with open(path, "rb") as raw:
        reader = _Hashing(raw)
        while reader.read(1 << 20):
            pass
    return reader.summary()


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, as (path inside it with "/", full path), sorted."""
    if not root.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


# The database's state: row counts and migrations ------------------------------------------------
def _state(cursor, tables: list[str]) -> dict:
    """Row count per table and the latest applied migration per app, read through `cursor`."""
    counts = {}
    for table in tables:
        # The names come from the database's own catalogue, quoted: nothing from a user.
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 # nosec B608
        counts[table] = cursor.fetchone()[0]
    migrations = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    return {"tables": counts, "migrations": migrations}


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _postgresql_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _current_counts(vendor: str) -> dict[str, int]:
    """Row count per table in the site's database as it is now ({} for a new, empty one)."""
    if vendor == "sqlite":
        path = _sqlite_path()
        if not path.exists() or path.stat().st_size == 0:
            return {}
        try:
            db = sqlite3.connect(path)
            try:
                cursor = db.cursor()
                return _state(cursor, _sqlite_tables(cursor))["tables"]
            finally:
                db.close()
        except sqlite3.Error as error:
            raise BackupError(f"Could not read the SQLite database {path}: {error}") from error
    try:
        with connection.cursor() as cursor:
            return _state(cursor, _postgresql_tables(cursor))["tables"]
    except DatabaseError as error:
        raise BackupError(f"Could not read the database: {error}".strip()) from error


# PostgreSQL's client programs ----------------------------------------------------------------
def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs "
            "(e.g. apt install postgresql-client), the same major version as the server or newer."
        )
    return path


def _libpq() -> tuple[list[str], dict]:
    """pg_dump/pg_restore arguments and environment for settings.DATABASES["default"]."""
    db = settings.DATABASES["default"]
    args = ["--no-password"]  # never wait at a prompt (a cron job has no one to answer it)
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    args.append(f"--dbname={db['NAME']}")
    env = dict(os.environ)
    env.pop(PASSPHRASE_VARIABLE, None)  # pg_dump and pg_restore have no use for it
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # not on the command line, where `ps` shows it
    for option, variable in _LIBPQ.items():
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    return args, env


def _run(command: list[str], env: dict, what: str) -> None:
    # A program found on PATH by shutil.which, arguments from settings, no shell.
    result = subprocess.run(  # noqa: S603 # nosec B603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit code {result.returncode}): {result.stderr.strip()}")


# Taking a backup -------------------------------------------------------------------------------
@dataclass
class Backup:
    path: Path
    size: int
    encrypted: bool
    manifest: dict


def create_backup(*, output: Path | None = None, passphrase: str | None) -> Backup:
    """Write one archive of the database and MEDIA_ROOT; encrypted when given a passphrase.

    `output` is a file name or a folder (default settings.BACKUP_DIR). The archive is written
    under a temporary name in the same folder and renamed when complete, so a half-written
    archive never has a backup's name; it is readable by its owner only.
    """
    vendor = _vendor()
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"{PASSPHRASE_VARIABLE} is too short: use at least {MIN_PASSPHRASE} characters "
            "(a long random phrase kept in a password manager)."
        )
    now = timezone.now()
    target = _output_path(output, now, encrypted=passphrase is not None)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".minipolice-backup-") as work:
        dump = Path(work) / DUMPS[vendor]
        snapshot = _snapshot_sqlite if vendor == "sqlite" else _snapshot_postgresql
        database = snapshot(dump)
        partial = Path(work) / "archive.partial"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            sink = backup_crypto.SealingWriter(raw, passphrase) if passphrase else raw
            manifest = _write_archive(sink, now=now, vendor=vendor, dump=dump, database=database)
            if passphrase:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
        if target.exists():
            raise BackupError(f"{target} appeared while the backup was written; it was kept.")
        os.replace(partial, target)
    return Backup(
        path=target,
        size=target.stat().st_size,
        encrypted=passphrase is not None,
        manifest=manifest,
    )


def _output_path(output: Path | None, now: datetime, *, encrypted: bool) -> Path:
    name = f"minipolice-{now:%Y%m%d-%H%M%S}Z.tar.gz" + (".enc" if encrypted else "")
    if output is None:
        folder = Path(settings.BACKUP_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / name
    elif output.is_dir():
        target = output / name
    else:
        target = output
    target = target.absolute()
    if target.exists():
        raise BackupError(f"{target} already exists: a backup never overwrites another.")
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent} to write the backup in.")
    return target


def _snapshot_sqlite(dump: Path) -> dict:
    source = _sqlite_path()
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source}.")
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        # The online backup API: a consistent copy while the site reads and writes.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        return _state(cursor, _sqlite_tables(cursor))
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy the SQLite database {source}: {error}") from error
    finally:
        copy.close()


def _snapshot_postgresql(dump: Path) -> dict:
    pg_dump = _program("pg_dump")
    args, env = _libpq()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = _state(cursor, _postgresql_tables(cursor))
            # pg_dump reads in this transaction's snapshot (kept open until it is done), so the
            # dump holds exactly the rows just counted.
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", *args],
                env,
                "pg_dump",
            )
    except DatabaseError as error:
        raise BackupError(f"Could not read the database: {error}".strip()) from error
    return state


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as raw:
        stat = os.fstat(raw.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    return reader.summary()


def _write_archive(sink, *, now: datetime, vendor: str, dump: Path, database: dict) -> dict:
    with tarfile.open(fileobj=sink, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
        dumped = _add(tar, dump, DUMPS[vendor])
        media = [
            {"path": relative, **_add(tar, path, f"{MEDIA}/{relative}")}
            for relative, path in _media_files(Path(settings.MEDIA_ROOT))
        ]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "database": {
                "vendor": vendor,
                "file": DUMPS[vendor],
                **dumped,
                "tables": database["tables"],
            },
            "migrations": database["migrations"],
            "media": media,
        }
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(now.timestamp())
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(data))
    return manifest


# Restoring -------------------------------------------------------------------------------------
@dataclass
class Restored:
    manifest: dict
    tables: int
    rows: int
    files: int
    behind: list[str]  # apps whose migrations in this code are newer than the backup's


def restore_backup(archive: Path, *, passphrase: str | None, force: bool) -> Restored:
    """Put an archive back into the site's database and MEDIA_ROOT, then check it.

    Refuses (changing nothing) when the database holds any row or MEDIA_ROOT holds any file,
    unless `force`; a database on which only `migrate` has run holds rows (migrations, content
    types, the programme's starting modules), so it needs `force` too.
    """
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    if not archive.is_file():
        raise BackupError(f"There is no archive at {archive}.")
    if not force:
        _refuse_unless_empty(vendor, media_root)
    with tempfile.TemporaryDirectory(prefix="minipolice-restore-") as work:
        staged = Path(work)
        manifest, mtimes = _unpack(archive, passphrase, staged)
        behind = _check_compatible(manifest, vendor)
        dump = staged / manifest["database"]["file"]
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        _restore_media(staged / MEDIA, manifest["media"], mtimes, media_root)
    _verify(manifest, vendor, media_root)
    tables = manifest["database"]["tables"]
    return Restored(
        manifest=manifest,
        tables=len(tables),
        rows=sum(tables.values()),
        files=len(manifest["media"]),
        behind=behind,
    )


def _refuse_unless_empty(vendor: str, media_root: Path) -> None:
    held = {table: rows for table, rows in _current_counts(vendor).items() if rows}
    files = _media_files(media_root)
    if not (held or files):
        return
    found = []
    if held:
        found.append(
            f"The database already holds data ({sum(held.values())} rows in {len(held)} tables)."
        )
    if files:
        found.append(f"The media folder {media_root} already holds {len(files)} files.")
    raise BackupError(
        " ".join(found)
        + " Restore replaces all of it with the backup: run it again with --force to do that,"
        " or restore into an empty database and an empty media folder. " + UNCHANGED
    )


def _damaged(archive: Path, why: str) -> BackupError:
    return BackupError(f"{archive.name} is damaged or incomplete ({why}). {UNCHANGED}")


def _unpack(archive: Path, passphrase: str | None, staged: Path) -> tuple[dict, dict]:
    """Unpack the archive into `staged`, checking it against its manifest; returns it."""
    found: dict[str, dict] = {}
    mtimes: dict[str, int] = {}
    manifest = None
    try:
        with open(archive, "rb") as raw:
            if backup_crypto.is_sealed(raw):
                if not passphrase:
                    raise BackupError(
                        f"{archive.name} is encrypted: set {PASSPHRASE_VARIABLE} to its "
                        f"passphrase. {UNCHANGED}"
                    )
                source = backup_crypto.OpeningReader(raw, passphrase)
            else:
                source = raw
            with tarfile.open(fileobj=source, mode="r|gz") as tar:
                for member in tar:
                    if manifest is not None:
                        raise _damaged(archive, "entries after its manifest")
                    if member.name == MANIFEST and member.isfile():
                        manifest = _read_manifest(archive, tar.extractfile(member).read())
                        continue
                    target = _staged_path(archive, staged, member, found)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as data, open(target, "xb") as out:
                        reader = _Hashing(data)
                        while chunk := reader.read(1 << 20):
                            out.write(chunk)
                    found[member.name] = reader.summary()
                    mtimes[member.name] = int(member.mtime)
    except SealError as error:
        if str(error) == "passphrase":
            raise BackupError(
                f"Wrong passphrase: {PASSPHRASE_VARIABLE} does not open {archive.name}. "
                + UNCHANGED
            ) from None
        raise _damaged(archive, "it fails its authentication check") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        if isinstance(error, OSError) and error.errno is not None:
            raise BackupError(f"Could not unpack {archive.name}: {error}. {UNCHANGED}") from None
        raise _damaged(archive, str(error) or type(error).__name__) from None
    if manifest is None:
        raise _damaged(archive, "it has no manifest: it may have been cut short")
    _check_against_manifest(archive, manifest, found)
    return manifest, mtimes


def _read_manifest(archive: Path, data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except ValueError:
        raise _damaged(archive, "its manifest is unreadable") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive.name} is not a Mini Police Hub backup. {UNCHANGED}")
    if not isinstance(manifest.get("format_version"), int):
        raise _damaged(archive, "its manifest has no format version")
    if manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"{archive.name} was made by a newer version of Mini Police Hub (archive format "
            f"{manifest['format_version']}); restore it with that version. {UNCHANGED}"
        )
    return manifest


def _staged_path(archive: Path, staged: Path, member: tarfile.TarInfo, found: dict) -> Path:
    parts = PurePosixPath(member.name).parts
    safe = (
        member.isfile()
        and member.name not in found
        and not PurePosixPath(member.name).is_absolute()
        and all(part not in ("", ".", "..") for part in parts)
        and (member.name in DUMPS.values() or (len(parts) > 1 and parts[0] == MEDIA))
    )
    if not safe:
        raise _damaged(archive, "it holds an entry a backup never has")
    return staged.joinpath(*parts)


def _check_against_manifest(archive: Path, manifest: dict, found: dict) -> None:
    try:
        expected = {f"{MEDIA}/{entry['path']}": entry for entry in manifest["media"]}
        database = manifest["database"]
        expected[database["file"]] = database
        failing = [
            name
            for name, entry in expected.items()
            if name in found
            and (found[name]["sha256"], found[name]["size"]) != (entry["sha256"], entry["size"])
        ]
        missing = set(expected) - set(found)
        extra = set(found) - set(expected)
        if not isinstance(database["tables"], dict) or not isinstance(manifest["migrations"], dict):
            raise TypeError
    except (KeyError, TypeError, AttributeError):
        raise _damaged(archive, "its manifest is incomplete") from None
    if failing or missing or extra:
        # Counts only: a file's name is not shown (an upload's name could name someone).
        raise _damaged(
            archive,
            f"{len(failing)} files fail their checksum, {len(missing)} are missing, "
            f"{len(extra)} are not in the manifest",
        )


def _check_compatible(manifest: dict, vendor: str) -> list[str]:
    """Refuse a backup of another database vendor, or one made by code newer than this."""
    theirs = manifest["database"]["vendor"]
    if theirs != vendor:
        raise BackupError(
            f"This backup is of a {VENDORS.get(theirs, theirs)} database and this site uses "
            f"{VENDORS[vendor]}: restore it into a {VENDORS.get(theirs, theirs)} database "
            f"(DATABASE_URL). {UNCHANGED}"
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if (app, name) not in loader.disk_migrations
    )
    if unknown:
        raise BackupError(
            "This backup was made by a newer or different version of Mini Police Hub: this "
            f"code lacks its migrations {', '.join(unknown[:5])}. Restore it with the version "
            f"that made it. {UNCHANGED}"
        )
    return sorted(
        app for app, name in loader.graph.leaf_nodes() if manifest["migrations"].get(app) != name
    )


def _restore_sqlite(dump: Path) -> None:
    target = _sqlite_path()
    connection.close()
    try:
        source = sqlite3.connect(dump)
        try:
            destination = sqlite3.connect(target, timeout=settings.DB_LOCK_TIMEOUT)
            try:
                # One step: the destination changes all at once, or not at all.
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"Could not write the SQLite database {target}: {error}") from error


def _restore_postgresql(dump: Path) -> None:
    pg_restore = _program("pg_restore")
    args, env = _libpq()
    # This pg_restore can read the dump (same major version or newer), before anything is dropped.
    _run([pg_restore, "--list", str(dump)], env, "pg_restore --list")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _drop_everything(cursor)
    except DatabaseError as error:
        raise BackupError(
            f"Could not empty the database: {error}".strip()
            + ". Stop the site and its task worker, then try again. "
            + UNCHANGED
        ) from error
    connection.close()
    try:
        _run(
            [
                pg_restore,
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",  # the site's database user owns what is restored
                "--no-privileges",
                *args,
                str(dump),
            ],
            env,
            "pg_restore",
        )
    except BackupError as error:
        raise BackupError(
            f"{error}\nThe database is now empty: put the cause right and run restore again."
        ) from error


def _drop_everything(cursor) -> None:
    """Empty the current schema, for pg_restore to fill: views, tables, sequences."""
    cursor.execute(
        "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()"
    )
    views = [row[0] for row in cursor.fetchall()]
    tables = _postgresql_tables(cursor)
    cursor.execute(
        "SELECT sequence_name FROM information_schema.sequences "
        "WHERE sequence_schema = current_schema()"
    )
    sequences = [row[0] for row in cursor.fetchall()]
    # Names from the database's own catalogue, quoted: nothing from a user.
    for kind, names in (("VIEW", views), ("TABLE", tables), ("SEQUENCE", sequences)):
        if names:
            cursor.execute(
                f"DROP {kind} IF EXISTS {', '.join(map(_quote, names))} CASCADE"  # noqa: S608
            )


def _restore_media(staged: Path, entries: list[dict], mtimes: dict, media_root: Path) -> None:
    if media_root.is_dir():  # only reached with --force, or when it held no file
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        parts = PurePosixPath(entry["path"]).parts
        target = media_root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged.joinpath(*parts), target)
        mtime = mtimes[f"{MEDIA}/{entry['path']}"]
        os.utime(target, (mtime, mtime))


def _verify(manifest: dict, vendor: str, media_root: Path) -> None:
    expected = manifest["database"]["tables"]
    counts = _current_counts(vendor)
    differing = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
    files = dict(_media_files(media_root))
    listed = {entry["path"]: entry for entry in manifest["media"]}
    failing = [
        path
        for path, entry in listed.items()
        if path not in files
        or _sha256(files[path]) != {"size": entry["size"], "sha256": entry["sha256"]}
    ]
    extra = set(files) - set(listed)
    if differing or failing or extra:
        raise BackupError(
            "The restore was written but does not match the backup's manifest: "
            f"{len(differing)} tables differ in row count ({', '.join(differing[:5])}), "
            f"{len(failing)} files fail their checksum and {len(extra)} are extra. "
            "Do not open the site; restore again with --force, or from another backup."
        )
