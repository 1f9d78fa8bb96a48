"""When a reminder is due: pure arithmetic, tested without a database."""

import datetime as dt

import pytest

from reminders.moments import (
    deadline_of_key,
    is_due,
    latest_due,
    reminder_key,
    reminder_moment,
    when_text,
)
from seminar.deadlines import end_of_day

UTC = dt.UTC
US = dt.timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("day", "moment_utc"),
    [
        # 29 March 2026: summer time starts (23:59 is UTC+2); two days before it is winter time
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 27, 21, 59, 59, 999999, tzinfo=UTC)),
        # 25 October 2026: winter time again (23:59 is UTC+1); two days before: summer time
        (dt.date(2026, 10, 25), dt.datetime(2026, 10, 23, 22, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_hours_before_are_real_hours_across_a_change_of_the_clocks(day, moment_utc):
    deadline = end_of_day(day)
    moment = reminder_moment(deadline, hours_before=48, day_at=None)
    assert moment == moment_utc
    assert deadline - moment == dt.timedelta(hours=48)


def test_wall_clock_arithmetic_would_have_been_an_hour_short():
    # The trap the UTC arithmetic avoids: aware datetimes in Berlin subtract wall-clock time.
    deadline = end_of_day(dt.date(2026, 3, 29))
    wall_clock = deadline - dt.timedelta(hours=48)
    assert deadline - wall_clock.astimezone(UTC) == dt.timedelta(hours=47)


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),  # 08:00 CEST
        (dt.date(2026, 10, 25), dt.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),  # 08:00 CET
        (dt.date(2026, 6, 1), dt.datetime(2026, 6, 1, 6, 0, tzinfo=UTC)),
    ],
)
def test_time_on_the_day_is_local_time_on_the_deadlines_own_day(day, expected_utc):
    deadline = end_of_day(day).astimezone(UTC)  # the day is Berlin's, whatever zone it comes in
    assert reminder_moment(deadline, hours_before=None, day_at=dt.time(8, 0)) == expected_utc


def test_due_from_its_moment_until_the_deadline_never_after_it():
    moment = dt.datetime(2030, 1, 1, 12, tzinfo=UTC)
    deadline = moment + dt.timedelta(hours=12)
    assert [
        is_due(moment, deadline, now)
        for now in (moment - US, moment, deadline - US, deadline, deadline + US)
    ] == [False, True, True, False, False]


def test_latest_due_sends_only_the_last_of_several_missed_moments():
    deadline = dt.datetime(2030, 1, 10, 12, tzinfo=UTC)
    week, day = deadline - dt.timedelta(days=7), deadline - dt.timedelta(days=1)
    candidates = [("week", week), ("day", day)]
    assert [
        latest_due(candidates, deadline, now)
        for now in (week - US, week, day - US, day, deadline - US, deadline)
    ] == [None, "week", "week", "day", "day", None]


def test_key_names_rule_student_and_deadline_in_utc_and_gives_the_deadline_back():
    deadline = end_of_day(dt.date(2026, 3, 29))
    key = reminder_key(rule_id=7, registration_id=42, deadline=deadline)
    assert key == "reminder:7:42:2026-03-29T21:59:59.999999+00:00"
    assert deadline_of_key(key) == deadline
    assert [deadline_of_key(k) for k in ("event-1", "reminder:1:2:soon", "reminder:1")] == [
        None,
        None,
        None,
    ]


def test_an_extension_makes_a_new_key():
    deadline = end_of_day(dt.date(2030, 1, 10))
    keys = {
        reminder_key(rule_id=1, registration_id=2, deadline=moment)
        for moment in (deadline, deadline + dt.timedelta(days=3))
    }
    assert len(keys) == 2


@pytest.mark.parametrize(
    ("hours", "at", "text"),
    [
        (48, None, "2 days before"),
        (24, None, "1 day before"),
        (168, None, "7 days before"),
        (12, None, "12 hours before"),
        (1, None, "1 hour before"),
        (None, dt.time(8, 0), "on the day at 08:00"),
    ],
)
def test_when_text(hours, at, text):
    assert when_text(hours_before=hours, day_at=at) == text
