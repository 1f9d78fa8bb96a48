"""When a deliverable is due for one student: pure date arithmetic, no database.

Relative rules count calendar days in Berlin and end at 23:59:59.999999 local time, so a
deadline is the same wall-clock moment whether or not the clocks changed in between.
"""

import datetime as dt

from seminar.deadlines import end_of_day
from submissions.enums import DeliverableState, DueRule


def due_moment(
    *,
    rule: str,
    days: int,
    fixed_at: dt.datetime | None,
    talk_day: dt.date | None,
    first_session_day: dt.date | None,
    last_session_day: dt.date | None,
) -> dt.datetime | None:
    """The due moment by the rule, or None while what it counts from is not known yet."""
    if rule == DueRule.FIXED:
        return fixed_at
    if rule == DueRule.BEFORE_TALK:
        base, offset = talk_day, -days
    elif rule == DueRule.BEFORE_FIRST_SESSION:
        base, offset = first_session_day, -days
    elif rule == DueRule.AFTER_LAST_SESSION:
        base, offset = last_session_day, days
    else:
        raise ValueError(f"unknown due rule {rule!r}")
    if base is None:
        return None
    try:
        return end_of_day(base + dt.timedelta(days=offset))
    except OverflowError:  # a date saved before dates were validated, e.g. 9999-12-31
        return None


def effective_moment(base: dt.datetime | None, extensions: list[dt.datetime]) -> dt.datetime | None:
    """The deadline that counts: the rule's, or the latest extension when that is later.

    An extension never shortens a deadline, also when the schedule moves the rule's moment
    past it afterwards.
    """
    moments = [m for m in [base, *extensions] if m is not None]
    return max(moments) if moments else None


def deliverable_state(
    *,
    complete: bool,
    effective: dt.datetime | None,
    extended: bool,
    now: dt.datetime,
) -> str:
    """missing, submitted, late or extended: everything required is in (submitted); else the
    deadline that counts has passed (late), or an extension keeps it open (extended), or it
    is still ahead or not known yet (missing)."""
    if complete:
        return DeliverableState.SUBMITTED
    if effective is not None and now > effective:
        return DeliverableState.LATE
    if extended:
        return DeliverableState.EXTENDED
    return DeliverableState.MISSING


def countdown_changes_at(due: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The next moment the countdown to `due` ("2 days, 3 hours left", "closed 5 minutes ago",
    Django's timeuntil/timesince) may read differently: it counts whole minutes from the
    deadline, so its text stays the same until the next whole minute before or after it."""
    minute = dt.timedelta(minutes=1)
    if now < due:
        changes = due - ((due - now) // minute) * minute
        # On the whole minute itself it reads differently right after: true for no time at all.
        return changes if changes > now else now + dt.timedelta(microseconds=1)
    return due + ((now - due) // minute + 1) * minute
