"""Where built grade sheets are kept: the site's private storage (never under MEDIA_URL), the
one students' files live in, under grade-sheets/. Served only by the organizer's download view."""

import uuid

from django.core.files.storage import Storage, storages


def grade_sheet_storage() -> Storage:
    """Looked up on every use, so that a changed setting (tests, S3) takes effect."""
    return storages["submissions"]


def grade_sheet_name_new(*, seminar_id: int) -> str:
    return f"grade-sheets/{seminar_id}/{uuid.uuid4().hex}.pdf"
