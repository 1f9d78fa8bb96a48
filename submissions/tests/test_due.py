"""Due moments by rule: pure arithmetic, exact to the microsecond, on daylight-saving days too."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from submissions.due import due_moment
from submissions.enums import DueRule

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def due(rule: str, days: int, *, talk=None, first=None, last=None, fixed=None):
    return due_moment(
        rule=rule,
        days=days,
        fixed_at=fixed,
        talk_day=talk,
        first_session_day=first,
        last_session_day=last,
    )


def test_slide_draft_due_seven_days_before_the_talk_at_the_last_microsecond_of_2359():
    moment = due(DueRule.BEFORE_TALK, 7, talk=dt.date(2023, 3, 6))
    assert moment == dt.datetime(2023, 2, 27, 23, 59, 59, 999999, tzinfo=BERLIN)
    assert moment.astimezone(UTC) == dt.datetime(2023, 2, 27, 22, 59, 59, 999999, tzinfo=UTC)


def test_reports_due_fourteen_days_after_the_last_session():
    moment = due(DueRule.AFTER_LAST_SESSION, 14, last=dt.date(2023, 3, 7))
    assert moment.astimezone(UTC) == dt.datetime(2023, 3, 21, 22, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (dt.date(2026, 3, 28), 22),  # the day before summer time: UTC+1
        (dt.date(2026, 3, 29), 21),  # clocks go forward at 02:00: 23:59 is UTC+2
        (dt.date(2026, 10, 24), 21),  # still summer time
        (dt.date(2026, 10, 25), 22),  # clocks go back at 03:00: 23:59 is UTC+1 again
    ],
)
def test_end_of_day_is_2359_local_on_daylight_saving_days(day, utc_hour):
    moment = due(DueRule.AFTER_LAST_SESSION, 0, last=day)
    assert moment.astimezone(UTC) == dt.datetime(
        day.year, day.month, day.day, utc_hour, 59, 59, 999999, tzinfo=UTC
    )


def test_relative_rule_across_a_clock_change_keeps_the_wall_clock_time():
    # 29 March 2026 lies between the session and the deadline: still 23:59 local.
    moment = due(DueRule.AFTER_LAST_SESSION, 7, last=dt.date(2026, 3, 25))
    assert (moment.date(), moment.time()) == (dt.date(2026, 4, 1), dt.time(23, 59, 59, 999999))
    assert moment.utcoffset() == dt.timedelta(hours=2)


def test_fixed_rule_returns_the_moment_as_entered():
    fixed = dt.datetime(2023, 3, 5, 18, 0, tzinfo=BERLIN)
    assert due(DueRule.FIXED, 3, fixed=fixed, talk=dt.date(2023, 3, 6)) == fixed


def test_rule_without_its_base_day_is_not_known_yet():
    assert due(DueRule.BEFORE_TALK, 7, first=dt.date(2023, 3, 6)) is None
    assert due(DueRule.BEFORE_FIRST_SESSION, 1) is None


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown due rule 'weekly'"):
        due("weekly", 1, last=dt.date(2023, 3, 7))
