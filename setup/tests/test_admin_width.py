"""The admin's seminar and topic pages stay usable at 1,280 px: nothing wider than the window.
Screenshots at 1,280 and 390 px go to var/screenshots/setup/ (at 390 the admin may scroll
inside its tables)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from demo.loader import CURRENT_SLUG, demo_load
from seminar.models import Seminar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "setup"

WIDER_THAN_WINDOW = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 8)
  .map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`)
"""


@pytest.mark.parametrize("who", ["admin@example.org", "helena.brandt@example.org"])
def test_admin_seminar_and_topic_pages_fit_1280(live_server, monkeypatch, who):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    demo_load(today=timezone.localdate())
    seminar = Seminar.objects.get(slug=CURRENT_SLUG)
    topic = seminar.topics.first()
    pages = {
        "admin-seminar": f"/admin/seminar/seminar/{seminar.pk}/change/",
        "admin-topic": f"/admin/topics/topic/{topic.pk}/change/",
        "admin-topic-add": "/admin/topics/topic/add/",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    role = "superuser" if who.startswith("admin") else "organizer"
    too_wide = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{live_server.url}/admin/login/")
            page.locator("#id_username").fill(who)
            page.locator("#id_password").fill("diffusion-demo")
            page.locator("input[type=submit]").click()
            page.wait_for_url(f"{live_server.url}/admin/")
            for name, path in pages.items():
                page.goto(f"{live_server.url}{path}")
                for width in (1280, 390):
                    page.set_viewport_size({"width": width, "height": 900})
                    page.screenshot(path=SCREENSHOTS / f"{name}-{role}-{width}.png", full_page=True)
                    if width == 1280 and name == "admin-seminar":
                        page.locator("#topics-group").screenshot(
                            path=SCREENSHOTS / f"admin-seminar-topics-inline-{role}-1280.png"
                        )
                    if width == 1280:
                        scroll_width = page.evaluate("document.documentElement.scrollWidth")
                        if scroll_width > width:
                            too_wide[name] = (scroll_width, page.evaluate(WIDER_THAN_WINDOW))
                page.set_viewport_size({"width": 1280, "height": 900})
        finally:
            browser.close()
    assert too_wide == {}
