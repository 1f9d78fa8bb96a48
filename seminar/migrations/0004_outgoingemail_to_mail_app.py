"""Hand the outbox over to the mail app without losing a row.

The table is renamed to the mail app's name; the model leaves this app's state here and enters
the mail app's state in mail/0001. Nothing is copied, so no e-mail is lost or sent twice.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("seminar", "0003_rules_moved_to_their_apps"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="OutgoingEmail", table="mail_outgoingemail"),
            ],
            state_operations=[
                migrations.DeleteModel(name="OutgoingEmail"),
            ],
        ),
    ]
