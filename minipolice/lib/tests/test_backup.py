"""`manage.py backup` and `manage.py restore`, run as an operator runs them: in a subprocess, on a
real database (a SQLite file in tmp_path, or PostgreSQL databases made for the test) and a real
MEDIA_ROOT, never pytest's test database.

The source is built once per module (migrate, load_demo, and a few more uploaded files); each
test restores into its own target and compares every row of every table and every file's bytes.
"""

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
PASSPHRASE = "correct horse battery staple"
CONFIGURED_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = CONFIGURED_URL.startswith(("postgres://", "postgresql://"))


@dataclass
class Site:
    """One installation as an operator sees it: a DATABASE_URL and a MEDIA_ROOT."""

    url: str
    media: Path

    def manage(self, *args, passphrase=None, check=True, **variables):
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            **variables,
        }
        env.pop("MINIPOLICE_TESTING", None)
        env.pop("BACKUP_PASSPHRASE", None)
        if passphrase is not None:
            env["BACKUP_PASSPHRASE"] = passphrase
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:")

    def connect(self):
        if self.is_sqlite:
            return sqlite3.connect(self.url.removeprefix("sqlite:///"))
        return psycopg.connect(self.url, autocommit=True)

    def tables(self, db) -> list[str]:
        if self.is_sqlite:
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        return sorted(row[0] for row in db.execute(query).fetchall())

    def rows(self) -> dict[str, list]:
        """Every row of every table, in a stable order (tables without rows included)."""
        if self.is_sqlite and not Path(self.url.removeprefix("sqlite:///")).exists():
            return {}
        db = self.connect()
        try:
            return {
                table: sorted(
                    (
                        tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in db.execute(f'SELECT * FROM "{table}"').fetchall()
                    ),
                    key=repr,
                )
                for table in self.tables(db)
            }
        finally:
            db.close()

    def files(self) -> dict[str, bytes]:
        if not self.media.exists():
            return {}
        return {
            path.relative_to(self.media).as_posix(): path.read_bytes()
            for path in self.media.rglob("*")
            if path.is_file()
        }


def _sqlite_site(folder: Path) -> Site:
    return Site(url=f"sqlite:///{folder / 'site.sqlite3'}", media=folder / "media")


def _seed(site: Site) -> None:
    site.manage("migrate", "-v0")
    site.manage("load_demo")
    # Beside the demo's signatures and story photos: a file larger than an encrypted chunk
    # (1 MiB), a nested one, and a name with a space.
    (site.media / "stories").mkdir(parents=True, exist_ok=True)
    (site.media / "stories" / "large photo.bin").write_bytes(os.urandom(2_500_000))
    (site.media / "curriculum" / "2025").mkdir(parents=True)
    (site.media / "curriculum" / "2025" / "session-plan.txt").write_text("Week 1: road safety\n")


def _copy_with_changes(source: Site, folder: Path) -> Site:
    """A site holding data, different from the source: a copy with rows gone and a new file."""
    folder.mkdir(exist_ok=True)
    target = _sqlite_site(folder)
    db, copy = source.connect(), target.connect()
    db.backup(copy)
    copy.execute("DELETE FROM django_session")
    copy.execute("DELETE FROM programme_templateitem")
    copy.commit()
    copy.close()
    db.close()
    target.media.mkdir()
    (target.media / "left-over.txt").write_text("not in the backup")
    return target


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Site:
    site = _sqlite_site(tmp_path_factory.mktemp("source"))
    _seed(site)
    return site


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("archives") / "nightly.tar.gz.enc"
    source.manage("backup", "--output", str(path), passphrase=PASSPHRASE)
    return path


