"""Every page and state a person can reach, checked in Chromium with axe-core (WCAG 2.1 A and AA),
and the focus ring's contrast, which axe does not measure."""

import datetime as dt
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from demo.loader import CURRENT_SLUG, PUBLISHED_SLUG, demo_load
from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar, User
from seminar.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PROFESSOR = "helena.brandt@example.org"
PARTICIPANT = "alex.kramer@example.org"  # confirmed in both demo seminars, a topic in 2023


def _session_cookie(user: User, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


def _check(browser, base_url: str, paths: list[str], user: User | None = None) -> dict:
    """axe's violations of each page, as seen by `user` (a visitor if None)."""
    context = browser.new_context()
    if user is not None:
        context.add_cookies([_session_cookie(user, base_url)])
    page = context.new_page()
    found = {}
    try:
        for path in paths:
            response = page.goto(base_url + path)
            assert response is not None
            assert response.status == 200, path
            found[path] = _violations(page)
    finally:
        context.close()
    return found


def _states() -> dict[str, User]:
    """Students in every state of the current demo seminar."""
    seminar = Seminar.objects.get(slug=CURRENT_SLUG)
    seminar.capacity = 4
    seminar.preferences_opened_at = timezone.now()
    seminar.save()
    now = timezone.now()
    users = {}
    for status, extra in (
        (RegistrationStatus.CONFIRMED, {}),
        (RegistrationStatus.OFFERED, {"offer_expires_at": now + dt.timedelta(days=1)}),
        (RegistrationStatus.WAITING, {"queue_number": 1}),
        (RegistrationStatus.WITHDRAWN, {}),
    ):
        user = UserFactory()
        Registration.objects.create(
            seminar=seminar,
            student=user,
            status=status,
            joined_at=now,
            status_changed_at=now,
            **extra,
        )
        users[status] = user
    users["none"] = UserFactory()
    return users


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM would refuse to run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_every_page_and_state_passes_axe(live_server, browser):
    demo_load(today=timezone.localdate())
    users = _states()
    base = live_server.url
    current, published = f"/{CURRENT_SLUG}/", f"/{PUBLISHED_SLUG}/"
    participant = User.objects.get(email=PARTICIPANT)
    professor = User.objects.get(email=PROFESSOR)
    confirmed_registration = Registration.objects.get(
        seminar__slug=CURRENT_SLUG, student=users[RegistrationStatus.CONFIRMED]
    )
    found = {}
    found |= _check(
        browser,
        base,
        [
            "/",
            current,
            published,
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password_reset/",
            "/accounts/password_reset/done/",
        ],
    )
    found |= _check(
        browser,
        base,
        [published, f"{published}me/", current, f"{current}me/", "/me/", f"{current}withdraw/"],
        participant,
    )
    for state, user in users.items():
        paths = [current, f"{current}me/"]
        if state == RegistrationStatus.CONFIRMED:
            paths.append(f"{current}preferences/")
        found |= {f"{path} ({state})": v for path, v in _check(browser, base, paths, user).items()}
    found |= _check(
        browser,
        base,
        [
            current,
            f"{current}organize/",
            f"{current}organize/?status=waiting&q=x",
            f"{current}organize/participants/{confirmed_registration.pk}/remove/",
            f"{current}organize/allocation/",
            "/me/",
        ],
        professor,
    )
    assert {path: v for path, v in found.items() if v} == {}


def test_signup_with_errors_passes_axe(live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 1
    assert _violations(page) == []


def test_focus_ring_is_solid_and_dark_enough(live_server, browser):
    demo_load()
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
