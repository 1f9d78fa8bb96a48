"""The rules that moved off the Seminar model keep their values on the way."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("seminar", "0002_activity_log"),
    ("submissions", "0001_initial"),
    ("grading", "0001_initial"),
]
AFTER = [("seminar", "0003_rules_moved_to_their_apps")]


@pytest.mark.django_db(transaction=True)
def test_seminar_rules_move_to_deliverables_and_grading_scheme_with_their_values():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    seminar = old_apps.get_model("seminar", "Seminar").objects.create(
        title="Old",
        slug="old",
        tag="Old",
        contact_name="C",
        contact_email="c@example.org",
        weight_presentation=60,
        weight_reports=30,
        weight_discussion=10,
        project_bonus_steps=2,
        slide_draft_days_before=5,
        mock_presentation_due=dt.date(2023, 3, 5),
        mock_presentation_text="Meet online.",
        reports_required=2,
        report_min_pages=3,
        report_max_pages=6,
        report_due_days_after=10,
        reports_text="On any topic.",
        project_team_max=3,
        project_due_days_after=21,
        project_spec_url="https://example.org/spec",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    scheme = new_apps.get_model("grading", "GradingScheme").objects.get(seminar_id=seminar.pk)
    assert (
        scheme.weight_presentation,
        scheme.weight_reports,
        scheme.weight_participation,
        scheme.bonus_steps,
    ) == (60, 30, 10, 2)
    rows = {
        d.kind: d
        for d in new_apps.get_model("submissions", "Deliverable").objects.filter(
            seminar_id=seminar.pk
        )
    }
    assert (rows["slide_draft"].due_rule, rows["slide_draft"].due_days) == ("before_talk", 5)
    mock = rows["mock_presentation"]
    assert (mock.due_rule, mock.text) == ("fixed", "Meet online.")
    assert mock.due_fixed_at == dt.datetime(
        2023, 3, 5, 23, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Berlin")
    )
    reports = rows["reports"]
    assert (
        reports.due_rule,
        reports.due_days,
        reports.count,
        reports.min_pages,
        reports.max_pages,
        reports.text,
    ) == ("after_last_session", 10, 2, 3, 6, "On any topic.")
    project = rows["project"]
    assert (project.due_days, project.team_max, project.spec_url) == (
        21,
        3,
        "https://example.org/spec",
    )
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for later tests
