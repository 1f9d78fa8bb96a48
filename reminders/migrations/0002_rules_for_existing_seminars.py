"""Every seminar that exists already gets the default reminder rules (new ones get them when
they are created, through `seminar_created`)."""

import datetime as dt

from django.db import migrations

# The defaults as they were when this migration was written (reminders.services keeps the
# current ones for new seminars).
DEFAULTS = [
    ("preferences", 48, None),
    ("preferences", None, dt.time(8, 0)),
    ("slide_draft", 72, None),
    ("mock_presentation", 48, None),
    ("reports", 168, None),
    ("reports", 24, None),
    ("project", 168, None),
    ("project", 24, None),
    ("late_topic_choice", 12, None),
    ("offer", 12, None),
]


def add_default_rules(apps, schema_editor):
    Seminar = apps.get_model("seminar", "Seminar")
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    with_rules = set(ReminderRule.objects.values_list("seminar_id", flat=True))
    ReminderRule.objects.bulk_create(
        [
            ReminderRule(seminar_id=seminar_id, kind=kind, hours_before=hours, day_at=at)
            for seminar_id in Seminar.objects.exclude(pk__in=with_rules).values_list(
                "pk", flat=True
            )
            for kind, hours, at in DEFAULTS
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_rules")]

    operations = [migrations.RunPython(add_default_rules, migrations.RunPython.noop)]
