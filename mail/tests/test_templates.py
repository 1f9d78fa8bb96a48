"""Every e-mail template set is complete: a subject, a text body and an HTML body."""

from pathlib import Path

from django.conf import settings

from mail.tests.templates import template_sets


def test_every_email_template_set_has_subject_text_and_html():
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    names = template_sets("")
    incomplete = sorted(
        name
        for name in names
        for part in ("_subject.txt", "_body.txt", "_body.html")
        if not (folder / f"{name}{part}").exists()
    )
    assert (len(names) > 0, incomplete) == (True, [])
