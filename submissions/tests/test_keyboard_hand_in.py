"""A participant hands in work by keyboard alone, with a visible focus at every step: the
file is chosen through the focused file input's own chooser (Space or Enter opens it), the
form is sent with Enter or Space on its button. Nothing clicks (see seminar/tests/keyboard.py)."""

import hashlib

import pytest

from demo.loader import CURRENT_SLUG
from seminar.tests.keyboard import PARTICIPANT, Keyboard, demo, log_in  # noqa: F401
from seminar.tests.test_accessibility import browser  # noqa: F401 (the fixture)
from submissions.models import SubmissionFile
from submissions.storage import submission_storage
from submissions.tests.factories import pdf_bytes, zip_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = f"/{CURRENT_SLUG}/me/"


def _stored(kind: str) -> tuple:
    """The participant's one file of a deliverable, and the digest of the bytes stored."""
    file = SubmissionFile.objects.select_related("submission__topic").get(
        submission__deliverable__seminar__slug=CURRENT_SLUG,
        submission__deliverable__kind=kind,
        uploaded_by__email=PARTICIPANT,
    )
    with submission_storage().open(file.stored_name) as stored:
        digest = hashlib.sha256(stored.read()).hexdigest()
    return file, digest


def test_report_on_the_hand_in_page_by_keyboard(live_server, demo, browser, tmp_path):  # noqa: F811
    topic = demo.topics.order_by("title").first()
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf_bytes(3))
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PARTICIPANT)
    keys.goto(f"/{CURRENT_SLUG}/hand-in/reports/")
    keys.tab_to("#id_reports1_topic")
    keys.press("ArrowDown")  # from "my own topic" to the first topic of the list
    keys.choose_file("#id_reports1_file", report)
    keys.tab_to("form:has(#id_reports1_file) button[type=submit]")
    keys.submit()
    file, digest = _stored("reports")
    assert (keys.page.url, keys.invisible) == (f"{live_server.url}{DASHBOARD}#submissions", [])
    assert (file.submission.number, file.submission.topic, file.original_name, file.pages) == (
        1,
        topic,
        "report.pdf",
        3,
    )
    assert digest == hashlib.sha256(report.read_bytes()).hexdigest()


def test_slide_draft_on_the_dashboard_by_keyboard(live_server, demo, browser, tmp_path):  # noqa: F811
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(pdf_bytes(6))
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PARTICIPANT)
    keys.goto(DASHBOARD)
    keys.choose_file("#id_slide_draft1_file", slides, key="Enter")
    keys.tab_to("form:has(#id_slide_draft1_file) button[type=submit]")
    keys.submit("Space")
    file, digest = _stored("slide_draft")
    assert (file.original_name, file.pages, file.version, keys.invisible) == (
        "slides.pdf",
        6,
        1,
        [],
    )
    assert digest == hashlib.sha256(slides.read_bytes()).hexdigest()


def test_project_with_its_repository_link_by_keyboard(live_server, demo, browser, tmp_path):  # noqa: F811
    project = tmp_path / "project.zip"
    project.write_bytes(zip_bytes())
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PARTICIPANT)
    keys.goto(f"/{CURRENT_SLUG}/hand-in/project/")
    keys.type("#id_project1_repository_url", "https://example.org/alex/diffusion")
    keys.choose_file("#id_project1_file", project)
    keys.tab_to("form:has(#id_project1_file) button[type=submit]")
    keys.submit()
    file, digest = _stored("project")
    assert (file.kind, file.submission.repository_url, keys.invisible) == (
        "zip",
        "https://example.org/alex/diffusion",
        [],
    )
    assert digest == hashlib.sha256(project.read_bytes()).hexdigest()
