"""The grading pages of the site pass axe-core's WCAG 2.1 A and AA rules in Chromium."""

import pytest
from django.urls import reverse

from grading.enums import ExportStatus
from grading.models import GradeSheetExport
from grading.services import grades_release, grading_save
from grading.tests.factories import grade_completely, grading_world
from seminar.tests.test_accessibility import CHROMIUM, LAUNCH_ARGS, _check, _session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grading_pages_pass_axe(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = grading_world(3)
    passed, failed, incomplete = world.students
    grade_completely(passed, by=world.organizer)
    grade_completely(failed, by=world.organizer, presentation="5.0")
    grading_save(registration=incomplete, values={"presentation": "2.0"}, by=world.organizer)
    slug = world.seminar.slug
    pending = GradeSheetExport.objects.create(
        seminar=world.seminar, students=3, status=ExportStatus.RUNNING, progress=40
    )
    failed_export = GradeSheetExport.objects.create(
        seminar=world.seminar, students=3, status=ExportStatus.FAILED, error="out of fonts"
    )
    organizer_pages = [
        reverse("grading:grades", args=[slug]),
        reverse("grading:release", args=[slug]),
        reverse("grading:export", args=[slug, pending.pk]),
        reverse("grading:export", args=[slug, failed_export.pk]),
        reverse("seminar:organize", args=[slug]),
    ]
    dashboard = reverse("seminar:dashboard", args=[slug])
    # Every query before a browser starts: once Playwright's loop runs in this thread, a query
    # would open a connection that nobody closes.
    organizer = _session(world.organizer)
    students = {r.student.full_name: _session(r.student) for r in world.students}
    found = axe_of(live_server.url, {organizer: organizer_pages})
    grades_release(seminar=world.seminar, by=world.organizer)
    after = {organizer: [organizer_pages[0]]} | {s: [dashboard] for s in students.values()}
    found |= {f"after release {k}": v for k, v in axe_of(live_server.url, after).items()}
    assert found == {page: [] for page in found}


def axe_of(base_url: str, visits: dict[str, list[str]]) -> dict:
    """axe's violations per session and page."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for number, (session, paths) in enumerate(visits.items()):
                for path, violations in _check(browser, base_url, paths, session).items():
                    found[f"{path} (viewer {number})"] = violations
        finally:
            browser.close()
    return found
