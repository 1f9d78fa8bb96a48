"""A student downloads their data and deletes their account, in a real browser."""

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, User
from seminar.services.registration import registration_create
from seminar.services.staff import staff_role_add
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
    UserFactory,
)
from submissions.enums import DeliverableKind
from submissions.models import Deliverable, FileRetention, Submission, SubmissionFile
from submissions.storage import submission_storage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "secret-password-1"  # the factories' password


def test_student_downloads_their_data_and_deletes_the_account(live_server, monkeypatch, tmp_path):
    seminar = SeminarFactory(capacity=1, title="Deep Generative Diffusion Models")
    MeetingFactory(seminar=seminar)
    student = UserFactory(full_name="Zoë Achterberg")
    waiting = UserFactory()
    registration_create(seminar=seminar, student=student)
    registration_create(seminar=seminar, student=waiting)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # after the marker's importorskip

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.locator("#id_username").fill(student.email)
            page.locator("#id_password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
            page.get_by_role("navigation").get_by_role("link", name="My data").click()
            page.wait_for_url(f"{live_server.url}/me/data/")
            page.screenshot(path=str(SCREENSHOTS / "privacy-my-data.png"), full_page=True)

            with page.expect_download() as download_info:
                page.get_by_test_id("export").click()
            download = download_info.value
            target = tmp_path / download.suggested_filename
            download.save_as(target)
            with zipfile.ZipFile(target) as archive:
                data = json.loads(archive.read("data.json"))
            assert data["account"]["full_name"] == "Zoë Achterberg"
            assert [r["seminar"] for r in data["registrations"]] == [seminar.title]

            page.get_by_label("Your password, to confirm").fill(PASSWORD)
            page.get_by_test_id("delete").click()
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_role("status").inner_text() == (
                "Your account and your data were deleted."
            )
            assert page.get_by_test_id("current-user").count() == 0
        finally:
            browser.close()
    assert User.objects.filter(pk=student.pk).exists() is False
    assert Registration.objects.get(student=waiting).status == RegistrationStatus.OFFERED


def test_organizer_purges_a_finished_seminars_uploads(live_server, monkeypatch):
    from seminar.tests.test_accessibility import _violations

    seminar = SeminarFactory(title="Diffusion 2023")
    MeetingFactory(seminar=seminar, date=timezone.localdate() - dt.timedelta(days=10))
    FileRetention.objects.filter(seminar=seminar).update(retention_days=7)
    organizer = StaffUserFactory(full_name="Helena Brandt")
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    registration = RegistrationFactory(seminar=seminar)
    submission = Submission.objects.create(
        deliverable=Deliverable.objects.get(seminar=seminar, kind=DeliverableKind.SLIDE_DRAFT),
        registration=registration,
    )
    name = submission_storage().save("slides.pdf", ContentFile(b"%PDF-1.4 test"))
    SubmissionFile.objects.create(
        submission=submission,
        version=1,
        stored_name=name,
        original_name="slides.pdf",
        kind="pdf",
        size=13,
        sha256="0" * 64,
        uploaded_at=timezone.now() - dt.timedelta(days=20),
    )
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.locator("#id_username").fill(organizer.email)
            page.locator("#id_password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
            page.goto(f"{live_server.url}/{seminar.slug}/organize/")
            assert _violations(page) == []
            page.get_by_test_id("retention").screenshot(
                path=str(SCREENSHOTS / "privacy-purge-panel.png")
            )
            page.get_by_label("I understand that every student's files").check()
            page.get_by_test_id("purge").click()
            page.wait_for_load_state()
            assert page.get_by_role("status").first.inner_text() == "1 uploaded file was deleted."
            assert _violations(page) == []
            page.screenshot(path=str(SCREENSHOTS / "privacy-purged.png"), full_page=True)
        finally:
            browser.close()
    assert SubmissionFile.objects.get().purged_at is not None
    assert submission_storage().exists(name) is False
