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


def _check(browser, base_url: str, paths: list[str], session: str | None = None) -> dict:
    """axe's violations of each page, as seen by the session's user (a visitor if None)."""
    context = browser.new_context()
    if session is not None:
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}
        context.add_cookies([cookie])
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
            browser.close()


@pytest.fixture
def visits():
    """(paths, session) per viewer: the demo seminars in every state a person can reach."""
    demo_load(today=timezone.localdate())
    users = _states()
    current, published = f"/{CURRENT_SLUG}/", f"/{PUBLISHED_SLUG}/"
    confirmed_registration = Registration.objects.get(
        seminar__slug=CURRENT_SLUG, student=users[RegistrationStatus.CONFIRMED]
    )
    found = [
        (
            [
                "/",
                current,
                published,
                "/accounts/login/",
                "/accounts/signup/",
                "/accounts/password_reset/",
                "/accounts/password_reset/done/",
            ],
            None,
        ),
        (
            [
                published,
                f"{published}me/",
                current,
                f"{current}me/",
                "/me/",
                f"{current}withdraw/",
                "/me/data/",  # deletion refused: the reasons
            ],
            _session(User.objects.get(email=PARTICIPANT)),
        ),
        (
            [
                current,
                f"{current}organize/",
                f"{current}organize/?status=waiting&q=x",
                f"{current}organize/participants/{confirmed_registration.pk}/remove/",
                f"{current}organize/allocation/",
                f"{current}organize/next-run/",
                f"{current}organize/topics/import/",
                "/me/",
            ],
            _session(User.objects.get(email=PROFESSOR)),
        ),
    ]
    for state, user in users.items():
        paths = [current, f"{current}me/"]
        if state == RegistrationStatus.CONFIRMED:
            paths.append(f"{current}preferences/")
        if state == "none":
            paths.append("/me/data/")  # the deletion form
        found.append(([f"{path}#{state}" for path in paths], _session(user)))
    return found


def test_every_page_and_state_passes_axe(live_server, visits, browser):
    found = {}
    for paths, session in visits:
        found |= _check(browser, live_server.url, paths, session)
    assert {path: v for path, v in found.items() if v} == {}


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
