"""Separate the claim from the sent mark: status, attempts, claims, the last error, and which
seminar and template an e-mail belongs to.

Rows from before keep what they were: with `sent_at` they are `sent`, without it `queued` and
due at once.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def status_from_sent_at(apps, schema_editor) -> None:
    OutgoingEmail = apps.get_model("mail", "OutgoingEmail")
    OutgoingEmail.objects.filter(sent_at__isnull=False).update(status="sent")
    OutgoingEmail.objects.filter(sent_at__isnull=True).update(
        status="queued", next_attempt_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
        ("seminar", "0004_outgoingemail_to_mail_app"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="outgoingemail",
            options={
                "ordering": ["-created_at"],
                "permissions": [("resend_outgoingemail", "Can queue a failed e-mail again")],
                "verbose_name": "outgoing e-mail",
            },
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="kind",
            field=models.CharField(
                blank=True, help_text="The template set it was rendered from.", max_length=80
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="reply_to",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("sending", "sending (claimed by a worker)"),
                    ("sent", "sent"),
                    ("failed", "failed"),
                ],
                default="queued",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True, help_text="Queued e-mails: not sent before this moment.", null=True
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="claimed_by",
            field=models.CharField(blank=True, help_text="host:pid of the worker", max_length=200),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="last_error",
            field=models.TextField(blank=True, help_text="The last SMTP reply or error."),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="sent_at",
            field=models.DateTimeField(
                blank=True, help_text="When the SMTP server accepted it.", null=True
            ),
        ),
        migrations.RunPython(status_from_sent_at, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="outgoingemail",
            index=models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx"),
        ),
        migrations.AddConstraint(
            model_name="outgoingemail",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["queued", "sending", "sent", "failed"])),
                name="mail_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="outgoingemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sent_at__isnull", False), ("status", "sent")),
                    models.Q(
                        models.Q(("status", "sent"), _negated=True), ("sent_at__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="mail_sent_at_iff_sent",
            ),
        ),
        # Last, after the rows were updated, so that PostgreSQL has no foreign-key check pending
        # on the table when it is altered in the same transaction.
        migrations.AddField(
            model_name="outgoingemail",
            name="seminar",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="outgoing_emails",
                to="seminar.seminar",
            ),
        ),
    ]
