"""The beat schedule's entry for the reminder scan: every 5 minutes, an interval (a crontab
would fire twice or not at all when the clocks change). Created once; the admin owns it then."""

from django.db import migrations
from django.utils import timezone

NAME = "reminders-scan"
TASK = "reminders.tasks.reminders_scan_task"


def add_scan(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    _, created = PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every,
            "description": "Queue every reminder due now; each goes out once (see reminders).",
        },
    )
    if created:  # tell a running beat to read its schedule again
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_scan(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_rules_for_existing_seminars"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_scan, remove_scan)]
