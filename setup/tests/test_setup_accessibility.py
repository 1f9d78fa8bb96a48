"""The setup pages pass axe-core's WCAG 2.1 A and AA rules, empty and filled in."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from demo import data
from demo.loader import CURRENT_SLUG, demo_load
from seminar.models import User
from seminar.tests.test_accessibility import CHROMIUM, LAUNCH_ARGS, _check, _session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = ["basics", "dates", "staff", "topics", "rules"]


def test_setup_pages_have_no_accessibility_violations(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    demo_load(today=timezone.localdate())
    professor = User.objects.get(email=data.PROFESSOR[0])
    professor.user_permissions.add(Permission.objects.get(codename="create_seminar"))
    paths = [
        "/organize/new/",
        "/me/",
        f"/{CURRENT_SLUG}/setup/",
        *[f"/{CURRENT_SLUG}/setup/{step}/" for step in STEPS],
    ]
    session = _session(professor)  # before Playwright's loop runs in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            found = _check(browser, live_server.url, paths, session)
        finally:
            browser.close()
    assert found == {path: [] for path in paths}
