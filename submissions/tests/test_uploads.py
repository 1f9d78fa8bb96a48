"""Handing in through the upload page: what is stored, what is refused, and what survives."""

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from seminar.enums import RegistrationStatus
from seminar.errors import Invalid
from seminar.models import ActivityEntry
from seminar.tests.factories import RegistrationFactory, UserFactory
from submissions.enums import DeliverableKind, FileKind
from submissions.models import Submission, SubmissionFile, TeamMembership
from submissions.selectors import deadline_of, seminar_calendar
from submissions.services import uploads
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.storage import submission_storage
from submissions.tests.factories import (
    deliverable,
    pdf_bytes,
    pdf_upload,
    seminar_with_talks,
    tar_gz_bytes,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def seminar():
    seminar, registrations, topics, _ = seminar_with_talks(3)
    seminar.registrations_ = registrations
    seminar.topics_ = topics
    return seminar


@pytest.fixture
def student(seminar, client):
    registration = seminar.registrations_[0]
    client.force_login(registration.student)
    return registration


def url(seminar, kind):
    return reverse("submissions:hand_in", args=[seminar.slug, kind])


def stored_files(location: Path) -> list[Path]:
    return sorted(p for p in location.rglob("*") if p.is_file())


def refusal_of(response) -> str:
    return " ".join(response.context["forms"][0][1].non_field_errors())


def post(client, seminar, kind, file, **fields):
    return client.post(url(seminar, kind), {"number": 1, **fields, "file": file})


def test_slide_draft_is_stored_under_a_name_made_by_the_server(
    client, seminar, student, private_storage
):
    response = post(client, seminar, "slide_draft", pdf_upload(3, "Meine Folien.pdf"))

    assert response.status_code == 302
    assert response["Location"] == f"/{seminar.slug}/me/#submissions"
    file = SubmissionFile.objects.get()
    assert (file.version, file.original_name, file.kind, file.pages) == (
        1,
        "Meine Folien.pdf",
        FileKind.PDF,
        3,
    )
    assert file.uploaded_by == student.student
    assert file.stored_name.startswith(f"{seminar.pk}/slide_draft/")
    assert file.stored_name.endswith(".pdf")
    assert "Folien" not in file.stored_name
    (path,) = stored_files(private_storage)
    assert path.read_bytes() == pdf_bytes(3)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    entry = ActivityEntry.objects.get(action="submission.uploaded")
    assert (entry.actor, entry.new["version"], entry.new["file"]) == (
        student.student,
        1,
        "Meine Folien.pdf",
    )


def test_reupload_replaces_the_current_version_and_keeps_the_old(
    client, seminar, student, private_storage
):
    post(client, seminar, "slide_draft", pdf_upload(3, "draft.pdf"))
    post(client, seminar, "slide_draft", pdf_upload(5, "draft-final.pdf"))

    submission = Submission.objects.get()
    assert [(f.version, f.original_name, f.pages) for f in submission.files.all()] == [
        (2, "draft-final.pdf", 5),
        (1, "draft.pdf", 3),
    ]
    assert len(stored_files(private_storage)) == 2
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert "draft-final.pdf" in page
    assert "1 earlier version kept" in page


NOT_A_PDF = (
    "This file is not a PDF: its content does not start like one, whatever its name says. "
    "Upload the file itself, for example exported as PDF from your editor."
)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"Just text, with a .pdf name.\n", NOT_A_PDF),
        ("page.html", b"<!doctype html><script>alert(1)</script>", NOT_A_PDF),
        ("picture.pdf", PNG + b"<html><script>alert(1)</script></html>", NOT_A_PDF),
        ("empty.pdf", b"", "The file is empty. Choose the file again and upload it."),
    ],
    ids=["text-named-pdf", "html", "png-with-html", "empty"],
)
def test_bad_file_is_refused_and_the_previous_version_survives(
    client, seminar, student, private_storage, name, data, message
):
    post(client, seminar, "slide_draft", pdf_upload(3, "good.pdf"))
    before = stored_files(private_storage)

    response = post(client, seminar, "slide_draft", upload(data, name))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert [f.original_name for f in SubmissionFile.objects.all()] == ["good.pdf"]
    assert stored_files(private_storage) == before
    assert before[0].read_bytes() == pdf_bytes(3)


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        (1, "This PDF has 1 page; it must have 2 to 4 pages."),
        (5, "This PDF has 5 pages; it must have 2 to 4 pages."),
    ],
)
def test_report_with_wrong_page_count_is_refused_with_the_count(
    client, seminar, student, private_storage, pages, message
):
    response = post(client, seminar, "reports", pdf_upload(pages), title="My own view")

    assert response.status_code == 400
    assert refusal_of(response) == message
    assert SubmissionFile.objects.count() == 0
    assert stored_files(private_storage) == []


