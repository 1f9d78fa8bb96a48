"""Each seminar's grade weights and bonus, moved here from the Seminar model with their values."""

from django.db import migrations


def copy_from_seminars(apps, schema_editor):
    Seminar = apps.get_model("seminar", "Seminar")
    GradingScheme = apps.get_model("grading", "GradingScheme")
    for seminar in Seminar.objects.all():
        weights = (seminar.weight_presentation, seminar.weight_reports, seminar.weight_discussion)
        if sum(weights) != 100:  # never valid before either; fall back to the seed's weights
            weights = (50, 35, 15)
        GradingScheme.objects.update_or_create(
            seminar=seminar,
            defaults={
                "weight_presentation": weights[0],
                "weight_reports": weights[1],
                "weight_participation": weights[2],
                "bonus_steps": seminar.project_bonus_steps,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0001_initial"),
        ("seminar", "0002_activity_log"),
    ]

    operations = [migrations.RunPython(copy_from_seminars, migrations.RunPython.noop)]
