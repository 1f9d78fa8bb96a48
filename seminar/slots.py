"""Places in this app's pages that higher apps fill with panels, so this app imports none of them.

A panel is a function (request, seminar, registration) -> HTML or None, registered from the
higher app's AppConfig.ready(). Each panel does a fixed number of queries.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString

from seminar.models import Registration, Seminar

Panel = Callable[[HttpRequest, Seminar, Registration | None], str | None]

SEMINAR_RULES = "seminar_rules"  # after "To pass the seminar" on /<slug>/: how grades are made
SEMINAR_PAGE = "seminar_page"  # after the rules on /<slug>/: deliverables, reading list
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


# The moments at which a panel may change by the clock alone (a deadline passes, a countdown
# shows the next minute, a window opens or closes): a kept dashboard is served only until the
# earliest one (seminar.dashboard_cache). A source may name past moments or None; they are left
# out. Only moments: whatever else a panel shows changes through a model that bumps a version.
MomentSource = Callable[[Seminar, Registration | None, dt.datetime], Iterable[dt.datetime | None]]
_moment_sources: dict[str, list[MomentSource]] = {}


def register_moments(slot: str) -> Callable[[MomentSource], MomentSource]:
    def decorator(source: MomentSource) -> MomentSource:
        sources = _moment_sources.setdefault(slot, [])
        if source not in sources:
            sources.append(source)
        return source

    return decorator


def next_moment(
    slot: str, seminar: Seminar, registration: Registration | None, now: dt.datetime
) -> dt.datetime | None:
    """The earliest moment from `now` on at which a panel of `slot` may change by the clock (a
    deadline at `now` itself counts: what is due "by" it reads differently right after)."""
    ahead = [
        moment
        for source in _moment_sources.get(slot, [])
        for moment in source(seminar, registration, now)
        if moment is not None and moment >= now
    ]
    return min(ahead, default=None)


@dataclass(frozen=True)
class Deadline:
    """A moment a student must act by, as the app that owns it computes it (extensions included)."""

    label: str
    due_at: dt.datetime


DeadlineSource = Callable[[Registration], list[Deadline]]
_deadline_sources: list[DeadlineSource] = []


def register_deadlines(source: DeadlineSource) -> DeadlineSource:
    """Higher apps add their deadlines, so that e-mails of lower apps can list them."""
    if source not in _deadline_sources:
        _deadline_sources.append(source)
    return source


def deadlines_for(registration: Registration) -> list[Deadline]:
    """Every deadline of one student that is known now, earliest first."""
    found = [deadline for source in _deadline_sources for deadline in source(registration)]
    return sorted(found, key=lambda deadline: deadline.due_at)


# A clock step does, for one seminar, what the passing of time made due (offers that ran out,
# late joiners whose time to choose ran out), unless the seminar's lock is busy, and returns the
# next moment it will have work (None: nothing pending). Every page of a seminar runs the steps
# before it reads, so nothing waits for the scheduler; the cached seminar page stays true only
# until the earliest of those moments.
ClockStep = Callable[[Seminar], dt.datetime | None]
_clock_steps: list[tuple[ClockStep, bool]] = []


def register_clock_step(step: ClockStep, *, until_changed: bool = False) -> ClockStep:
    """`until_changed`: the step's next moment moves only when the seminar's data changes
    (everything it reads bumps the seminar's page version, seminar.cache), so until that
    moment, or a change, the step is not run again: a read of the page then asks nothing."""
    if step not in [s for s, _ in _clock_steps]:
        _clock_steps.append((step, until_changed))
    return step


def clock_steps_run(seminar: Seminar) -> list[dt.datetime]:
    """Run every app's clock step; the moments when each next has work (a past one: skipped)."""
    from seminar.cache import clock_moment_keep, clock_moment_kept

    moments = []
    for step, until_changed in _clock_steps:
        if not until_changed:
            moments.append(step(seminar))
            continue
        settled, moment, version = clock_moment_kept(step, seminar, timezone.now())
        if not settled:
            moment = step(seminar)
            clock_moment_keep(step, seminar, version, moment)
        moments.append(moment)
    return [moment for moment in moments if moment is not None]


# What a seminar still lacks before registration may open, as the apps above judge it (the setup
# checklist); every door that opens registration asks through registration_open_now.
OpeningCheck = Callable[[Seminar], list[str]]
_opening_checks: list[OpeningCheck] = []


def register_opening_check(check: OpeningCheck) -> OpeningCheck:
    if check not in _opening_checks:
        _opening_checks.append(check)
    return check


def opening_gaps(seminar: Seminar) -> list[str]:
    return [gap for check in _opening_checks for gap in check(seminar)]
