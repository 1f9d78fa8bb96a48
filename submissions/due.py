"""When a deliverable is due for one student: pure date arithmetic, no database.

Relative rules count calendar days in Berlin and end at 23:59:59.999999 local time, so a
deadline is the same wall-clock moment whether or not the clocks changed in between.
"""

import datetime as dt

from seminar.deadlines import end_of_day
from submissions.enums import DueRule


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
