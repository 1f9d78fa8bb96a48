"""Seminars that existed before the reminders app get the default rules, and beat its scan."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import PeriodicTask

from reminders.enums import ReminderKind
from reminders.models import ReminderRule

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_RULES = [("reminders", "0001_rules")]


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh one sees what is applied now


def test_existing_seminars_get_the_default_rules_and_keep_their_own():
    executor = migrate_to(BEFORE_THE_RULES)
    try:
        old_apps = executor.loader.project_state(BEFORE_THE_RULES).apps
        Seminar = old_apps.get_model("seminar", "Seminar")
        OldRule = old_apps.get_model("reminders", "ReminderRule")
        fields = {"contact_name": "C", "contact_email": "c@example.org"}
        bare = Seminar.objects.create(title="Old", slug="old", tag="Old", **fields)
        own = Seminar.objects.create(title="Own", slug="own", tag="Own", **fields)
        OldRule.objects.create(seminar_id=own.pk, kind=ReminderKind.OFFER, hours_before=6)
        assert not PeriodicTask.objects.filter(name="reminders-scan").exists()
    finally:
        migrate_to(executor.loader.graph.leaf_nodes())

    assert ReminderRule.objects.filter(seminar_id=bare.pk, enabled=True).count() == 10
    assert list(ReminderRule.objects.filter(seminar_id=own.pk).values_list("hours_before")) == [
        (6,)
    ]
    assert PeriodicTask.objects.get(name="reminders-scan").interval.every == 5
