"""Secrets from the environment or from a file (`NAME_FILE`), as containers and systemd hand
them over; the strict readers of the other settings."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from minipolice.lib.env import env_bool, env_int, env_secret
from minipolice.lib.tests.settings_probe import production_settings, refused


def test_a_secret_comes_from_the_variable(monkeypatch):
    monkeypatch.setenv("MP_TEST_SECRET", "from-the-environment")
    monkeypatch.delenv("MP_TEST_SECRET_FILE", raising=False)
    assert env_secret("MP_TEST_SECRET") == "from-the-environment"


def test_a_secret_comes_from_its_file_without_the_trailing_newline(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret with spaces  \n")
    monkeypatch.delenv("MP_TEST_SECRET", raising=False)
    monkeypatch.setenv("MP_TEST_SECRET_FILE", str(secret))
    assert env_secret("MP_TEST_SECRET") == "s3cret with spaces  "


def test_only_one_trailing_newline_is_dropped(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"line one\r\n")
    monkeypatch.setenv("MP_TEST_SECRET_FILE", str(secret))
    assert env_secret("MP_TEST_SECRET") == "line one"
    secret.write_text("two\n\n")
    assert env_secret("MP_TEST_SECRET") == "two\n"


def test_the_default_applies_when_neither_is_set(monkeypatch):
    monkeypatch.delenv("MP_TEST_SECRET", raising=False)
    monkeypatch.delenv("MP_TEST_SECRET_FILE", raising=False)
    assert env_secret("MP_TEST_SECRET", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="Set the environment variable MP_TEST_SECRET"):
        env_secret("MP_TEST_SECRET")


def test_setting_both_the_variable_and_its_file_is_an_error(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n")
    monkeypatch.setenv("MP_TEST_SECRET", "from-the-environment")
    monkeypatch.setenv("MP_TEST_SECRET_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="Set MP_TEST_SECRET or MP_TEST_SECRET_FILE"):
        env_secret("MP_TEST_SECRET")


@pytest.mark.parametrize("content", ["", "\n"])
def test_an_empty_secret_file_is_an_error(monkeypatch, tmp_path, content):
    secret = tmp_path / "secret"
    secret.write_text(content)
    monkeypatch.setenv("MP_TEST_SECRET_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="is empty"):
        env_secret("MP_TEST_SECRET", "a default does not hide it")


def test_a_missing_secret_file_is_an_error_naming_the_path_not_the_secret(monkeypatch, tmp_path):
    missing = tmp_path / "nothing-here"
    monkeypatch.setenv("MP_TEST_SECRET_FILE", str(missing))
    with pytest.raises(ImproperlyConfigured, match="cannot be read") as error:
        env_secret("MP_TEST_SECRET")
    assert str(missing) in str(error.value)


def test_booleans_and_numbers_are_strict(monkeypatch):
    monkeypatch.setenv("MP_TEST_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("MP_TEST_FLAG", False)
    monkeypatch.setenv("MP_TEST_NUMBER", "4 workers")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("MP_TEST_NUMBER", 1)


# A production process, as the operator starts it --------------------------------------------
def test_production_reads_every_secret_from_files(tmp_path):
    files = {
        "SECRET_KEY": "a-secret-key-from-a-file-that-is-long-enough-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
        "EMAIL_HOST_PASSWORD": "smtp password",
        "REDIS_URL": "redis://:pw@127.0.0.1:6379/0",
    }
    env = {}
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)
    found = production_settings(
        "SECRET_KEY", "DATABASES", "EMAIL_HOST_PASSWORD", "CACHES", env=env,
        drop=("SECRET_KEY", "DATABASE_URL"),
    )  # fmt: skip
    assert found["SECRET_KEY"] == files["SECRET_KEY"]
    assert found["DATABASES"]["default"]["NAME"] == str(tmp_path / "hub.sqlite3")
    assert found["EMAIL_HOST_PASSWORD"] == "smtp password"
    assert found["CACHES"]["default"]["LOCATION"] == files["REDIS_URL"]


def test_production_refuses_a_secret_key_set_twice(tmp_path):
    (tmp_path / "key").write_text("another-secret-key-from-a-file-0123456789\n")
    message = refused({"SECRET_KEY_FILE": str(tmp_path / "key")})
    assert "Set SECRET_KEY or SECRET_KEY_FILE, not both." in message
    assert "another-secret-key" not in message


def test_production_refuses_a_secret_file_it_cannot_read(tmp_path):
    message = refused({"SECRET_KEY_FILE": str(tmp_path / "missing")}, drop=("SECRET_KEY",))
    assert "SECRET_KEY_FILE" in message and "cannot be read" in message
