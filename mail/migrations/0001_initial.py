"""Take the outbox over from the seminar app: its table (renamed in seminar/0004), its rows,
and its content type, so that permissions given on it stay given."""

from django.db import migrations, models


def content_type_move(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=target, model="outgoingemail").exists():
        return
    ContentType.objects.filter(app_label=source, model="outgoingemail").update(app_label=target)


def content_type_to_mail(apps, schema_editor) -> None:
    content_type_move(apps, schema_editor, source="seminar", target="mail")


def content_type_to_seminar(apps, schema_editor) -> None:
    content_type_move(apps, schema_editor, source="mail", target="seminar")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("seminar", "0004_outgoingemail_to_mail_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=300)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "outgoing e-mail",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_mail, content_type_to_seminar),
    ]
