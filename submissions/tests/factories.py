"""Files and seminars for the submissions tests: PDFs made with pypdf, archives made here."""

import datetime as dt
import io
import tarfile
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from seminar.enums import StaffKind
from seminar.models import Meeting, Registration, Seminar
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
)
from submissions.models import Deliverable
from topics.enums import AssignmentReason
from topics.models import AllocationRun, Assignment, Topic
from topics.tests.factories import TopicFactory


def pdf_bytes(pages: int = 3) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(pages: int = 3, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def zip_bytes(entries: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (entries or {"project/main.py": b"print('hello')\n"}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_gz_bytes(entries: dict[str, bytes] | None = None, *, links: dict[str, str] | None = None):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (entries or {"project/main.py": b"print('hello')\n"}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def deliverable(seminar: Seminar, kind: str) -> Deliverable:
    return Deliverable.objects.get(seminar=seminar, kind=kind)


def publish(seminar: Seminar, placements: list[tuple[Registration, Topic]]) -> AllocationRun:
    """A published allocation: each registration presents its topic."""
    run = AllocationRun.objects.create(
        seminar=seminar, number=1, seed=1, published_at=timezone.now()
    )
    for registration, topic in placements:
        Assignment.objects.create(
            run=run, registration=registration, topic=topic, reason=AssignmentReason.ALLOCATION
        )
    return run


def seminar_with_talks(
    students: int = 2,
    *,
    session_day: dt.date | None = None,
    last_day: dt.date | None = None,
    **seminar_fields,
) -> tuple[Seminar, list[Registration], list[Topic], list[Meeting]]:
    """A seminar with a published schedule: one topic and talk per student, one supervisor
    (the first) for even students and another for odd ones."""
    seminar = SeminarFactory(capacity=max(students, 1), **seminar_fields)
    first = session_day or timezone.localdate() + dt.timedelta(days=30)
    sessions = [MeetingFactory(seminar=seminar, date=first, talk_slots=max(students, 1))]
    if last_day is not None and last_day != first:
        sessions.append(MeetingFactory(seminar=seminar, date=last_day))
    supervisors = StaffRoleFactory.create_batch(2, seminar=seminar, kind=StaffKind.SUPERVISOR)
    topics = [
        TopicFactory(
            seminar=seminar, session=sessions[0], slot=i + 1, supervisor=supervisors[i % 2]
        )
        for i in range(students)
    ]
    registrations = RegistrationFactory.create_batch(students, seminar=seminar)
    publish(seminar, list(zip(registrations, topics, strict=True)))
    return seminar, registrations, topics, sessions
