"""Driving a page by keyboard alone, checking the focus indicator at every step: what every
keyboard test (seminar/tests/test_keyboard.py and the apps' test_keyboard_*.py) shares.

Tab and Shift+Tab move through a page, Space ticks and presses, Enter sends, and whatever has
the focus must show it (its outline or box-shadow differs from the same element without the
focus). No mouse: nothing here clicks."""

import pytest
from django.utils import timezone

from demo.loader import CURRENT_SLUG, demo_load
from seminar.models import Seminar

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

    def choose(self, selector: str, label: str) -> None:
        """Tab to a closed list and type the start of an option's label, which picks it."""
        self.tab_to(selector)
        self.page.keyboard.type(label)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def choose_file(self, selector: str, path, key: str = "Space") -> None:
        """Tab to a file input and open its chooser with `key`; the chooser must belong to the
        focused input (a file set any other way would not prove the keyboard can do it)."""
        # Listening before the Tabs lets the browser start intercepting choosers in time; a
        # listener added just before the key press can miss the chooser it opens.
        self.page.on("filechooser", lambda chooser: None)
        self.tab_to(selector)
        with self.page.expect_file_chooser() as chooser:
            self.page.keyboard.press(key)
        element = chooser.value.element
        assert self.page.evaluate("e => e === document.activeElement", element), selector
        chooser.value.set_files(path)

    def submit(self, key: str = "Enter") -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.snapshot()


def log_in(keys: Keyboard, email: str, password: str = PASSWORD) -> None:
    keys.goto("/accounts/login/")
    keys.type("#id_username", email)
    keys.type("#id_password", password)
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
