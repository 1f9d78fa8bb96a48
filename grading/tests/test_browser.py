"""In a real browser: a supervisor grades a student in the admin, the organizer releases the
grades, and the student sees their final grade and how it was computed."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from grading.selectors import scheme_of
from grading.services import grading_save
from grading.tests.factories import complete_values, grading_world
from mail.models import OutgoingEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "secret-password-1"  # the factories'
EXPLANATION = "0.50 × 1.3 + 0.35 × 2.0 + 0.15 × 1.7 = 1.605 → 1.7; project bonus → 1.3"


def log_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_supervisor_grades_organizer_releases_student_sees_the_grade(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    from playwright.sync_api import expect, sync_playwright

    world = grading_world(2)
    student = world.students[0]
    # The reports were graded earlier; the rest is entered in the browser.
    reports = {k: v for k, v in complete_values(student).items() if k.startswith("report_")}
    grading_save(registration=student, values=reports, by=world.supervisor)
    first_criterion = world.criteria[0]
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            log_in(page, base, world.supervisor.email)
            page.goto(f"{base}{reverse('admin:grading_gradedstudent_changelist')}")
            expect(page.locator("#result_list tbody tr")).to_have_count(1)  # only their student
            page.get_by_role("link", name=student.student.full_name).click()
            page.get_by_label("Presentation grade").select_option("1.3")
            page.get_by_label("Talk length (minutes)").fill("22")
            page.get_by_role("checkbox", name=first_criterion.text, exact=True).check()
            page.get_by_label("Presentation comment").fill("A clear story, well timed.")
            page.get_by_label("Participation grade").select_option("1.7")
            for number, session in enumerate(world.sessions, start=1):
                label = f"Attendance of session {number} ({session.date:%-d %b %Y})"
                page.get_by_label(label).select_option("attended")
            page.get_by_label("Mock presentation given").check()
            page.get_by_label("Project result (handed in)").select_option("bonus")
            page.get_by_role("button", name="Save grades").click()
            expect(page.locator(".messagelist")).to_contain_text(
                f"Saved for {student.student.full_name}"
            )
            expect(page.get_by_test_id("explanation")).to_have_text(EXPLANATION)
            page.screenshot(path=SCREENSHOTS / "grading-admin-page.png", full_page=True)

            log_in(page, base, world.organizer.email)
            page.goto(f"{base}{reverse('grading:grades', args=[world.seminar.slug])}")
            page.get_by_role("link", name="Release grades…").click()
            expect(page.get_by_test_id("recipients")).to_contain_text("e-mails 2 students")
            page.get_by_role("button", name="Release and e-mail 2 students").click()
            expect(page.get_by_role("status").first).to_have_text(
                "The grades are released; 2 students e-mailed."
            )
            page.screenshot(path=SCREENSHOTS / "grading-released.png", full_page=True)

            log_in(page, base, student.student.email)
            page.wait_for_url(f"{base}{reverse('seminar:dashboard', args=[world.seminar.slug])}")
            expect(page.get_by_test_id("my-final-grade")).to_have_text("Final grade: 1.3 (passed)")
            expect(page.get_by_test_id("my-grade-explanation")).to_have_text(EXPLANATION)
            expect(page.get_by_test_id("my-grade-components")).to_contain_text(
                "A clear story, well timed."
            )
            page.get_by_test_id("my-final-grade").scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / "grading-student-dashboard.png", full_page=True)
        finally:
            browser.close()

    assert scheme_of(world.seminar).released_by == world.organizer
    released = OutgoingEmail.objects.filter(kind="grades_released", to=student.student.email)
    assert [e.subject for e in released] == [
        f"[{world.seminar.tag}] Your grades are out: final grade 1.3"
    ]
