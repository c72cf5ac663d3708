"""Drops the plain calendar-feed tokens (in a migration of its own, so that PostgreSQL alters the
table in a transaction with no pending row updates)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("delivery", "0002_calendar_feed_token_hash")]

    operations = [
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
