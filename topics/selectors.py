"""Reads of topics, preferences and the published schedule."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from seminar.enums import RegistrationStatus
from seminar.models import Meeting, Registration, Seminar
from topics.models import AllocationRun, Assignment, Preference, SupplementaryMaterial, Topic


def topics_with_details(seminar: Seminar):
    """The seminar's topics with supervisor, session and materials, in schedule order."""
    return (
        Topic.objects.filter(seminar=seminar)
        .select_related("supervisor__user", "session")
        .prefetch_related(Prefetch("materials", SupplementaryMaterial.objects.order_by("number")))
        .order_by("session__date", "slot", "pk")
    )


def published_run(seminar: Seminar) -> AllocationRun | None:
    return AllocationRun.objects.filter(seminar=seminar, published_at__isnull=False).first()


def current_assignments(run: AllocationRun):
    """Assignments of a run whose student still holds a seat."""
    return run.assignments.filter(registration__status=RegistrationStatus.CONFIRMED)


@dataclass(frozen=True)
class ReadingRow:
    topic: Topic
    students: list[str]  # names of the students presenting it (empty if not shown or unassigned)


@dataclass(frozen=True)
class ReadingDay:
    session: Meeting | None
    rows: list[ReadingRow]


def reading_list(seminar: Seminar, *, with_names: bool) -> list[ReadingDay]:
    """The compulsory reading list by day; student names only when the viewer may see them."""
    names: dict[int, list[str]] = {}
    run = published_run(seminar) if with_names else None
    if run is not None:
        for topic_id, name in (
            current_assignments(run)
            .filter(topic__isnull=False)
            .values_list("topic_id", "registration__student__full_name")
        ):
            names.setdefault(topic_id, []).append(name)
    days: dict[int | None, ReadingDay] = {}
    for topic in topics_with_details(seminar):
        day = days.setdefault(topic.session_id, ReadingDay(topic.session, []))
        day.rows.append(ReadingRow(topic, sorted(names.get(topic.pk, []))))
    # Topics without a session yet come last.
    return sorted(days.values(), key=lambda d: (d.session is None, d.session and d.session.date))


def preferences_of(registration: Registration) -> list[Topic]:
    return [p.topic for p in registration.preferences.select_related("topic").order_by("topic_id")]


def preference_status(seminar: Seminar) -> tuple[int, list[Registration]]:
    """How many confirmed participants sent preferences, and who has not yet."""
    confirmed = (
        Registration.objects.filter(seminar=seminar, status=RegistrationStatus.CONFIRMED)
        .select_related("student")
        .annotate(n=Count("preferences"))
        .order_by("student__full_name")
    )
    sent = [r for r in confirmed if r.n]
    missing = [r for r in confirmed if not r.n]
    return len(sent), missing


@dataclass(frozen=True)
class AssignmentView:
    """A student's published topic with everything their dashboard shows."""

    assignment: Assignment
    talk_starts_at: dt.datetime | None
    group_mates: list[str]
    unavailable: list[tuple[str, str]]  # (preferred topic's title, why it was not free)


BLOCKER_TEXT = {
    "taken": "went to a student who had no other of their choices left",
    "supervisor_limit": "its supervisor had reached their limit of students",
}


def my_assignment(registration: Registration) -> AssignmentView | None:
    run = published_run(registration.seminar)
    if run is None or registration.status != RegistrationStatus.CONFIRMED:
        return None
    assignment = (
        run.assignments.select_related("topic__session", "topic__supervisor__user")
        .filter(registration=registration)
        .first()
    )
    if assignment is None:
        return None
    topic = assignment.topic
    mates: list[str] = []
    if topic is not None and topic.mock_group is not None:
        mates = list(
            current_assignments(run)
            .filter(topic__mock_group=topic.mock_group)
            .exclude(registration=registration)
            .order_by("registration__student__full_name")
            .values_list("registration__student__full_name", flat=True)
        )
    starts = (
        topic.session.slot_starts_at(topic.slot) if topic and topic.session and topic.slot else None
    )
    return AssignmentView(assignment, starts, mates, _unavailable(assignment))


def _unavailable(assignment: Assignment) -> list[tuple[str, str]]:
    if not assignment.blocked:
        return []
    titles = dict(
        Topic.objects.filter(pk__in=[int(pk) for pk in assignment.blocked]).values_list(
            "pk", "title"
        )
    )
    return [
        (titles[int(pk)], BLOCKER_TEXT.get(why, why))
        for pk, why in sorted(assignment.blocked.items())
        if int(pk) in titles
    ]


@dataclass(frozen=True)
class RunPreview:
    run: AllocationRun
    assignments: list[Assignment]
    satisfied: int
    without_preference: list[Assignment]  # got a topic, but none of their preferences
    unplaced: list[Assignment]
    supervisor_loads: list[tuple[str, int, int | None]]  # (supervisor, students, limit)
    preferences: dict[int, set[int]]  # registration id -> preferred topic ids


def run_preview(run: AllocationRun) -> RunPreview:
    assignments = list(
        run.assignments.select_related(
            "registration__student", "topic__supervisor__user", "topic__session"
        ).order_by("registration__student__full_name", "pk")
    )
    preferences: dict[int, set[int]] = {}
    for registration_id, topic_id in Preference.objects.filter(
        registration__in=[a.registration_id for a in assignments]
    ).values_list("registration_id", "topic_id"):
        preferences.setdefault(registration_id, set()).add(topic_id)
    loads = Counter(a.topic.supervisor for a in assignments if a.topic and a.topic.supervisor)
    supervisors = run.seminar.staff.filter(kind="supervisor").select_related("user")
    return RunPreview(
        run=run,
        assignments=assignments,
        satisfied=sum(a.topic_id in preferences.get(a.registration_id, ()) for a in assignments),
        without_preference=[
            a
            for a in assignments
            if a.topic_id and a.topic_id not in preferences.get(a.registration_id, ())
        ],
        unplaced=[a for a in assignments if a.topic_id is None],
        supervisor_loads=[(s.display_name, loads.get(s, 0), s.max_students) for s in supervisors],
        preferences=preferences,
    )


def topic_loads(run: AllocationRun, *, exclude: Registration | None = None) -> Counter:
    """Students per topic among those who still hold a seat."""
    assignments = current_assignments(run).filter(topic__isnull=False)
    if exclude is not None:
        assignments = assignments.exclude(registration=exclude)
    return Counter(assignments.values_list("topic_id", flat=True))


@dataclass(frozen=True)
class Talk:
    """A participant's talk in the published schedule."""

    session: Meeting
    number: int  # 1 = the first talk of that session
    starts_at: dt.datetime


def talks_of(seminar: Seminar) -> dict[int, Talk]:
    """Every participant's talk in the published schedule: registration id -> talk.

    The one answer to "when does this student talk" for every page, deadline and export.
    """
    run = published_run(seminar)
    if run is None:
        return {}
    talks = {}
    for assignment in (
        current_assignments(run)
        .filter(topic__session__isnull=False, topic__slot__isnull=False)
        .select_related("topic__session")
    ):
        topic = assignment.topic
        talks[assignment.registration_id] = Talk(
            topic.session, topic.slot, topic.session.slot_starts_at(topic.slot)
        )
    return talks


def talk_of(registration: Registration) -> Talk | None:
    return talks_of(registration.seminar).get(registration.pk)


def materials_of(seminar: Seminar):
    return SupplementaryMaterial.objects.filter(seminar=seminar).order_by("number")
