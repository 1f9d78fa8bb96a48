"""Every form of the site works by keyboard alone, with a visible focus: Tab and Shift+Tab move
through it, Space ticks and presses, Enter sends, and whatever has the focus shows it (its
outline or box-shadow differs from the same element without the focus). No mouse: nothing here
clicks."""

import pytest
from django.utils import timezone

from demo.loader import CURRENT_SLUG, demo_load
from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar, User
from seminar.tests.test_accessibility import browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "diffusion-demo"  # every demo account's
PROFESSOR = "helena.brandt@example.org"
PARTICIPANT = "alex.kramer@example.org"

FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
SNAPSHOT = """sel => {
    if (document.activeElement) document.activeElement.blur();
    const elements = [...document.querySelectorAll(sel)];
    elements.forEach((e, i) => { e.dataset.kb = i; });
    return elements.map(e => {
        const s = getComputedStyle(e);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow];
    });
}"""
FOCUSED = """() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return {
        index: e.dataset.kb === undefined ? -1 : Number(e.dataset.kb),
        style: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow],
        name: e.name || e.id || e.textContent.trim().slice(0, 40) || e.tagName,
    };
}"""


class Keyboard:
    """One page driven by the keyboard, checking the focus indicator at every step."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.unfocused: list = []
        self.invisible: list[str] = []  # focused elements that did not show it

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.snapshot()

    def snapshot(self) -> None:
        self.page.wait_for_load_state()
        self.unfocused = self.page.evaluate(SNAPSHOT, FOCUSABLE)

    def _press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        focused = self.page.evaluate(FOCUSED)
        if focused["index"] >= 0:
            before = self.unfocused[focused["index"]]
            outline = focused["style"][0] != "none" and focused["style"][1] != "0px"
            if focused["style"] == before or not (outline or focused["style"][3] != "none"):
                self.invisible.append(f"{self.page.url} {focused['name']}")
        return focused

    def tab_to(self, selector: str, *, backwards: bool = False, limit: int = 200) -> None:
        """Tab (or Shift+Tab) until the element that matches `selector` has the focus."""
        for _ in range(limit):
            self._press("Shift+Tab" if backwards else "Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} is not reached by {'Shift+' * backwards}Tab")

    def type(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def submit(self, key: str = "Enter") -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.snapshot()


def _log_in(keys: Keyboard, email: str) -> None:
    keys.goto("/accounts/login/")
    keys.type("#id_username", email)
    keys.type("#id_password", PASSWORD)
    keys.tab_to("#id_username", backwards=True)  # back, and forth again
    keys.tab_to("#id_password")
    keys.submit()


@pytest.fixture
def demo():
    demo_load(today=timezone.localdate())
    seminar = Seminar.objects.get(slug=CURRENT_SLUG)
    seminar.preferences_opened_at = timezone.now()
    seminar.save()
    return seminar


def test_signup_login_and_register_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    keys.goto("/accounts/signup/")
    keys.type("#id_full_name", "Kim Keyboard")
    keys.type("#id_email", "kim@example.org")
    keys.type("#id_matriculation_number", "1234567")
    keys.tab_to("#id_degree_level")
    keys.press("ArrowDown")  # a select is chosen by its arrows
    keys.type("#id_programme", "Computer Science")
    keys.type("#id_password1", "a long pass phrase 42")
    keys.type("#id_password2", "a long pass phrase 42")
    keys.tab_to("button[type=submit]:not(.nav-link)")
    keys.submit()
    user = User.objects.get(email="kim@example.org")

    keys.goto(f"/{CURRENT_SLUG}/")
    keys.tab_to(f"form[action='/{CURRENT_SLUG}/register/'] button")
    keys.submit("Space")
    registration = Registration.objects.get(seminar=demo, student=user)

    keys.goto(f"/{CURRENT_SLUG}/withdraw/")
    keys.tab_to("main button.btn-danger")
    keys.submit()
    registration.refresh_from_db()
    assert (registration.status, keys.invisible) == (RegistrationStatus.WITHDRAWN, [])


def test_preferences_by_keyboard(live_server, demo, browser):  # noqa: F811
    topics = list(demo.topics.order_by("pk")[:3])
    keys = Keyboard(browser.new_page(), live_server.url)
    _log_in(keys, PARTICIPANT)
    keys.goto(f"/{CURRENT_SLUG}/preferences/")
    for topic in topics:
        keys.tab_to(f"input[value='{topic.pk}']")
        keys.press("Space")
    keys.tab_to("form button[type=submit]:not(.nav-link)")
    keys.submit()
    chosen = set(
        Registration.objects.get(seminar=demo, student__email=PARTICIPANT).preferences.values_list(
            "topic_id", flat=True
        )
    )
    assert (chosen, keys.invisible) == ({t.pk for t in topics}, [])


def test_organizer_capacity_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    _log_in(keys, PROFESSOR)
    keys.goto(f"/{CURRENT_SLUG}/organize/")
    keys.type("#id_capacity", "31")
    keys.submit()
    demo.refresh_from_db()
    keys.goto(f"/{CURRENT_SLUG}/organize/")
    keys.type("input[name=q]", "kramer")
    keys.submit()
    assert (demo.capacity, "q=kramer" in keys.page.url, keys.invisible) == (31, True, [])


def test_password_reset_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    keys.goto("/accounts/password_reset/")
    keys.type("#id_email", PARTICIPANT)
    keys.submit()
    assert (keys.page.url, keys.invisible) == (
        f"{live_server.url}/accounts/password_reset/done/",
        [],
    )


def test_allocation_run_and_late_choice_hours_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    _log_in(keys, PROFESSOR)
    keys.goto(f"/{CURRENT_SLUG}/organize/allocation/")
    keys.type("#id_seed", "7")
    keys.submit()
    keys.type("#id_late_choice_hours", "12")
    keys.submit()
    run = demo.allocation_runs.get()
    hours = Seminar.objects.get(pk=demo.pk).topic_settings.late_choice_hours
    assert (run.seed, hours, keys.invisible) == (7, 12, [])
