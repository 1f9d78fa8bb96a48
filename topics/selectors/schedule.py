"""The published schedule: when each student talks, and the reading list by day.

Talks of a session follow one another in slot order without gaps (topics.schedule): every page,
e-mail and deadline reads talk times from here, so they all show the same, current time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from seminar.cache import kept_per_version
from seminar.models import Meeting, Registration, Seminar
from topics.models import Assignment, Topic
from topics.schedule import PlannedTopic, talk_numbers
from topics.selectors.runs import current_assignments, published_run, topics_with_details


@dataclass(frozen=True)
class Talk:
    """A participant's talk in the published schedule."""

    session: Meeting
    number: int  # 1 = the first talk of that session
    starts_at: dt.datetime


def _talks_by_topic(assignments: list[Assignment]) -> dict[int, Talk]:
    """Topic id -> its talk, for the topics these assignments present (topic and session loaded)."""
    presented = {
        a.topic_id: a.topic
        for a in assignments
        if a.topic is not None and a.topic.session_id is not None and a.topic.slot is not None
    }
    numbers = talk_numbers(PlannedTopic(t.pk, t.session_id, t.slot) for t in presented.values())
    return {
        topic_id: Talk(
            topic.session, numbers[topic_id], topic.session.slot_starts_at(numbers[topic_id])
        )
        for topic_id, topic in presented.items()
    }


@kept_per_version
def talks_of(seminar: Seminar) -> dict[int, Talk]:
    """Every participant's talk in the published schedule: registration id -> talk.

    The one answer to "when does this student talk" for every page, deadline and export.
    """
    run = published_run(seminar)
    if run is None:
        return {}
    assignments = list(
        current_assignments(run).filter(topic__isnull=False).select_related("topic__session")
    )
    by_topic = _talks_by_topic(assignments)
    return {a.registration_id: by_topic[a.topic_id] for a in assignments if a.topic_id in by_topic}


def talk_of(registration: Registration) -> Talk | None:
    return talks_of(registration.seminar).get(registration.pk)


@dataclass(frozen=True)
class ReadingRow:
    topic: Topic
    students: list[str]  # names of the students presenting it (empty if not shown or unassigned)
    talk: Talk | None = None  # in the published schedule


@dataclass(frozen=True)
class ReadingDay:
    session: Meeting | None
    rows: list[ReadingRow]


@dataclass(frozen=True)
class ReadingList:
    days: list[ReadingDay]
    published: bool
    not_presented: list[Topic]  # published: topics nobody presents


def reading_list(seminar: Seminar, *, with_names: bool) -> ReadingList:
    """The compulsory reading list by day; student names only when the viewer may see them.

    Before publication: every topic in its planned slot. After it: the talks as they are given,
    numbered and timed without gaps, and the topics nobody presents apart.
    """
    topics = list(topics_with_details(seminar))
    run = published_run(seminar)
    if run is None:
        days: dict[int | None, ReadingDay] = {}
        for topic in topics:
            days.setdefault(topic.session_id, ReadingDay(topic.session, [])).rows.append(
                ReadingRow(topic, [])
            )
        return ReadingList(_in_date_order(days), published=False, not_presented=[])

    assignments = list(
        current_assignments(run)
        .filter(topic__isnull=False)
        .select_related("topic__session", "registration__student")
    )
    talks = _talks_by_topic(assignments)
    names: dict[int, list[str]] = {}
    for a in assignments:
        names.setdefault(a.topic_id, []).append(a.registration.student.full_name)
    days = {}
    not_presented = []
    for topic in topics:
        if topic.pk not in names:
            not_presented.append(topic)
            continue
        students = sorted(names[topic.pk]) if with_names else []
        days.setdefault(topic.session_id, ReadingDay(topic.session, [])).rows.append(
            ReadingRow(topic, students, talks.get(topic.pk))
        )
    for day in days.values():
        # Talks in schedule order; presented topics without a slot last.
        day.rows.sort(key=lambda row: (row.talk is None, row.talk.number if row.talk else 0))
    return ReadingList(_in_date_order(days), published=True, not_presented=not_presented)


def _in_date_order(days: dict[int | None, ReadingDay]) -> list[ReadingDay]:
    # Topics without a session yet come last.
    return sorted(days.values(), key=lambda d: (d.session is None, d.session and d.session.date))
