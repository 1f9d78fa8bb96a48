"""An organizer sets a seminar up through the steps in a real browser, opens registration, and
a student registers. Screenshots of every step at 1,280 and 390 px go to var/screenshots/setup/."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar
from seminar.tests.factories import StaffUserFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "setup"
PASSWORD = "secret-password-1"  # the factories' password
WIDTHS = (1280, 390)


# The elements sticking out of the window (what to fix when a page is too wide).
WIDER_THAN_WINDOW = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !e.closest('.table-responsive') || e.matches('.table-responsive'))
  .slice(0, 5)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
"""


def _shoot(page, name: str) -> None:
    """A full-page screenshot at each width; the page never gets wider than the window."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        wider = page.evaluate(WIDER_THAN_WINDOW) if scroll_width > width else []
        assert (name, width, scroll_width, wider) == (name, width, width, [])
    page.set_viewport_size({"width": 1280, "height": 900})


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/me/")


def test_organizer_sets_up_a_seminar_and_a_student_registers(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    organizer = StaffUserFactory(full_name="Helena Brandt", email="helena@example.org")
    organizer.user_permissions.add(Permission.objects.get(codename="create_seminar"))
    UserFactory(full_name="Zoë Achterberg", email="zoe@example.org")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            _log_in(page, base, "helena@example.org")
            page.get_by_test_id("new-seminar").click()
            page.wait_for_url(f"{base}/organize/new/")

            # 1. Basics
            page.locator("#id_title").fill("Deep Diffusion")
            page.locator("#id_term").fill("WS2026")
            page.locator("#id_tag").fill("DeepDiffusion")
            page.locator("#id_eligibility").fill("master students of computer science")
            _shoot(page, "1-basics")
            page.get_by_role("button", name="Create the seminar").click()
            slug = "deep-diffusion-ws2026"
            page.wait_for_url(f"{base}/{slug}/setup/dates/")

            # 2. Dates: a mistake first (half a kick-off), nothing typed is lost
            page.locator("#id_kickoff_date").fill("2026-12-14")
            page.locator("#id_kickoff_time").fill("14:15")
            page.locator("#id_sessions-0-date").fill("2027-02-01")
            page.locator("#id_sessions-0-start_time").fill("09:30")
            page.locator("#id_sessions-0-room").fill("1.06 (E1.1)")
            page.locator("#id_sessions-0-talk_slots").fill("2")
            page.locator("#id_preference_deadline").fill("2026-12-18T23:59")
            page.locator("#id_registration_closes_at").fill("2027-01-15T12:00")
            page.get_by_role("button", name="Save").click()
            page.get_by_text("or leave all three empty").wait_for()
            assert page.locator("#id_sessions-0-room").input_value() == "1.06 (E1.1)"
            _shoot(page, "2-dates-error")
            page.locator("#id_kickoff_room").fill("328 (E 1.3)")
            _shoot(page, "2-dates")
            page.get_by_role("button", name="Save").click()
            page.wait_for_url(f"{base}/{slug}/setup/staff/")

            # 3. Staff
            page.locator("#id_email").fill("greta.gruber@example.org")
            page.locator("#id_full_name").fill("Greta Gruber")
            page.locator("#id_initials").fill("GG")
            page.get_by_role("button", name="Invite").click()
            page.get_by_text("greta.gruber@example.org has the role now").wait_for()
            _shoot(page, "3-staff")
            page.get_by_test_id("step-topics").click()
            page.wait_for_url(f"{base}/{slug}/setup/topics/")

            # 4. Topics
            page.locator("#id_topics-0-title").fill("Denoising Diffusion Probabilistic Models")
            page.locator("#id_topics-0-year").fill("2020")
            page.locator("#id_topics-0-url").fill("https://arxiv.org/abs/2006.11239")
            page.locator("#id_topics-0-supervisor").select_option(index=1)
            page.locator("#id_topics-0-mock_group").fill("1")
            page.locator("#id_topics-0-session").select_option(index=1)
            page.locator("#id_topics-0-slot").fill("1")
            page.locator("#id_topics-1-title").fill("Score-Based Generative Modeling")
            page.locator("#id_topics-1-supervisor").select_option(index=1)
            _shoot(page, "4-topics")
            page.get_by_role("button", name="Save topics").click()
            page.wait_for_url(f"{base}/{slug}/setup/rules/")

            # 5. Rules: what a new seminar gets is shown; the project is switched off
            page.locator("#id_project-enabled").uncheck()
            page.locator("#id_grading-weight_reports").fill("30")
            page.locator("#id_grading-weight_participation").fill("20")
            _shoot(page, "5-rules")
            page.get_by_role("button", name="Save the rules").click()
            page.wait_for_url(f"{base}/{slug}/setup/")

            # The checklist is complete: open registration
            assert page.get_by_test_id("checklist").locator("li.missing").count() == 0
            _shoot(page, "6-checklist")
            page.get_by_test_id("open-registration").click()
            page.get_by_text("Registration is open.").wait_for()
            _shoot(page, "7-registration-open")

            page.goto(f"{base}/{slug}/")
            _shoot(page, "8-seminar-page")
            page.context.clear_cookies()

            # A student registers
            _log_in(page, base, "zoe@example.org")
            page.goto(f"{base}/{slug}/")
            page.get_by_role("button", name="Register").click()
            page.wait_for_url(f"{base}/{slug}/me/")
            _shoot(page, "9-student-registered")
        finally:
            browser.close()

    seminar = Seminar.objects.get(slug=slug)
    assert [t.title for t in seminar.topics.order_by("pk")] == [
        "Denoising Diffusion Probabilistic Models",
        "Score-Based Generative Modeling",
    ]
    assert seminar.deliverables.get(kind="project").enabled is False
    assert (seminar.grading_scheme.weight_reports, seminar.grading_scheme.weight_participation) == (
        30,
        20,
    )
    registration = Registration.objects.get(seminar=seminar, student__email="zoe@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
