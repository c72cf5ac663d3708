"""RetentionRun moves to the people app (#10), step 3 of 3: the model leaves this app's state.
Its table, now people_retentionrun, belongs to people 0006's model and is kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0006_retentionrun_table_for_people"),
        ("people", "0006_retentionrun"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RetentionRun")],
            database_operations=[],
        ),
    ]
