"""RetentionRun moves to the people app, with the retention rule and its page (#10). Step 1 of
3: its table takes the people app's name; the rows stay. Step 2 is people 0006 (the model
enters the people app's state), step 3 consent 0007 (it leaves this app's state)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0005_alter_emaildelivery_kind"),
    ]

    operations = [
        migrations.AlterModelTable(name="retentionrun", table="people_retentionrun"),
    ]
