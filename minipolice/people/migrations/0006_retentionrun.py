"""RetentionRun moves here from the consent app (#10), step 2 of 3: the model enters this app's
state on the table consent 0006 renamed to people_retentionrun. Nothing changes in the
database."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_class_list_import_progress"),
        ("consent", "0006_retentionrun_table_for_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RetentionRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "today",
                            models.DateField(help_text="The date the rule was applied for."),
                        ),
                        ("children_count", models.PositiveIntegerField(default=0)),
                        ("guardians_count", models.PositiveIntegerField(default=0)),
                        ("by_force", models.JSONField(blank=True, default=dict)),
                        ("child_ids", models.JSONField(blank=True, default=list)),
                        ("guardian_ids", models.JSONField(blank=True, default=list)),
                        (
                            "triggered_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-started_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