def test_oversized_file_is_cut_off_while_it_streams(
    client, seminar, student, settings, private_storage
):
    settings.SUBMISSIONS_MAX_PDF_MB = 1
    post(client, seminar, "slide_draft", pdf_upload(3, "good.pdf"))
    big = pdf_bytes(1) + b"%" + b"x" * (2 * 1024 * 1024)

    response = post(client, seminar, "slide_draft", upload(big, "huge.pdf"))

    assert response.status_code == 413
    assert refusal_of(response) == (
        "The file is larger than 1 MB, the most this upload accepts. Make it smaller (for "
        "example, leave out data sets or compress the images) and upload it again."
    )
    assert [f.original_name for f in SubmissionFile.objects.all()] == ["good.pdf"]
    assert len(stored_files(private_storage)) == 1


def test_pdf_in_the_project_keeps_the_pdf_limit_below_the_archive_limit(
    client, seminar, student, settings
):
    settings.SUBMISSIONS_MAX_PDF_MB = 1
    big = pdf_bytes(1) + b"%" + b"x" * (2 * 1024 * 1024)
    response = post(client, seminar, "project", upload(big, "project.pdf"))
    assert response.status_code == 400
    assert refusal_of(response).startswith("The file is 2.0 MB; a PDF may have at most 1 MB.")


def zip_with_link() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("project/config")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def zip_bomb() -> bytes:
    data = bytearray(zip_bytes({"data.bin": b"0" * 100}))
    struct.pack_into("<I", data, data.rindex(b"PK\x01\x02") + 24, 0xFFFF_FFF0)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            zip_bytes({"../outside.py": b"x"}),
            "The archive contains a path that leads out of it (../outside.py); remove the '..' "
            "and pack it again.",
        ),
        (
            zip_with_link(),
            "The archive contains a link (project/config); links are not accepted. "
            "Pack the files themselves instead.",
        ),
        (
            zip_bomb(),
            "The archive would unpack to more than 500 MB; leave out data sets and build output.",
        ),
    ],
    ids=["parent-path", "link", "bomb"],
)
def test_bad_archive_is_refused_and_the_previous_project_survives(
    client, seminar, student, private_storage, data, message
):
    post(client, seminar, "project", upload(tar_gz_bytes(), "project.tar.gz"))

    response = post(client, seminar, "project", upload(data, "project.zip"))

    assert response.status_code == 400
    assert refusal_of(response) == message
    assert [f.kind for f in SubmissionFile.objects.all()] == [FileKind.TAR_GZ]
    assert len(stored_files(private_storage)) == 1


def test_file_name_with_folders_dots_and_umlauts_is_kept_only_for_the_download(
    client, seminar, student, private_storage
):
    response = post(client, seminar, "slide_draft", pdf_upload(3, "../../Zoë/Übung – Folien.pdf"))

    assert response.status_code == 302
    file = SubmissionFile.objects.get()
    assert file.original_name == "Übung – Folien.pdf"
    assert "/" not in file.stored_name.split("/", 2)[-1]
    assert ".." not in file.stored_name
    download = client.get(reverse("submissions:download", args=[seminar.slug, file.pk]))
    assert download["Content-Disposition"] == (
        'attachment; filename="Ubung  Folien.pdf"; '
        "filename*=UTF-8''%C3%9Cbung%20%E2%80%93%20Folien.pdf"
    )
    assert b"".join(download.streaming_content) == pdf_bytes(3)


def test_reports_on_a_topic_and_an_own_title(client, seminar, student):
    topic = seminar.topics_[1]
    first = post(client, seminar, "reports", pdf_upload(2), topic=topic.pk)
    second = client.post(
        url(seminar, "reports"),
        {"number": 2, "title": "Diffusion for audio", "file": pdf_upload(4)},
    )

    assert (first.status_code, second.status_code) == (302, 302)
    reports = Submission.objects.order_by("number")
    assert [(r.number, r.topic_id, r.title) for r in reports] == [
        (1, topic.pk, ""),
        (2, None, "Diffusion for audio"),
    ]


def test_second_report_on_the_same_topic_is_refused(client, seminar, student):
    topic = seminar.topics_[1]
    post(client, seminar, "reports", pdf_upload(2), topic=topic.pk)

    response = client.post(
        url(seminar, "reports"), {"number": 2, "topic": topic.pk, "file": pdf_upload(3)}
    )

    assert response.status_code == 409
    assert f"Your report 1 is already on “{topic.title}”" in response.content.decode()
    assert Submission.objects.count() == 1


def test_database_refuses_two_reports_of_a_student_on_one_topic(seminar):
    registration, topic = seminar.registrations_[0], seminar.topics_[0]
    reports = deliverable(seminar, DeliverableKind.REPORTS)
    Submission.objects.create(deliverable=reports, registration=registration, number=1, topic=topic)
    with pytest.raises(IntegrityError):
        Submission.objects.create(
            deliverable=reports, registration=registration, number=2, topic=topic
        )


@pytest.mark.parametrize(
    "fields", [{}, {"title": "Both", "topic": "TOPIC"}], ids=["neither", "both"]
)
def test_report_needs_exactly_a_topic_or_an_own_title(client, seminar, student, fields):
    if fields.get("topic") == "TOPIC":
        fields["topic"] = seminar.topics_[0].pk
    response = post(client, seminar, "reports", pdf_upload(3), **fields)
    assert response.status_code == 400
    assert refusal_of(response) == (
        "Choose the report's topic from the list, or give a title of your own (one of the two)."
    )