@pytest.fixture(scope="module")
def plain_archive(source, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plain")
    result = source.manage("backup", "--unencrypted", "--output", str(folder))
    assert "NOT encrypted" in result.stdout
    (path,) = folder.glob("minipolice-*.tar.gz")
    return path


# The round trip ------------------------------------------------------------------------------
def test_sqlite_round_trip_restores_every_row_and_every_file(source, archive, tmp_path):
    target = _sqlite_site(tmp_path)

    result = target.manage("restore", str(archive), passphrase=PASSPHRASE)

    assert "Every row count and checksum matches the manifest." in result.stdout
    rows = source.rows()
    assert sum(len(table) for table in rows.values()) > 10_000  # the demo, not an empty site
    assert target.rows() == rows
    files = source.files()
    assert {path.split("/")[0] for path in files} == {"signatures", "stories", "curriculum"}
    assert target.files() == files
    # The restored site is whole: its migrations are all applied, and it writes new rows.
    target.manage("migrate", "--check")
    assert "already loaded: nothing changed" in target.manage("load_demo").stdout
    with target.connect() as db:
        db.execute("INSERT INTO django_content_type (app_label, model) VALUES ('new', 'row')")


def test_the_manifest_lists_row_counts_migrations_and_checksums(source, plain_archive):
    assert plain_archive.stat().st_mode & 0o777 == 0o600  # children's data: its owner only
    with tarfile.open(plain_archive, "r:gz") as tar:
        members = tar.getmembers()
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.sqlite3").read()

    assert members[-1].name == "manifest.json"
    assert manifest["format"] == "minipolice-backup"
    assert manifest["format_version"] == 1
    assert manifest["created_at"].endswith("+00:00")
    database = manifest["database"]
    assert database["vendor"] == "sqlite"
    assert database["size"] == len(dump)
    assert database["sha256"] == hashlib.sha256(dump).hexdigest()
    assert database["tables"] == {table: len(rows) for table, rows in source.rows().items()}
    with source.connect() as db:
        applied = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    assert manifest["migrations"] == dict(applied)
    assert manifest["migrations"]["people"] == max(n for a, n in applied if a == "people")
    assert manifest["media"] == [
        {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for path, data in sorted(source.files().items())
    ]
    assert {member.name for member in members} == {
        "manifest.json",
        "database.sqlite3",
        *(f"media/{path}" for path in source.files()),
    }


def test_an_unencrypted_archive_restores_without_a_passphrase(source, plain_archive, tmp_path):
    target = _sqlite_site(tmp_path)
    target.manage("restore", str(plain_archive))
    assert target.rows() == source.rows()
    assert target.files() == source.files()


def test_a_backup_taken_while_a_writer_holds_a_transaction_has_only_committed_rows(
    source, tmp_path
):
    """SQLite's online backup: the site goes on writing, and the copy waits for no one."""
    writer = sqlite3.connect(source.url.removeprefix("sqlite:///"), isolation_level=None)
    committed = writer.execute("SELECT COUNT(*) FROM django_content_type").fetchone()[0]
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock throughout the backup
    writer.execute("INSERT INTO django_content_type (app_label, model) VALUES ('x', 'y')")
    try:
        source.manage("backup", "--output", str(tmp_path / "b.tar.gz"), "--unencrypted")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with tarfile.open(tmp_path / "b.tar.gz", "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["tables"]["django_content_type"] == committed


# Encryption and passphrases -------------------------------------------------------------------
def test_backup_refuses_to_write_children_data_unencrypted_unless_told(source, tmp_path):
    refused = source.manage("backup", "--output", str(tmp_path), check=False)
    assert refused.returncode == 1
    assert "Set BACKUP_PASSPHRASE to encrypt the backup" in refused.stderr
    assert "--unencrypted" in refused.stderr

    short = source.manage("backup", "--output", str(tmp_path), passphrase="short", check=False)
    assert "BACKUP_PASSPHRASE is too short" in short.stderr
    both = source.manage(
        "backup", "--output", str(tmp_path), "--unencrypted", passphrase=PASSPHRASE, check=False
    )
    assert "BACKUP_PASSPHRASE is set and --unencrypted asks for no encryption" in both.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_output_the_archive_goes_to_a_private_backup_dir_under_a_dated_name(
    source, tmp_path
):
    folder = tmp_path / "backups"
    result = source.manage("backup", passphrase=PASSPHRASE, BACKUP_DIR=str(folder))

    (made,) = folder.iterdir()
    assert re.fullmatch(r"minipolice-\d{8}-\d{6}Z\.tar\.gz\.enc", made.name)
    assert f"Wrote {made} (" in result.stdout
    assert "encrypted): the database (" in result.stdout
    assert folder.stat().st_mode & 0o777 == 0o700
    again = source.manage("backup", "--output", str(made), passphrase=PASSPHRASE, check=False)
    assert "already exists: a backup never overwrites another." in again.stderr


def test_an_encrypted_archive_does_not_show_its_contents(archive, source):
    data = archive.read_bytes()
    assert data.startswith(b"MINIPOLICE-BACKUP-AES256GCM-1\n")
    assert b"manifest.json" not in data
    assert b"django_migrations" not in data
    assert source.files()["curriculum/2025/session-plan.txt"] not in data


def test_restore_without_the_passphrase_or_with_a_wrong_one_changes_nothing(
    source, archive, tmp_path
):
    target = _copy_with_changes(source, tmp_path)
    before_rows, before_files = target.rows(), target.files()

    missing = target.manage("restore", str(archive), "--force", check=False)
    wrong = target.manage(
        "restore", str(archive), "--force", passphrase="not it at all", check=False
    )

    assert missing.returncode == 1
    assert "nightly.tar.gz.enc is encrypted: set BACKUP_PASSPHRASE" in missing.stderr
    assert wrong.returncode == 1
    assert (
        "Wrong passphrase: BACKUP_PASSPHRASE does not open nightly.tar.gz.enc. "
        "Nothing was changed." in wrong.stderr
    )
    assert target.rows() == before_rows
    assert target.files() == before_files


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _one_byte_flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


@pytest.mark.parametrize("damage", [_truncated, _one_byte_flipped], ids=["cut", "flipped"])
@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
def test_a_damaged_archive_is_refused_and_changes_nothing(
    source, archive, plain_archive, tmp_path, damage, encrypted
):
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(damage((archive if encrypted else plain_archive).read_bytes()))
    target = _copy_with_changes(source, tmp_path / "target")
    before_rows, before_files = target.rows(), target.files()

    result = target.manage(
        "restore",
        str(damaged),
        "--force",
        passphrase=PASSPHRASE if encrypted else None,
        check=False,
    )

    assert result.returncode == 1
    assert "CommandError: damaged.tar.gz is damaged or incomplete (" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert target.rows() == before_rows
    assert target.files() == before_files


def test_an_archive_cut_at_a_chunk_boundary_is_refused(archive, tmp_path):
    """Chunks are sealed with their index and a "last" flag: dropping whole chunks fails too."""
    data = archive.read_bytes()
    header = len(b"MINIPOLICE-BACKUP-AES256GCM-1\n") + 19 + 28
    first_chunk = int.from_bytes(data[header : header + 4], "big")
    cut = tmp_path / "cut.tar.gz.enc"
    cut.write_bytes(data[: header + 4 + 12 + first_chunk])
    target = _sqlite_site(tmp_path)

    result = target.manage("restore", str(cut), passphrase=PASSPHRASE, check=False)

    assert result.returncode == 1
    assert "cut.tar.gz.enc is damaged or incomplete (it fails its authentication check)" in (
        result.stderr
    )
    assert target.rows() == {} and target.files() == {}


# Restoring over what is there ---------------------------------------------------------------
def test_restore_over_data_refuses_without_force_and_replaces_it_with_force(
    source, archive, tmp_path
):
    target = _copy_with_changes(source, tmp_path)
    before_rows, before_files = target.rows(), target.files()

    refused = target.manage("restore", str(archive), passphrase=PASSPHRASE, check=False)

    assert refused.returncode == 1
    assert "The database already holds data (" in refused.stderr
    assert f"The media folder {target.media} already holds 1 files." in refused.stderr
    assert "run it again with --force" in refused.stderr
    assert target.rows() == before_rows
    assert target.files() == before_files

    target.manage("restore", str(archive), "--force", passphrase=PASSPHRASE)

    assert target.rows() == source.rows()
    assert target.files() == source.files()  # the left-over file is gone


def test_restore_refuses_a_media_folder_that_holds_files(source, archive, tmp_path):
    target = _sqlite_site(tmp_path)
    target.media.mkdir()
    (target.media / "stories").mkdir()
    (target.media / "stories" / "photo.png").write_bytes(b"\x89PNG")

    result = target.manage("restore", str(archive), passphrase=PASSPHRASE, check=False)

    assert result.returncode == 1
    assert "already holds 1 files" in result.stderr
    assert "holds data" not in result.stderr  # the database is new and empty
    assert target.rows() == {}
    assert target.files() == {"stories/photo.png": b"\x89PNG"}


def test_a_database_on_which_only_migrate_ran_counts_as_holding_data(archive, tmp_path):
    target = _sqlite_site(tmp_path)
    target.manage("migrate", "-v0")

    result = target.manage("restore", str(archive), passphrase=PASSPHRASE, check=False)

    assert result.returncode == 1
    assert "The database already holds data" in result.stderr


def _rewritten(plain_archive: Path, path: Path, change) -> Path:
    """The plain archive with its manifest changed by `change` (as another version might write)."""
    with tarfile.open(plain_archive, "r:gz") as old, tarfile.open(path, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m["database"].update(vendor="postgresql"),
            "This backup is of a PostgreSQL database and this site uses SQLite",
        ),
        (
            lambda m: m["migrations"].update(people="9999_from_the_future"),
            "made by a newer or different version of Mini Police Hub: this code lacks its "
            "migrations people.9999_from_the_future",
        ),
        (
            lambda m: m.update(format_version=2),
            "was made by a newer version of Mini Police Hub (archive format 2)",
        ),
        (
            lambda m: m["database"]["tables"].update(accounts_user=1),
            None,  # a count that does not match: checked after the restore
        ),
    ],
    ids=["vendor", "migrations", "format", "counts"],
)
def test_an_archive_this_site_cannot_take_is_refused(plain_archive, tmp_path, change, message):
    changed = _rewritten(plain_archive, tmp_path / "changed.tar.gz", change)
    target = _sqlite_site(tmp_path)

    result = target.manage("restore", str(changed), check=False)

    assert result.returncode == 1
    if message is None:
        assert (
            "does not match the backup's manifest: 1 tables differ in row count (accounts_user)"
            in (result.stderr)
        )
        assert "Do not open the site" in result.stderr
    else:
        assert message in result.stderr
        assert "Nothing was changed." in result.stderr
        assert target.rows() == {} and target.files() == {}


# PostgreSQL ------------------------------------------------------------------------------------
def _postgresql_url(name: str) -> str:
    return urlsplit(CONFIGURED_URL)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def postgresql_sites(tmp_path_factory):
    """A seeded source database and an empty target, beside the configured one."""
    if not ON_POSTGRESQL:
        pytest.skip(
            "Needs PostgreSQL: DATABASE_URL is not PostgreSQL, so the pg_dump/pg_restore round "
            "trip is not run (it runs whenever the suite runs on PostgreSQL)."
        )
    base = dj_database_url.parse(CONFIGURED_URL)["NAME"].removeprefix("test_")
    names = [f"{base}_backup_source", f"{base}_backup_target"]
    admin = psycopg.connect(_postgresql_url("postgres"), autocommit=True)
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    folder = tmp_path_factory.mktemp("postgresql")
    source = Site(url=_postgresql_url(names[0]), media=folder / "source-media")
    target = Site(url=_postgresql_url(names[1]), media=folder / "target-media")
    _seed(source)
    yield source, target
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_postgresql_round_trip_restores_every_row_and_every_file(postgresql_sites, tmp_path):
    source, target = postgresql_sites
    archive = tmp_path / "nightly.tar.gz.enc"
    source.manage("backup", "--output", str(archive), passphrase=PASSPHRASE)

    result = target.manage("restore", str(archive), passphrase=PASSPHRASE)

    assert "Every row count and checksum matches the manifest." in result.stdout
    rows = source.rows()
    assert sum(len(table) for table in rows.values()) > 10_000
    assert target.rows() == rows
    assert target.files() == source.files()
    target.manage("migrate", "--check")

    # Over a database that holds data: refused, then replaced with --force; a damaged archive
    # changes nothing even with --force.
    with target.connect() as db:
        db.execute("DELETE FROM django_session")
        db.execute("INSERT INTO django_content_type (app_label, model) VALUES ('new', 'row')")
    changed = target.rows()
    refused = target.manage("restore", str(archive), passphrase=PASSPHRASE, check=False)
    assert refused.returncode == 1
    assert "The database already holds data" in refused.stderr
    cut = tmp_path / "cut.tar.gz.enc"
    cut.write_bytes(_truncated(archive.read_bytes()))
    damaged = target.manage("restore", str(cut), "--force", passphrase=PASSPHRASE, check=False)
    assert "cut.tar.gz.enc is damaged or incomplete" in damaged.stderr
    assert target.rows() == changed

    target.manage("restore", str(archive), "--force", passphrase=PASSPHRASE)

    assert target.rows() == rows
    assert target.files() == source.files()
    with target.connect() as db:  # identity sequences came back too: new rows get new ids
        db.execute("INSERT INTO django_content_type (app_label, model) VALUES ('new', 'row')")


def test_a_postgresql_manifest_counts_rows_in_the_dumped_snapshot(postgresql_sites, tmp_path):
    source, _ = postgresql_sites
    source.manage("backup", "--unencrypted", "--output", str(tmp_path / "b.tar.gz"))
    with tarfile.open(tmp_path / "b.tar.gz", "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["database"]["vendor"] == "postgresql"
    assert "database.pgdump" in names
    assert manifest["database"]["tables"] == {t: len(r) for t, r in source.rows().items()}
