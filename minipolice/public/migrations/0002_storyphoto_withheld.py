from django.db import migrations, models
from django.utils import timezone

# The reason the old erasure hook (public/privacy.py) gave a photo it took down. A photo that
# still carries it was held back for an anonymised child, so it is withheld from now on.
OLD_ANONYMISED_REASON = "A child in this photo has been anonymised"
WITHHELD_REASON = (
    "A child in this photo had their record erased or anonymised. Tag the children in it "
    "again before it can be published."
)


def withhold_anonymised(apps, schema_editor):
    StoryPhoto = apps.get_model("public", "StoryPhoto")
    StoryPhoto.objects.filter(held_back_reason=OLD_ANONYMISED_REASON).update(
        published=False,
        withheld_at=timezone.now(),
        withheld_reason=WITHHELD_REASON,
        held_back_reason=WITHHELD_REASON,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="storyphoto",
            name="withheld_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="storyphoto",
            name="withheld_reason",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.RunPython(withhold_anonymised, migrations.RunPython.noop),
    ]
