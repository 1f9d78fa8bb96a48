"""Each seminar's deliverable rules, moved here from the Seminar model with their values."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

BERLIN = ZoneInfo("Europe/Berlin")


def copy_from_seminars(apps, schema_editor):
    Seminar = apps.get_model("seminar", "Seminar")
    Deliverable = apps.get_model("submissions", "Deliverable")
    for seminar in Seminar.objects.all():
        if seminar.mock_presentation_due:
            mock = {
                "due_rule": "fixed",
                "due_fixed_at": dt.datetime.combine(
                    seminar.mock_presentation_due, dt.time(23, 59, 59, 999999), tzinfo=BERLIN
                ),
            }
        else:
            mock = {"due_rule": "before_first_session", "due_days": 1}
        rows = {
            "slide_draft": {"due_rule": "before_talk", "due_days": seminar.slide_draft_days_before},
            "mock_presentation": {**mock, "text": seminar.mock_presentation_text},
            "reports": {
                "due_rule": "after_last_session",
                "due_days": seminar.report_due_days_after,
                "count": seminar.reports_required,
                "min_pages": seminar.report_min_pages,
                "max_pages": seminar.report_max_pages,
                "text": seminar.reports_text,
            },
            "project": {
                "due_rule": "after_last_session",
                "due_days": seminar.project_due_days_after,
                "team_max": seminar.project_team_max,
                "spec_url": seminar.project_spec_url,
                "text": seminar.project_text,
            },
        }
        for kind, fields in rows.items():
            Deliverable.objects.update_or_create(seminar=seminar, kind=kind, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("seminar", "0002_activity_log"),
    ]

    operations = [migrations.RunPython(copy_from_seminars, migrations.RunPython.noop)]
