"""Calendar-feed tokens are stored as SHA-256 hashes; existing addresses keep working."""

import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("delivery", "CalendarFeed")
    for feed in CalendarFeed.objects.only("pk", "token"):
        feed.token_hash = hashlib.sha256(feed.token.encode("utf-8", "surrogatepass")).hexdigest()
        feed.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
    ]
