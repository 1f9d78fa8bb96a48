"""Places in this app's pages that higher apps fill with panels, so this app imports none of them.

A panel is a function (request, seminar, registration) -> HTML or None, registered from the
higher app's AppConfig.ready(). Each panel does a fixed number of queries.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from seminar.models import Registration, Seminar

Panel = Callable[[HttpRequest, Seminar, Registration | None], str | None]

SEMINAR_PAGE = "seminar_page"  # after the rules on /<slug>/: reading list, supplementary list
DASHBOARD = "dashboard"  # a participant's /<slug>/me/: own topic, submissions, grades
ORGANIZER_MENU = "organizer_menu"  # links on the organizer's page

_panels: dict[str, list[tuple[int, Panel]]] = {}


def register(slot: str, *, order: int = 100) -> Callable[[Panel], Panel]:
    def decorator(panel: Panel) -> Panel:
        entries = _panels.setdefault(slot, [])
        if panel not in [p for _, p in entries]:
            entries.append((order, panel))
            entries.sort(key=lambda entry: entry[0])
        return panel

    return decorator


def render(
    slot: str, request: HttpRequest, seminar: Seminar, registration: Registration | None
) -> list[SafeString]:
    rendered = (panel(request, seminar, registration) for _, panel in _panels.get(slot, []))
    return [SafeString(html) for html in rendered if html]
