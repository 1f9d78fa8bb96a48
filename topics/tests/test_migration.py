"""Existing runs get their numbers and assignments say how they came, on the way up."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

AFTER = [("topics", "0005_run_number_required")]


@pytest.mark.django_db(transaction=True)
def test_runs_are_numbered_and_reasons_become_how_the_topic_came():
    executor = MigrationExecutor(connection)
    # Topics as before; every other app as it is now.
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "topics"]
    before = [*others, ("topics", "0002_assignment_blocked")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Seminar = old.get_model("seminar", "Seminar")
    seminars = [
        Seminar.objects.create(
            title=tag, slug=tag.lower(), tag=tag, contact_name="C", contact_email="c@example.org"
        )
        for tag in ("First", "Second")
    ]
    student = old.get_model("seminar", "User").objects.create(email="s@example.org")
    registration = old.get_model("seminar", "Registration").objects.create(
        seminar=seminars[0],
        student=student,
        status="confirmed",
        joined_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        status_changed_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
    )
    Run = old.get_model("topics", "AllocationRun")
    runs = [Run.objects.create(seminar=s, seed=n) for n, s in enumerate(seminars * 2)]
    Assignment = old.get_model("topics", "Assignment")
    old_reasons = ["preference", "preferences_taken", "manual", "late_free"]
    assignments = [
        Assignment.objects.create(run=run, registration=registration, reason=reason)
        for run, reason in zip(runs, old_reasons, strict=True)
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state([*others, *AFTER]).apps
    numbers = dict(new.get_model("topics", "AllocationRun").objects.values_list("pk", "number"))
    assert [numbers[run.pk] for run in runs] == [1, 1, 2, 2]
    reasons = dict(new.get_model("topics", "Assignment").objects.values_list("pk", "reason"))
    assert [reasons[a.pk] for a in assignments] == [
        "allocation",
        "allocation",
        "manual",
        "late_random",
    ]
    hours = new.get_model("topics", "TopicSettings").objects.values_list(
        "seminar_id", "late_choice_hours"
    )
    assert sorted(hours) == [(seminars[0].pk, 48), (seminars[1].pk, 48)]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for later tests
