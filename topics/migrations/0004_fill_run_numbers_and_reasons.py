from django.db import migrations

# The old reasons were explanations; what is stored now is how the topic came.
REASON_NOW = {
    "preference": "allocation",
    "preferences_taken": "allocation",
    "no_preferences": "allocation",
    "unplaced": "allocation",
    "manual": "manual",
    "late_preference": "late_random",
    "late_free": "late_random",
}
# Going back, the explanation is guessed from the preferences: the best that can be done.
REASON_BEFORE = {
    "allocation": "preference",
    "late_choice": "late_preference",
    "late_random": "late_free",
}


def forwards(apps, schema_editor):
    AllocationRun = apps.get_model("topics", "AllocationRun")
    Assignment = apps.get_model("topics", "Assignment")
    TopicSettings = apps.get_model("topics", "TopicSettings")
    Seminar = apps.get_model("seminar", "Seminar")
    numbers: dict[int, int] = {}
    for run in AllocationRun.objects.order_by("seminar_id", "created_at", "pk"):
        numbers[run.seminar_id] = numbers.get(run.seminar_id, 0) + 1
        AllocationRun.objects.filter(pk=run.pk).update(number=numbers[run.seminar_id])
    for old, new in REASON_NOW.items():
        Assignment.objects.filter(reason=old).update(reason=new)
    TopicSettings.objects.bulk_create(
        [
            TopicSettings(seminar_id=pk)
            for pk in Seminar.objects.exclude(topic_settings__isnull=False).values_list(
                "pk", flat=True
            )
        ]
    )


def backwards(apps, schema_editor):
    Assignment = apps.get_model("topics", "Assignment")
    Assignment.objects.filter(reason="late_waiting").update(reason="unplaced", choice_due_at=None)
    for new, old in REASON_BEFORE.items():
        Assignment.objects.filter(reason=new).update(reason=old)


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0003_run_number_late_choice"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
