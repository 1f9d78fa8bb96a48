"""The outbox moves from the seminar app to the mail app without losing a row."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.tests.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEMINAR_BEFORE_THE_MOVE = ("seminar", "0003_rules_moved_to_their_apps")
BEFORE_THE_MOVE = [SEMINAR_BEFORE_THE_MOVE, ("mail", None)]
CREATED = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh one sees what is applied now


def test_outbox_rows_and_permissions_survive_the_move_to_the_mail_app():
    view = Permission.objects.get(codename="view_outgoingemail")
    executor = migrate_to(BEFORE_THE_MOVE)
    try:
        assert "seminar_outgoingemail" in connection.introspection.table_names()
        old_apps = executor.loader.project_state(
            [("seminar", "0003_rules_moved_to_their_apps")]
        ).apps
        OldEmail = old_apps.get_model("seminar", "OutgoingEmail")
        OldEmail.objects.create(
            key="registration-1-registration_confirmed-2026-11-20T08:00",
            to="ada@example.org",
            subject="[Sem] Your seat is confirmed",
            body_text="sent before the move",
            sent_at=CREATED,
        )
        OldEmail.objects.create(
            key="registration-2-registration_waiting-2026-11-20T08:00",
            to="bob@example.org",
            subject="[Sem] You are on the waiting list (position 1)",
            body_text="not sent yet",
        )
        OldEmail.objects.update(created_at=CREATED)
        assert Permission.objects.get(pk=view.pk).content_type.app_label == "seminar"
    finally:
        executor = migrate_to(executor.loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert ("mail_outgoingemail" in tables, "seminar_outgoingemail" in tables) == (True, False)
    rows = OutgoingEmail.objects.order_by("pk").values_list(
        "to", "body_text", "status", "sent_at", "next_attempt_at", "attempts"
    )
    assert list(rows) == [
        ("ada@example.org", "sent before the move", EmailStatus.SENT, CREATED, None, 0),
        ("bob@example.org", "not sent yet", EmailStatus.QUEUED, None, CREATED, 0),
    ]
    # The same permission row, now the mail app's: whoever held it still holds it.
    assert Permission.objects.get(pk=view.pk).content_type.app_label == "mail"
    assert OutgoingEmailFactory().pk == max(OutgoingEmail.objects.values_list("pk", flat=True))