def test_report_number_beyond_the_count_is_refused(client, seminar, student):
    response = client.post(
        url(seminar, "reports"), {"number": 4, "title": "Fourth", "file": pdf_upload(3)}
    )
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_upload_after_the_deadline_is_refused_and_says_when_it_was(
    client, seminar, student, time_machine
):
    calendar = seminar_calendar(seminar, registration_ids=[student.pk])
    due = deadline_of(deliverable(seminar, DeliverableKind.SLIDE_DRAFT), student, calendar)
    time_machine.move_to(due + dt.timedelta(microseconds=1), tick=False)
    client.force_login(student.student)  # a fresh session at that moment
    response = post(client, seminar, "slide_draft", pdf_upload(3))
    assert response.status_code == 403
    when = date_format(timezone.localtime(due), "l, j F Y, H:i")
    assert refusal_of(response) == (
        f"The deadline for the slide draft was {when}; uploads are closed. If you need more "
        "time, ask the organizer for an extension."
    )
    assert SubmissionFile.objects.count() == 0


def test_only_participants_hand_in(client, seminar):
    waiting = RegistrationFactory(seminar=seminar, status=RegistrationStatus.WAITING)
    for user in (waiting.student, UserFactory()):
        client.force_login(user)
        response = post(client, seminar, "slide_draft", pdf_upload(3))
        assert response.status_code == 403
        assert "Only participants of this seminar hand in work here." in response.content.decode()
    client.logout()
    response = post(client, seminar, "slide_draft", pdf_upload(3))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SubmissionFile.objects.count() == 0


def test_mock_presentation_and_unknown_kinds_have_no_upload_page(client, seminar, student):
    for kind in ("mock_presentation", "grades"):
        assert client.get(url(seminar, kind)).status_code == 404


def test_project_belongs_to_the_team_and_either_member_replaces_it(client, seminar):
    first, second = seminar.registrations_[:2]
    invitation = team_invite(registration=first, email=second.student.email)
    team = team_invitation_accept(invitation_id=invitation.pk, registration=second)
    client.force_login(first.student)
    post(
        client,
        seminar,
        "project",
        upload(zip_bytes(), "v1.zip"),
        repository_url="https://git.example.org/a",
    )
    client.force_login(second.student)
    post(client, seminar, "project", upload(tar_gz_bytes(), "v2.tar.gz"))

    submission = Submission.objects.get()
    assert (submission.team, submission.registration) == (team, None)
    assert [f.original_name for f in submission.files.all()] == ["v2.tar.gz", "v1.zip"]
    assert submission.repository_url == ""


def test_project_alone_makes_a_team_of_one(client, seminar, student):
    post(client, seminar, "project", upload(zip_bytes(), "solo.zip"))
    membership = TeamMembership.objects.get()
    assert membership.registration == student
    assert Submission.objects.get().team == membership.team


def test_a_refusal_after_storing_removes_the_stored_file(seminar, private_storage, monkeypatch):
    registration = seminar.registrations_[0]

    def broken(**kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(uploads, "_version_add", broken)
    with pytest.raises(IntegrityError):
        uploads.submission_upload(
            registration=registration,
            deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
            upload=pdf_upload(3),
            by=None,
        )
    assert stored_files(private_storage) == []


def test_private_storage_has_no_public_url():
    with pytest.raises(NotImplementedError):
        submission_storage().url("1/slide_draft/x.pdf")


def test_upload_without_the_csrf_token_is_refused(seminar, student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.student)
    response = post(client, seminar, "slide_draft", pdf_upload(3))
    assert response.status_code == 403
    assert SubmissionFile.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [{"title": "Own\x1b[31m view"}, {"title": "Own\u202eweiv"}],
    ids=["escape", "override"],
)
def test_upload_service_refuses_a_title_with_control_characters(seminar, fields):
    """The service refuses such a title by itself (the form refuses it before)."""
    with pytest.raises(Invalid) as refused:
        uploads.submission_upload(
            registration=seminar.registrations_[0],
            deliverable=deliverable(seminar, DeliverableKind.REPORTS),
            upload=pdf_upload(3),
            by=None,
            **fields,
        )
    assert refused.value.message == "Use one line of ordinary text, without control characters."
    assert Submission.objects.count() == 0


def test_upload_service_refuses_a_repository_link_with_control_characters(seminar):
    with pytest.raises(Invalid) as refused:
        uploads.submission_upload(
            registration=seminar.registrations_[0],
            deliverable=deliverable(seminar, DeliverableKind.PROJECT),
            upload=upload(zip_bytes(), "project.zip"),
            by=None,
            repository_url="https://example.org/\x1b]8;;evil",
        )
    assert refused.value.message == "Use one line of ordinary text, without control characters."
    assert Submission.objects.count() == 0
