"""Grading in the admin by keyboard alone, with a visible focus at every step: a supervisor
fills in a student's whole grading page, an organizer changes the grading scheme in the
seminar's inline and releases the grades through the list's action. Nothing clicks (see
seminar/tests/keyboard.py)."""

import pytest
from django.urls import reverse

from grading.fields import Kind, grading_fields
from grading.models import GradingScheme
from grading.selectors import gradings_of
from grading.tests.factories import grading_world
from seminar.tests.keyboard import Keyboard, log_in
from seminar.tests.test_accessibility import browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-1"  # the factories'
EXPLANATION = "0.50 × 1.3 + 0.35 × 2.0 + 0.15 × 1.7 = 1.605 → 1.7; project bonus → 1.3"
# What the keyboard enters for each kind of input (a list: the start of the option's label).
GRADES = {"presentation": "1.3", "participation": "1.7"}
CHOICES = {Kind.ATTENDANCE: "attended", Kind.PROJECT: "bonus"}


def _fields(registration) -> dict:
    grading = gradings_of(registration.seminar, [registration])[registration.pk]
    return grading_fields(grading, team_editable=True)


def _enter(keys: Keyboard, key: str, kind: Kind) -> object:
    """Enter one input of the grading page; the value it then holds, in the form's terms."""
    selector = f"#id_{key}"
    if kind == Kind.GRADE:
        keys.choose(selector, GRADES.get(key, "2.0"))
        return GRADES.get(key, "2.0")
    if kind in CHOICES:
        keys.choose(selector, CHOICES[kind])
        return {"attended": "yes"}.get(CHOICES[kind], CHOICES[kind])
    if kind in (Kind.TICK, Kind.GIVEN):
        keys.tab_to(selector)
        keys.press("Space")
        return True
    if kind == Kind.MINUTES:
        keys.type(selector, "22")
        return 22
    keys.type(selector, f"Noted: {key}.")
    return f"Noted: {key}."


def test_supervisor_fills_in_the_grading_page_by_keyboard(live_server, browser):  # noqa: F811
    world = grading_world(2)
    student = world.students[0]
    fields = _fields(student)
    keys = Keyboard(browser.new_page(viewport={"width": 1280, "height": 900}), live_server.url)
    log_in(keys, world.supervisor.email, PASSWORD)
    keys.goto(reverse("admin:grading_gradedstudent_changelist"))
    keys.tab_to(f"#result_list a[href$='/{student.pk}/change/']")
    keys.submit()
    expected = {}
    for key, field in fields.items():
        if key != "project_result":  # the student's own result stays the team's
            expected[key] = _enter(keys, key, field.kind)
    keys.tab_to("input[type=submit][value='Save grades']")
    keys.submit()
    entered = {key: field.value for key, field in _fields(student).items()}
    grading = gradings_of(world.seminar, [student])[student.pk]
    assert entered == {**expected, "project_result": ""}
    assert (len(expected), grading.computation, keys.invisible) == (20, EXPLANATION, [])


def test_organizer_changes_the_grading_scheme_inline_by_keyboard(live_server, browser):  # noqa: F811
    world = grading_world(1)
    keys = Keyboard(browser.new_page(viewport={"width": 1280, "height": 900}), live_server.url)
    log_in(keys, world.organizer.email, PASSWORD)
    keys.goto(reverse("admin:seminar_seminar_change", args=[world.seminar.pk]))
    prefix = "#id_grading_scheme-0-"
    for name, value in [("presentation", "60"), ("reports", "30"), ("participation", "10")]:
        keys.tab_to(f"{prefix}weight_{name}", limit=600)
        keys.press("ControlOrMeta+a")
        keys.page.keyboard.type(value)
    keys.type(f"{prefix}bonus_steps", "2")
    keys.tab_to("input[type=submit][name=_save]")
    keys.submit()
    scheme = GradingScheme.objects.get(seminar=world.seminar)
    weights = (scheme.weight_presentation, scheme.weight_reports, scheme.weight_participation)
    assert (weights, scheme.bonus_steps, keys.invisible) == ((60, 30, 10), 2, [])


def test_organizer_releases_the_grades_by_the_admin_action_by_keyboard(live_server, browser):  # noqa: F811
    world = grading_world(1)
    keys = Keyboard(browser.new_page(viewport={"width": 1280, "height": 900}), live_server.url)
    log_in(keys, world.organizer.email, PASSWORD)
    keys.goto(reverse("admin:seminar_seminar_changelist"))
    keys.choose("select[name=action]", "Release grades")
    keys.tab_to(f"input[name=_selected_action][value='{world.seminar.pk}']")
    keys.press("Space")
    keys.tab_to("button[name=index]")
    keys.submit()
    keys.tab_to("input[type=submit][value^='Release and e-mail 1 student']")
    keys.submit()
    scheme = GradingScheme.objects.get(seminar=world.seminar)
    assert (scheme.is_released, keys.invisible) == (True, [])
