import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Runs get a number per seminar; late joiners a time to choose; seminars topic settings.

    Fields are added nullable here, filled in 0004 and tightened in 0005, each step in its own
    transaction (PostgreSQL does not alter a table with pending updates in the same one).
    """

    dependencies = [
        ("seminar", "0001_initial"),
        ("topics", "0002_assignment_blocked"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocationrun",
            name="number",
            field=models.PositiveIntegerField(
                null=True, help_text="1 for the seminar's first run, and so on."
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="choice_due_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                help_text="A late joiner chooses a free topic until then; after it one is assigned at random.",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="reason",
            field=models.CharField(
                choices=[
                    ("allocation", "By the allocation"),
                    ("manual", "By hand"),
                    ("late_waiting", "Joined late, choosing"),
                    ("late_choice", "Joined late, chose it"),
                    ("late_random", "Joined late, assigned at random"),
                ],
                max_length=24,
                verbose_name="how it was assigned",
            ),
        ),
        migrations.CreateModel(
            name="TopicSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "late_choice_hours",
                    models.PositiveSmallIntegerField(
                        default=48,
                        help_text="How long a student confirmed after publication has to choose a free topic before one is assigned at random. 0: assigned at once.",
                    ),
                ),
                (
                    "seminar",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topic_settings",
                        to="seminar.seminar",
                    ),
                ),
            ],
            options={
                "verbose_name": "topic settings",
                "verbose_name_plural": "topic settings",
            },
        ),
    ]
