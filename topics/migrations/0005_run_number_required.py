from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0004_fill_run_numbers_and_reasons"),
    ]

    operations = [
        migrations.AlterField(
            model_name="allocationrun",
            name="number",
            field=models.PositiveIntegerField(
                help_text="1 for the seminar's first run, and so on."
            ),
        ),
        migrations.AddConstraint(
            model_name="allocationrun",
            constraint=models.UniqueConstraint(
                fields=("seminar", "number"), name="allocation_run_unique_number"
            ),
        ),
        # What a student is told is derived when shown; a stored "why not free" list went stale.
        migrations.RemoveField(
            model_name="assignment",
            name="blocked",
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("choice_due_at__isnull", False),
                        ("reason", "late_waiting"),
                        ("topic__isnull", True),
                    ),
                    models.Q(
                        models.Q(("reason", "late_waiting"), _negated=True),
                        ("choice_due_at", None),
                    ),
                    _connector="OR",
                ),
                name="assignment_waiting_has_no_topic_and_a_due_moment",
            ),
        ),
    ]
