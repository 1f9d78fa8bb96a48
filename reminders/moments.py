"""When a reminder is due: pure date arithmetic, no Django.

Offsets are real time: "48 hours before" a deadline is 48 elapsed hours, computed in UTC, so a
change of the clocks in between neither shortens nor stretches it (the wall-clock time moves by
the hour instead). "On the deadline's day at 08:00" is that local time in Berlin.
"""

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Berlin")
MAX_HOURS_BEFORE = 24 * 60  # sixty days

T = TypeVar("T")


def reminder_moment(
    deadline: dt.datetime, *, hours_before: int | None, day_at: dt.time | None
) -> dt.datetime:
    """The moment a reminder of this deadline is due (aware, in UTC)."""
    if hours_before is not None:
        # In UTC: aware arithmetic in Berlin would count wall-clock hours across a DST change.
        return deadline.astimezone(dt.UTC) - dt.timedelta(hours=hours_before)
    if day_at is None:
        raise ValueError("a rule needs hours_before or day_at")
    day = deadline.astimezone(LOCAL_ZONE).date()
    return dt.datetime.combine(day, day_at, tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def is_due(moment: dt.datetime, deadline: dt.datetime, now: dt.datetime) -> bool:
    """Due from its moment until the deadline; never after it. A moment that passed while no
    scan ran is caught up as long as the deadline is ahead."""
    return moment <= now < deadline


def latest_due(
    candidates: Iterable[tuple[T, dt.datetime]], deadline: dt.datetime, now: dt.datetime
) -> T | None:
    """Of the reminders of one deadline (item, moment), the one to send now: the latest whose
    moment has come. When several are due at once (nothing ran for a while), only the last
    goes out; the earlier ones it stands for are never sent later."""
    due = [(moment, index, item) for index, (item, moment) in enumerate(candidates)]
    due = [entry for entry in due if is_due(entry[0], deadline, now)]
    return max(due, key=lambda entry: (entry[0], -entry[1]))[2] if due else None


def reminder_key(*, rule_id: int, registration_id: int, deadline: dt.datetime) -> str:
    """The outbox key, the ledger of "sent once": one per rule, student and deadline moment.
    An extension moves the deadline and so makes a new key."""
    return f"reminder:{rule_id}:{registration_id}:{deadline.astimezone(dt.UTC).isoformat()}"


def deadline_of_key(key: str) -> dt.datetime | None:
    """The deadline moment written into a reminder's key (None: not a reminder key)."""
    prefix, _, rest = key.partition(":")
    parts = rest.split(":", 2)
    if prefix != "reminder" or len(parts) != 3:
        return None
    try:
        return dt.datetime.fromisoformat(parts[2])
    except ValueError:
        return None


def when_text(*, hours_before: int | None, day_at: dt.time | None) -> str:
    """A rule's moment in words: "48 hours before", "7 days before", "on the day at 08:00"."""
    if hours_before is not None:
        if hours_before % 24 == 0:
            days = hours_before // 24
            return f"{days} day{'s' if days != 1 else ''} before"
        return f"{hours_before} hour{'s' if hours_before != 1 else ''} before"
    if day_at is not None:
        return f"on the day at {day_at:%H:%M}"
    return "never"
