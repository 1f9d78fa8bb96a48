"""Where students' files are kept: a private storage of their own, never under MEDIA_URL.

`STORAGES["submissions"]` (config/settings.py) is a folder under var/private/ by default and
an S3-compatible bucket when SUBMISSIONS_STORAGE=s3. Everything goes through Django's storage
API, so the code is the same for both. Names are made here, never from what the student sent.
"""

import uuid

from django.core.files.storage import FileSystemStorage, Storage, storages

from submissions.enums import FileKind

EXTENSIONS = {FileKind.PDF: ".pdf", FileKind.ZIP: ".zip", FileKind.TAR_GZ: ".tar.gz"}


def submission_storage() -> Storage:
    """Looked up on every use, so that a changed setting (tests, S3) takes effect."""
    return storages["submissions"]


def stored_name_new(*, seminar_id: int, kind: str, file_kind: str) -> str:
    """A fresh name that says nothing about the student or the original file name."""
    return f"{seminar_id}/{kind}/{uuid.uuid4().hex}{EXTENSIONS[file_kind]}"


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk without a public URL: files are served only by the download view."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Submitted files have no public URL; use the download view.")
