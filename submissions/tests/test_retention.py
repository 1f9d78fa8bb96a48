"""Purging a finished seminar's uploads after its retention period: refused before, files gone
after, the rows kept and every page saying what happened; only the seminar's organizers."""

import datetime as dt
import io
import json
import threading
import zipfile

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from seminar.deadlines import days_after
from seminar.enums import StaffKind
from seminar.errors import Conflict
from seminar.models import ActivityEntry
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory, UserFactory
from submissions.enums import DeliverableKind
from submissions.models import FileRetention, SubmissionFile
from submissions.services.retention import uploads_purge
from submissions.services.uploads import submission_upload
from submissions.storage import submission_storage
from submissions.tests.factories import (
    deliverable,
    pdf_upload,
    seminar_with_talks,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

PURGED = "file deleted after retention period"


@pytest.fixture
def world():
    """Two participants; A hands in slides twice and the project, B the slides."""
    seminar, (a, b), topics, sessions = seminar_with_talks(2)
    slides = deliverable(seminar, DeliverableKind.SLIDE_DRAFT)
    files = [
        submission_upload(
            registration=a, deliverable=slides, upload=pdf_upload(3, "a1.pdf"), by=a.student
        ),
        submission_upload(
            registration=a, deliverable=slides, upload=pdf_upload(3, "a2.pdf"), by=a.student
        ),
        submission_upload(
            registration=a,
            deliverable=deliverable(seminar, DeliverableKind.PROJECT),
            upload=upload(zip_bytes(), "project.zip"),
            by=a.student,
        ),
        submission_upload(
            registration=b, deliverable=slides, upload=pdf_upload(3, "b.pdf"), by=b.student
        ),
    ]
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    elsewhere = StaffUserFactory()
    staff_role_add(seminar=SeminarFactory(), user=elsewhere, kind=StaffKind.ORGANIZER)
    supervisor = topics[0].supervisor.user
    staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    kept_until = days_after(sessions[-1].date, 365)
    return seminar, (a, b), files, organizer, elsewhere, supervisor, kept_until


def _on_disk(files) -> list[bool]:
    storage = submission_storage()
    return [storage.exists(file.stored_name) for file in files]


def test_purge_is_refused_before_the_seminar_has_finished(world):
    seminar, _, files, organizer, *_ = world
    with pytest.raises(Conflict) as refusal:
        uploads_purge(seminar=seminar, by=organizer)
    assert refusal.value.message == (
        f"{seminar} has not finished yet: its uploads are kept at least until 365 days after "
        "its last session."
    )
    assert _on_disk(files) == [True, True, True, True]


def test_purge_is_refused_within_the_retention_period(world, time_machine):
    seminar, _, files, organizer, *_, kept_until = world
    time_machine.move_to(kept_until, tick=False)
    with pytest.raises(Conflict) as refusal:
        uploads_purge(seminar=seminar, by=organizer)
    until = date_format(timezone.localtime(kept_until), "j F Y")
    assert refusal.value.message == (
        f"The retention period of {seminar} (365 days after the last session) runs until "
        f"{until}; its uploads can be purged after that."
    )
    assert _on_disk(files) == [True, True, True, True]
    assert SubmissionFile.objects.filter(purged_at__isnull=False).count() == 0


def test_purge_after_the_retention_period_deletes_files_and_keeps_rows(
    world, time_machine, django_capture_on_commit_callbacks
):
    seminar, _, files, organizer, *_, kept_until = world
    moment = kept_until + dt.timedelta(microseconds=1)
    time_machine.move_to(moment, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads_purge(seminar=seminar, by=organizer) == 4
    assert _on_disk(files) == [False, False, False, False]
    assert list(SubmissionFile.objects.values_list("purged_at", flat=True)) == [moment] * 4
    retention = FileRetention.objects.get(seminar=seminar)
    assert (retention.purged_at, retention.purged_by) == (moment, organizer)
    entry = ActivityEntry.objects.get(action="uploads.purged")
    assert (entry.seminar, entry.new) == (seminar, {"files": 4, "retention_days": 365})
    # Again (a second click, the admin action after the button): the same result.
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads_purge(seminar=seminar, by=organizer) == 0
    assert ActivityEntry.objects.filter(action="uploads.purged").count() == 1
    assert list(SubmissionFile.objects.values_list("purged_at", flat=True)) == [moment] * 4


def test_a_shorter_retention_period_allows_an_earlier_purge(world, time_machine):
    seminar, _, _, organizer, *_ = world
    FileRetention.objects.filter(seminar=seminar).update(retention_days=0)
    last = seminar.meetings.order_by("-date").first().date
    time_machine.move_to(days_after(last, 1), tick=False)
    assert uploads_purge(seminar=seminar, by=organizer) == 4


def test_pages_after_the_purge_say_the_file_was_deleted(client, world, time_machine):
    seminar, (a, b), files, organizer, _, supervisor, kept_until = world
    time_machine.move_to(kept_until + dt.timedelta(days=1), tick=False)
    uploads_purge(seminar=seminar, by=organizer)
    slides = files[1]
    download = reverse("submissions:download", args=[seminar.slug, slides.pk])
    detail = reverse("submissions:submission", args=[seminar.slug, slides.submission_id])
    client.force_login(a.student)
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert (PURGED in page, download in page) == (True, False)
    page = client.get(detail).content.decode()
    assert (page.count(PURGED), download in page) == (2, False)
    response = client.get(download)
    assert response.status_code == 410
    assert response.content.decode() == (
        "This file was deleted after the seminar's retention period; its record stays."
    )
    client.force_login(b.student)
    assert client.get(download).status_code == 404  # not theirs: no hint that it existed
    client.force_login(organizer)
    page = client.get(reverse("submissions:matrix", args=[seminar.slug])).content.decode()
    assert (page.count(PURGED), download in page) == (3, False)
    client.force_login(supervisor)
    page = client.get(
        reverse("admin:submissions_supervisedstudent_changelist"), {"seminar": seminar.pk}
    ).content.decode()
    assert (PURGED in page, download in page) == (True, False)


def test_export_after_the_purge_lists_the_files_without_them(client, world, time_machine):
    seminar, (a, _), _, organizer, *_, kept_until = world
    moment = (kept_until + dt.timedelta(days=1)).replace(microsecond=0)
    time_machine.move_to(moment, tick=False)
    uploads_purge(seminar=seminar, by=organizer)
    client.force_login(a.student)
    response = client.post(reverse("seminar:my_data_download"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["data.json"]
    data = json.loads(archive.read("data.json"))
    versions = [v for s in data["submissions"] for v in s["versions"]]
    assert [(v["file_name"], v["in_archive"]) for v in versions] == [
        ("project.zip", None),
        ("a1.pdf", None),
        ("a2.pdf", None),
    ]
    assert {v["deleted_after_retention_period_at"] for v in versions} == {
        moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    }


# --- Doors: the organizer's button and the admin action --------------------------------------


def test_purge_button_is_for_the_seminars_organizers_only(client, world, time_machine):
    seminar, (a, _), files, organizer, elsewhere, supervisor, kept_until = world
    time_machine.move_to(kept_until + dt.timedelta(days=1), tick=False)
    url = reverse("submissions:uploads_purge", args=[seminar.slug])
    assert client.post(url, {"confirm": "yes"}).status_code == 302  # to the login
    for person in (a.student, supervisor, elsewhere, UserFactory()):
        client.force_login(person)
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert SubmissionFile.objects.filter(purged_at__isnull=False).count() == 0
    client.force_login(organizer)
    response = client.post(url, {"confirm": "yes"})
    assert response.url == reverse("seminar:organize", args=[seminar.slug])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "4 uploaded files were deleted."
    ]
    assert SubmissionFile.objects.filter(purged_at__isnull=False).count() == 4


def test_purge_button_refuses_early_with_the_reason(client, world):
    seminar, _, files, organizer, *_ = world
    client.force_login(organizer)
    response = client.post(
        reverse("submissions:uploads_purge", args=[seminar.slug]), {"confirm": "yes"}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{seminar} has not finished yet: its uploads are kept at least until 365 days after "
        "its last session."
    ]
    assert _on_disk(files) == [True, True, True, True]


def test_organizer_panel_offers_the_purge_once_it_is_due(client, world, time_machine):
    seminar, _, _, organizer, *_, kept_until = world
    client.force_login(organizer)
    organize = reverse("seminar:organize", args=[seminar.slug])
    page = client.get(organize).content.decode()
    until = date_format(timezone.localtime(kept_until), "j F Y")
    assert f"Uploads are kept 365 days after the last session, until {until}." in page
    assert 'data-testid="purge"' not in page
    time_machine.move_to(kept_until + dt.timedelta(days=1), tick=False)
    client.force_login(organizer)
    assert 'data-testid="purge"' in client.get(organize).content.decode()
    uploads_purge(seminar=seminar, by=organizer)
    page = client.get(organize).content.decode()
    assert 'data-testid="purge"' not in page
    today = date_format(timezone.localdate(), "j F Y")
    assert f"The uploaded files were deleted on {today}, after the retention period." in page


def test_admin_action_purges_after_the_retention_period(client, world, time_machine):
    seminar, _, _, organizer, *_, kept_until = world
    time_machine.move_to(kept_until + dt.timedelta(days=1), tick=False)
    client.force_login(organizer)
    response = client.post(
        reverse("admin:seminar_seminar_changelist"),
        {
            "action": "uploads_purge_action",
            admin.helpers.ACTION_CHECKBOX_NAME: [seminar.pk],
        },
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{seminar}: 4 uploaded files deleted."
    ]
    assert SubmissionFile.objects.filter(purged_at__isnull=False).count() == 4


def test_retention_period_is_on_the_seminars_admin_page(client, world):
    seminar, _, _, organizer, _, supervisor, _ = world
    change = reverse("admin:seminar_seminar_change", args=[seminar.pk])
    client.force_login(organizer)
    assert 'name="file_retention-0-retention_days"' in client.get(change).content.decode()
    client.force_login(supervisor)
    page = client.get(change).content.decode()
    assert ('name="file_retention-0-retention_days"' in page, "365" in page) == (False, True)


def test_a_new_seminar_keeps_uploads_365_days():
    seminar = SeminarFactory()
    assert FileRetention.objects.get(seminar=seminar).retention_days == 365


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_purges_at_once_delete_each_file_once(world, time_machine):
    seminar, _, files, organizer, *_, kept_until = world
    time_machine.move_to(kept_until + dt.timedelta(days=1), tick=False)
    both_ready = threading.Barrier(2, timeout=30)
    counts: list[int] = []

    def purge() -> None:
        try:
            both_ready.wait()
            counts.append(uploads_purge(seminar=seminar, by=organizer))
        finally:
            connection.close()

    threads = [threading.Thread(target=purge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) == [0, 4]
    assert ActivityEntry.objects.filter(action="uploads.purged").count() == 1
    assert _on_disk(files) == [False, False, False, False]
