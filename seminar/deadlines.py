"""Date arithmetic of the seminar's rules, in the seminar's time zone (Europe/Berlin)."""

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Berlin")
# "Due at 23:59" accepts everything up to the last microsecond of 23:59:59 local time.
END_OF_DAY = dt.time(23, 59, 59, 999999)


def at_local(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment of a wall-clock time on a day in Berlin."""
    return dt.datetime.combine(day, time, tzinfo=LOCAL_ZONE)


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline 'at 23:59' ends at 23:59:59.999999 local time, on days the clocks change too."""
    return at_local(day, END_OF_DAY)


def days_after(day: dt.date, days: int) -> dt.datetime:
    """The deadline 'n days after' a day, at 23:59."""
    return end_of_day(day + dt.timedelta(days=days))


def shifted_by_weeks(moment: dt.datetime, weeks: int) -> dt.datetime:
    """The same local wall-clock time, `weeks` weeks later on the local calendar.

    A 10:00 session in October (summer time) moved into November (winter time) stays at 10:00
    local time; the elapsed hours differ by the change of the clocks.
    """
    local = moment.astimezone(LOCAL_ZONE)
    day = local.date() + dt.timedelta(weeks=weeks)
    return dt.datetime.combine(day, local.time(), tzinfo=LOCAL_ZONE).replace(fold=local.fold)
