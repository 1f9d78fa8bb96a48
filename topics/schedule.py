"""The published schedule without gaps, as a pure function: no Django, no database.

A session's talks follow one another in slot order: the first presented topic of the day is
talk 1, the next presented one talk 2, whatever slot numbers lie between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedTopic:
    topic: int
    session: int
    slot: int


def talk_numbers(presented: Iterable[PlannedTopic]) -> dict[int, int]:
    """Topic -> its talk number within its session (1, 2, …), in slot order without gaps.

    Two topics in the same slot (which the database forbids) are ordered by topic.
    """
    by_session: dict[int, list[PlannedTopic]] = {}
    for planned in set(presented):
        by_session.setdefault(planned.session, []).append(planned)
    numbers: dict[int, int] = {}
    for talks in by_session.values():
        talks.sort(key=lambda planned: (planned.slot, planned.topic))
        for number, planned in enumerate(talks, start=1):
            numbers[planned.topic] = number
    return numbers
