"""The language switcher in a real browser: a visitor switches to German; signed in, the
account's language counts, a switch is stored on it and the next login elsewhere is German."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from demo.loader import CURRENT_SLUG, demo_load
from seminar.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
STUDENT = "alex.kramer@example.org"
PASSWORD = "diffusion-demo"


def test_visitor_switches_to_german_and_the_account_keeps_it(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # after the marker's importorskip

    demo_load(today=timezone.localdate())
    seminar_url = f"{live_server.url}/{CURRENT_SLUG}/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            page.goto(seminar_url)
            assert page.locator("html").get_attribute("lang") == "en"
            page.get_by_role("button", name="Deutsch").click()
            page.wait_for_url(seminar_url)  # back on the same page
            assert page.locator("html").get_attribute("lang") == "de"
            assert page.get_by_role("heading", name="Vortrag", exact=True).count() == 1
            page.screenshot(path=SCREENSHOTS / "languages-seminar-de.png", full_page=True)

            page.get_by_role("navigation").get_by_role("link", name="Anmelden").click()
            page.get_by_label("E-Mail-Adresse").fill(STUDENT)
            page.get_by_label("Passwort").fill(PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_load_state()
            # Signed in, the account's language (English) counts, whatever the cookie says.
            assert page.locator("html").get_attribute("lang") == "en"
            page.get_by_role("button", name="Deutsch").click()  # stored on the account
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "de"
            page.goto(f"{seminar_url}me/")
            assert page.get_by_role("heading", name="Ihr Seminar", exact=True).count() == 1
            page.screenshot(path=SCREENSHOTS / "languages-dashboard-de.png", full_page=True)

            # Another browser, which prefers English: the login lands in German.
            other = browser.new_page(locale="en-GB")
            other.goto(f"{live_server.url}/accounts/login/")
            other.get_by_label("E-mail address").fill(STUDENT)
            other.get_by_label("Password").fill(PASSWORD)
            other.get_by_role("button", name="Log in").click()
            other.wait_for_load_state()
            assert other.locator("html").get_attribute("lang") == "de"
            assert other.get_by_role("button", name="Abmelden").count() == 1
        finally:
            browser.close()

    assert User.objects.get(email=STUDENT).language == "de"
