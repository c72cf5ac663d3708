"""The table of Django's database cache (settings.CACHES when REDIS_URL is not set).

`manage.py createcachetable` made a migration, so that `migrate` (make run, CI, an upgrade) is
the one step. The table is made whichever cache is configured now, so that dropping REDIS_URL
later finds it there; it is left alone when it exists already (an operator ran
createcachetable by hand).
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# The same name as settings.CACHES["default"]["LOCATION"] for the database cache.
TABLE = "minipolice_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
