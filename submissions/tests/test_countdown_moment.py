"""The countdown's next change (submissions.due.countdown_changes_at) against the text Django
actually shows: the same all the way until that moment, and never kept for more than a minute."""

import datetime as dt

from django.utils.timesince import timesince, timeuntil
from hypothesis import given
from hypothesis import strategies as st

from submissions.due import countdown_changes_at

DUE = dt.datetime(2026, 12, 22, 22, 59, 59, 999999, tzinfo=dt.UTC)
OFFSETS = st.timedeltas(min_value=-dt.timedelta(days=800), max_value=dt.timedelta(days=800))


def countdown(due: dt.datetime, now: dt.datetime) -> str:
    """As templates/submissions/_countdown.html words it."""
    return timeuntil(due, now) if due > now else timesince(due, now)


@given(OFFSETS)
def test_the_text_stays_the_same_until_the_moment_and_changes_within_a_minute(offset):
    now = DUE + offset
    changes = countdown_changes_at(DUE, now)
    assert now < changes <= now + dt.timedelta(minutes=1)
    last_instant = changes - dt.timedelta(microseconds=1)
    if last_instant >= now:
        assert countdown(DUE, last_instant) == countdown(DUE, now)


def test_a_whole_minute_before_the_deadline_reads_differently_right_after():
    now = DUE - dt.timedelta(days=6)
    assert countdown(DUE, now) == "6\xa0days"
    assert countdown(DUE, now + dt.timedelta(microseconds=1)) == "5\xa0days, 23\xa0hours"
    assert countdown_changes_at(DUE, now) == now + dt.timedelta(microseconds=1)


def test_after_the_deadline_the_count_goes_on_by_the_minute():
    now = DUE + dt.timedelta(minutes=5, seconds=10)
    assert countdown_changes_at(DUE, now) == DUE + dt.timedelta(minutes=6)
    assert countdown(DUE, DUE + dt.timedelta(minutes=6)) == "6\xa0minutes"
