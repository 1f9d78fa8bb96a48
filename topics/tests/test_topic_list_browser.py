"""In Chromium: the organizer starts the next run, then imports a topic list into it (a file with
wrong rows first, then a good one); every state passes axe."""

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from demo.loader import PUBLISHED_SLUG, demo_load
from seminar.models import Seminar, User
from seminar.tests.test_accessibility import CHROMIUM, LAUNCH_ARGS, _violations
from seminar.tests.test_browser import SCREENSHOTS
from topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PROFESSOR = "helena.brandt@example.org"
PUBLISHED_TITLE_START = "Deep Generative Diffusion Models"


@pytest.fixture
def organizer_session():
    demo_load()
    client = Client()
    client.force_login(User.objects.get(email=PROFESSOR))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def page(monkeypatch, live_server, organizer_session):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": organizer_session,
                    "url": live_server.url,
                }
            ]
        )
        try:
            yield context.new_page()
        finally:
            browser.close()
            # Queries the test made while Playwright's loop ran opened a connection of their own.
            connections.close_all()


def test_next_run_then_topic_import_in_the_browser(live_server, page, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    page.goto(f"{live_server.url}/{PUBLISHED_SLUG}/organize/")
    page.get_by_test_id("carry-forward").click()
    page.get_by_label("New term").fill("Winter 2026/27")
    page.get_by_label("Title").fill("Diffusion Models Again")
    page.get_by_label("Enter the dates later").check()
    found["next run form"] = _violations(page)
    page.screenshot(path=SCREENSHOTS / "carry-forward-form.png", full_page=True)
    page.get_by_role("button", name="Create the next run").click()
    page.wait_for_url("**/diffusion-models-again-ws2026/organize/")
    found["new run's organizer page"] = _violations(page)

    target = Seminar.objects.get(slug="diffusion-models-again-ws2026")
    Topic.objects.filter(seminar=target).delete()
    page.get_by_role("link", name="Import topics (CSV)").click()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "title,supervisor_email,mock_group\r\n"
        "A paper,greta.gruber@example.org,0\r\n"
        "=HYPERLINK(1),nobody@example.org,1\r\n",
        encoding="utf-8",
    )
    page.get_by_label("Topic list (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_test_id("import-errors").wait_for()
    found["import with errors"] = _violations(page)
    page.screenshot(path=SCREENSHOTS / "topic-import-errors.png", full_page=True)

    good = tmp_path / "good.csv"
    good.write_text(
        "title,year,supervisor_email,mock_group\r\n"
        "A paper,2024,greta.gruber@example.org,1\r\n"
        "Another paper,2025,moritz.bauer@example.org,2\r\n",
        encoding="utf-8",
    )
    page.get_by_label("Topic list (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_test_id("import-confirm").wait_for()
    found["import preview"] = _violations(page)
    page.screenshot(path=SCREENSHOTS / "topic-import-preview.png", full_page=True)
    page.get_by_test_id("import-confirm").click()
    page.wait_for_url("**/diffusion-models-again-ws2026/organize/")

    assert {name: v for name, v in found.items() if v} == {}
    assert sorted(Topic.objects.filter(seminar=target).values_list("title", flat=True)) == [
        "A paper",
        "Another paper",
    ]


def test_next_run_through_the_admin_action_in_the_browser(live_server, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/admin/seminar/seminar/")
    page.get_by_role("row", name=PUBLISHED_TITLE_START).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("carry_forward")
    page.get_by_role("button", name="Go").click()
    page.get_by_test_id("carry-forward-form").wait_for()
    page.screenshot(path=SCREENSHOTS / "carry-forward-admin.png", full_page=True)
    page.get_by_label("New term").fill("Summer 2027")
    page.get_by_role("spinbutton", name="Weeks").fill("0")
    page.get_by_role("button", name="Create the next run").click()
    page.wait_for_url("**/admin/seminar/seminar/*/change/")
    assert "deep-diffusion-ss2027" in page.content()
    assert Seminar.objects.filter(slug="deep-diffusion-ss2027", term="Summer 2027").count() == 1
