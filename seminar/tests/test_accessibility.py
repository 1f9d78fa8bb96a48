"""Every page and state a person can reach (seminar/tests/site_pages.py, which fails when a URL
pattern is missing), checked in Chromium with axe-core (WCAG 2.1 A and AA),
and the focus ring's contrast, which axe does not measure."""

import shutil

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from demo.loader import PUBLISHED_SLUG, demo_load
from seminar.models import User
from seminar.tests.site_pages import site_visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


def _check(browser, base_url: str, paths: list, session: str | None = None) -> dict:
    """axe's violations of each page, as seen by the session's user (a visitor if None).
    `paths` holds paths (answering 200) or (path, status) pairs."""
    context = browser.new_context()
    if session is not None:
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}
        context.add_cookies([cookie])
    page = context.new_page()
    found = {}
    try:
        for entry in paths:
            path, status = entry if isinstance(entry, tuple) else (entry, 200)
            response = page.goto(base_url + path)
            assert response is not None
            assert response.status == (200 if status == 302 else status), path
            found[path] = _violations(page)
    finally:
        context.close()
    return found


@pytest.fixture
def browser(monkeypatch):
    """Chromium. Fixtures that touch the database come before it in a test's arguments: once
    Playwright's loop runs in this thread, a query would open a connection nobody closes."""
    # Playwright's sync API runs an event loop in this thread; the ORM would refuse to run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            connections.close_all()
            browser.close()


@pytest.fixture
def visits():
    """(label, pages, session) per viewer: every page of site_pages, as each person sees it."""
    return [
        (visit.label, visit.pages, _session(visit.viewer) if visit.viewer else None)
        for visit in site_visits()
    ]


def test_every_page_and_state_passes_axe(live_server, visits, browser):
    found = {}
    for label, pages, session in visits:
        checked = _check(browser, live_server.url, pages, session)
        found |= {f"{label}: {path}": violations for path, violations in checked.items()}
    failing = [f"{page}: {violation}" for page, v in found.items() for violation in v]
    assert failing == [], "\n".join(failing)


@pytest.fixture
def demo():
    demo_load()


def test_signup_with_errors_passes_axe(live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 1
    assert _violations(page) == []


def test_focus_ring_is_solid_and_dark_enough(live_server, demo, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/{PUBLISHED_SLUG}/")
    link = page.get_by_role("main").get_by_role("link").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused by keyboard, so :focus-visible applies
    style = link.evaluate(
        "e => { const s = getComputedStyle(e); "
        "return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    # #0b4f8a: 8.6:1 against white, above 3:1 against every light background of the site.
    assert style == ["solid", "3px", "rgb(11, 79, 138)"]


def test_login_and_signup_fill_in_and_focus_the_first_field(live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.evaluate("document.activeElement.id") == "id_full_name"
    assert page.locator("#id_full_name").get_attribute("autocomplete") == "name"
    assert page.locator("#id_email").get_attribute("autocomplete") == "email"
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert page.locator("#id_username").get_attribute("autocomplete") == "email"
    assert page.locator("#id_password").get_attribute("autocomplete") == "current-password"
