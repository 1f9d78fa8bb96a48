"""A new student's first visit, in a real browser: sign up, log out, log in, register."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from demo.loader import CURRENT_SLUG, demo_load
from seminar.enums import RegistrationStatus as Status
from seminar.models import Registration, Seminar
from seminar.selectors import registration_counts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

NAME = "Zoë Achterberg"
EMAIL = "zoe.achterberg@example.org"
PASSWORD = "plum-orchard-47"


def test_new_student_signs_up_logs_in_again_and_gets_a_seat(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM would refuse to run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # after the marker's importorskip

    demo_load(today=timezone.localdate())
    seminar_url = f"{live_server.url}/{CURRENT_SLUG}/"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(seminar_url)
            # The registration box's link (the navigation bar has a "Sign up" link too).
            page.get_by_role("main").get_by_role("link", name="sign up", exact=True).click()
            page.wait_for_url(f"{live_server.url}/accounts/signup/?next=/{CURRENT_SLUG}/")
            page.get_by_label("Full name").fill(NAME)
            page.get_by_label("E-mail address").fill(EMAIL)
            page.get_by_label("Matriculation number").fill("2579901")
            page.get_by_label("Degree level").select_option(label="Master")
            page.get_by_label("Study programme").fill("Computer Science")
            # By id: both password labels start with "Password".
            page.locator("#id_password1").fill(PASSWORD)
            page.locator("#id_password2").fill(PASSWORD)
            page.get_by_role("button", name="Sign up").click()
            page.wait_for_url(seminar_url)  # back where the student came from, logged in
            assert page.get_by_test_id("current-user").inner_text() == NAME

            page.get_by_role("button", name="Log out").click()
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_test_id("current-user").count() == 0

            page.get_by_role("navigation").get_by_role("link", name="Log in").click()
            page.get_by_label("E-mail address").fill(EMAIL)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{live_server.url}/me/")  # "My seminars": none yet
            assert page.get_by_test_id("current-user").inner_text() == NAME

            page.goto(seminar_url)
            page.get_by_role("button", name="Register").click()
            page.wait_for_url(f"{seminar_url}me/")
            status = page.get_by_test_id("my-status").inner_text()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "browser-signup-register.png", full_page=True)
        finally:
            browser.close()

    registration = Registration.objects.get(seminar__slug=CURRENT_SLUG, student__email=EMAIL)
    assert registration.status == Status.CONFIRMED
    since = date_format(timezone.localtime(registration.confirmed_at), "j F Y, H:i")
    assert status == f"You have a seat in this seminar (since {since})."
    subjects = [message.subject for message in mail.outbox if message.to == [EMAIL]]
    assert subjects == ["[DeepDiffusion] Your seat is confirmed"]
    # The demo's three participants and the new student.
    seminar = Seminar.objects.get(slug=CURRENT_SLUG)
    assert registration_counts(seminar)[Status.CONFIRMED] == 4
