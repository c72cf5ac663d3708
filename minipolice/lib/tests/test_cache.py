"""The cache every process shares: Redis when REDIS_URL is set, otherwise the database's table
`minipolice_cache`, which `migrate` makes (minipolice/lib/migrations/0001_cache_table.py)."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from minipolice.lib.tests.settings_probe import production_settings


def test_production_without_redis_uses_the_database_cache():
    caches = production_settings("CACHES")["CACHES"]
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "minipolice_cache",
    }


def test_production_with_redis_url_uses_redis():
    caches = production_settings("CACHES", env={"REDIS_URL": "redis://127.0.0.1:6379/1"})["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert caches["default"]["KEY_PREFIX"] == "minipolice"


def test_redis_backend_has_its_client_installed():
    import redis  # noqa: F401 - RedisCache imports it when first used

    assert redis.__version__


@pytest.mark.django_db
def test_migrate_makes_the_database_cache_table_and_it_keeps_entries():
    assert "minipolice_cache" in connection.introspection.table_names()
    cache = DatabaseCache("minipolice_cache", {})
    cache.set("sign-in-attempts", 3, timeout=60)
    assert cache.get("sign-in-attempts") == 3
    assert cache.add("code-used", "y", timeout=30) is True
    assert cache.add("code-used", "y", timeout=30) is False  # a TOTP code is used once
