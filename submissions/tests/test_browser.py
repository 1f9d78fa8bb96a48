"""In a real browser: a student uploads a slide draft and a report and sees their state change."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from submissions.models import Submission
from submissions.tests.factories import pdf_bytes, seminar_with_talks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "secret-password-1"  # UserFactory's


def test_student_uploads_slide_draft_and_report_and_sees_the_state_change(
    live_server, monkeypatch, tmp_path
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    from playwright.sync_api import expect, sync_playwright

    seminar, (registration, _), topics, _ = seminar_with_talks(2)
    slides = tmp_path / "Folien – Entwurf.pdf"
    slides.write_bytes(pdf_bytes(6))
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf_bytes(3))
    dashboard = f"{live_server.url}{reverse('seminar:dashboard', args=[seminar.slug])}"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("E-mail address").fill(registration.student.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(dashboard)  # one seminar: log-in lands on its dashboard
            expect(page.get_by_test_id("state-slide_draft")).to_have_text("missing")
            expect(page.get_by_test_id("state-reports")).to_have_text("missing (0 of 3 in)")

            page.locator("#id_slide_draft1_file").set_input_files(slides)
            page.locator("form:has(#id_slide_draft1_file)").get_by_role(
                "button", name="Upload"
            ).click()
            page.wait_for_url(f"{dashboard}#submissions")
            expect(page.get_by_role("status")).to_contain_text(
                "Slide draft handed in: Folien – Entwurf.pdf (version 1, 6 pages)"
            )
            expect(page.get_by_test_id("state-slide_draft")).to_have_text("submitted")

            page.locator("#id_reports1_topic").select_option(label=topics[1].title)
            page.locator("#id_reports1_file").set_input_files(report)
            page.locator("form:has(#id_reports1_file)").get_by_role("button", name="Upload").click()
            page.wait_for_url(f"{dashboard}#submissions")
            expect(page.get_by_test_id("state-reports")).to_have_text("missing (1 of 3 in)")
            expect(page.get_by_role("heading", name=f"Report 1: {topics[1].title}")).to_be_visible()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "browser-submissions.png", full_page=True)
        finally:
            browser.close()

    kinds = sorted(Submission.objects.values_list("deliverable__kind", "topic_id"))
    assert kinds == [("reports", topics[1].pk), ("slide_draft", None)]
