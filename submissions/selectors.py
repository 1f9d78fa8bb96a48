"""Reads of the submissions app. `deadline_of` is the one answer to "when is this due"."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from seminar.models import Registration, Seminar
from seminar.selectors import seminar_meetings
from submissions.due import due_moment
from submissions.enums import DeliverableKind, DueRule
from submissions.models import Deliverable
from topics.selectors import Talk, talks_of


def deliverables_of(seminar: Seminar, *, enabled_only: bool = True) -> dict[str, Deliverable]:
    """The seminar's deliverables by kind, in the order a student meets them."""
    found = {d.kind: d for d in seminar.deliverables.all()}
    return {
        kind: found[kind]
        for kind in DeliverableKind.values
        if kind in found and (found[kind].enabled or not enabled_only)
    }


@dataclass(frozen=True)
class SeminarCalendar:
    """What the relative due rules count from, read once for a whole seminar."""

    first_session_day: dt.date | None
    last_session_day: dt.date | None
    talks: dict[int, Talk]  # registration id -> talk


def seminar_calendar(seminar: Seminar) -> SeminarCalendar:
    sessions = seminar_meetings(seminar).sessions
    return SeminarCalendar(
        first_session_day=sessions[0].date if sessions else None,
        last_session_day=sessions[-1].date if sessions else None,
        talks=talks_of(seminar),
    )


def deadline_of(
    deliverable: Deliverable,
    registration: Registration | None,
    calendar: SeminarCalendar,
) -> dt.datetime | None:
    """When a deliverable is due for a student (None: not known yet, e.g. no talk yet).

    Without a registration: the seminar-wide due moment, for rules that do not depend on the
    student's own talk.
    """
    talk = calendar.talks.get(registration.pk) if registration is not None else None
    return due_moment(
        rule=deliverable.due_rule,
        days=deliverable.due_days,
        fixed_at=deliverable.due_fixed_at,
        talk_day=talk.starts_at.date() if talk else None,
        first_session_day=calendar.first_session_day,
        last_session_day=calendar.last_session_day,
    )


def rule_text(deliverable: Deliverable, calendar: SeminarCalendar) -> str:
    """The due rule in words, with the seminar-wide moment when there is one."""
    moment = deadline_of(deliverable, None, calendar)
    when = f" ({_format(moment)})" if moment else ""
    days = deliverable.due_days
    plural = "day" if days == 1 else "days"
    if deliverable.due_rule == DueRule.FIXED:
        return _format(deliverable.due_fixed_at)
    if deliverable.due_rule == DueRule.BEFORE_TALK:
        return f"{days} {plural} before your presentation, 23:59"
    if deliverable.due_rule == DueRule.BEFORE_FIRST_SESSION:
        return f"{days} {plural} before the first session{when or ', 23:59'}"
    return f"{days} {plural} after the last presentation{when or ', 23:59'}"


def _format(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")
