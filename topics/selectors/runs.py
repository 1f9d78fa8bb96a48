"""Reads of allocation runs: who holds which topic, which places are free, what each is told."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch, QuerySet

from seminar.cache import kept_per_version
from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, Seminar
from topics.explain import Availability, Explanation, How, Situation, explain
from topics.models import AllocationRun, Assignment, Preference, SupplementaryMaterial, Topic


def topics_with_details(seminar: Seminar) -> QuerySet[Topic]:
    """The seminar's topics with supervisor, session and materials, in schedule order."""
    return (
        Topic.objects.filter(seminar=seminar)
        .select_related("supervisor__user", "session")
        .prefetch_related(Prefetch("materials", SupplementaryMaterial.objects.order_by("number")))
        .order_by("session__date", "slot", "pk")
    )


@kept_per_version
def published_run(seminar: Seminar) -> AllocationRun | None:
    return AllocationRun.objects.filter(seminar=seminar, published_at__isnull=False).first()


def current_assignments(run: AllocationRun) -> QuerySet[Assignment]:
    """Assignments of a run whose student still holds a seat."""
    return run.assignments.filter(registration__status=RegistrationStatus.CONFIRMED)


def holds_published_topic(registration: Registration) -> bool:
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and Assignment.objects.filter(
            registration=registration, run__published_at__isnull=False, topic__isnull=False
        ).exists()
    )


@dataclass(frozen=True)
class RunState:
    """One run's assignments and the places they leave free, read in a fixed number of queries.

    Every answer about a run (free places, swaps, what each student is told) comes from here, so
    the organizer's page, the student's page and the e-mails agree.
    """

    run: AllocationRun
    assignments: list[Assignment]  # every assignment of the run, with student and topic
    topics: dict[int, Topic]  # every topic of the seminar, in schedule order
    preferences: dict[int, set[int]] = field(default_factory=dict)  # registration -> topics
    supervisor_limits: dict[int, int] = field(default_factory=dict)  # staff role -> limit

    @cached_property
    def current(self) -> list[Assignment]:
        """The assignments of students who still hold a seat."""
        return [
            a for a in self.assignments if a.registration.status == RegistrationStatus.CONFIRMED
        ]

    @cached_property
    def holders(self) -> dict[int, list[Assignment]]:
        """Topic id -> the current assignments holding it."""
        holders: dict[int, list[Assignment]] = {}
        for assignment in self.current:
            if assignment.topic_id is not None:
                holders.setdefault(assignment.topic_id, []).append(assignment)
        return holders

    @cached_property
    def supervisor_loads(self) -> Counter:
        return Counter(
            self.topics[topic_id].supervisor_id
            for topic_id, holding in self.holders.items()
            for _ in holding
            if self.topics[topic_id].supervisor_id is not None
        )

    def of(self, registration_id: int) -> Assignment | None:
        return next((a for a in self.assignments if a.registration_id == registration_id), None)

    def places_left(self, topic_id: int) -> int:
        return max(self.topics[topic_id].capacity - len(self.holders.get(topic_id, [])), 0)

    def supervisor_at_limit(self, topic_id: int) -> bool:
        supervisor = self.topics[topic_id].supervisor_id
        limit = self.supervisor_limits.get(supervisor)
        return limit is not None and self.supervisor_loads[supervisor] >= limit

    def is_free(self, topic_id: int) -> bool:
        """Someone without a topic could take it now without moving anyone."""
        return self.places_left(topic_id) > 0 and not self.supervisor_at_limit(topic_id)

    def free_topics(self) -> list[Topic]:
        return [topic for topic in self.topics.values() if self.is_free(topic.pk)]

    def availability(self, topic_id: int) -> Availability:
        """Where a topic is now, for a student who does not hold it."""
        if self.places_left(topic_id) == 0:
            holding = self.holders.get(topic_id, [])
            chose_it = all(topic_id in self.preferences.get(a.registration_id, ()) for a in holding)
            return Availability.TAKEN_BY_CHOOSER if chose_it else Availability.TAKEN
        if self.supervisor_at_limit(topic_id):
            return Availability.SUPERVISOR_LIMIT
        return Availability.FREE

    def preferred_topics(self, registration_id: int) -> list[Topic]:
        """A student's preferred topics, in schedule order."""
        wanted = self.preferences.get(registration_id, set())
        return [topic for topic in self.topics.values() if topic.pk in wanted]

    def explanation(self, assignment: Assignment) -> Explanation:
        """What this student is told about their topic, from the state as it is now."""
        wanted = self.preferences.get(assignment.registration_id, set())
        others = [
            (topic.title, self.availability(topic.pk))
            for topic in self.preferred_topics(assignment.registration_id)
            if topic.pk != assignment.topic_id
        ]
        return explain(
            Situation(
                how=How(assignment.reason),
                has_topic=assignment.topic_id is not None,
                topic_is_preference=assignment.topic_id in wanted,
                other_preferences=others,
            )
        )


def run_state(run: AllocationRun) -> RunState:
    assignments = list(
        run.assignments.select_related("registration__student", "registration__seminar").order_by(
            "registration__student__full_name", "pk"
        )
    )
    topics = {
        topic.pk: topic
        for topic in Topic.objects.filter(seminar_id=run.seminar_id)
        .select_related("supervisor__user", "session")
        .order_by("session__date", "slot", "pk")
    }
    for assignment in assignments:
        # Every assignment shares the one copy of its topic, with supervisor and session.
        assignment.topic = topics.get(assignment.topic_id)
    preferences: dict[int, set[int]] = {}
    for registration_id, topic_id in Preference.objects.filter(
        registration__in=[a.registration_id for a in assignments]
    ).values_list("registration_id", "topic_id"):
        preferences.setdefault(registration_id, set()).add(topic_id)
    limits = dict(
        run.seminar.staff.filter(kind=StaffKind.SUPERVISOR, max_students__isnull=False).values_list(
            "pk", "max_students"
        )
    )
    return RunState(run, assignments, topics, preferences, limits)


def publication_recipients(run: AllocationRun) -> int:
    """How many students publishing this run e-mails: everyone who holds a seat."""
    return Registration.objects.filter(
        seminar_id=run.seminar_id, status=RegistrationStatus.CONFIRMED
    ).count()


@dataclass(frozen=True)
class PreviewRow:
    assignment: Assignment
    preferences: list[Topic]  # the student's preferred topics
    explanation: Explanation
    is_current: bool  # the student still holds a seat


@dataclass(frozen=True)
class TopicChoice:
    """One option of the organizer's hand-change list."""

    topic: Topic
    label: str  # e.g. "Paper 3 · free", "Paper 4 · held by Student 007 (swap)"


@dataclass(frozen=True)
class RunPreview:
    run: AllocationRun
    rows: list[PreviewRow]
    satisfied: int  # current students who hold one of their preferences
    current: int  # students who hold a seat
    without_preference: list[Assignment]  # hold a topic, but none of their preferences
    unplaced: list[Assignment]  # hold a seat, no topic, and are not choosing one
    waiting_for_choice: list[Assignment]  # late joiners who still choose
    not_in_run: list[Registration]  # confirmed after the run was made
    supervisor_loads: list[tuple[str, int, int | None]]  # (supervisor, students, limit)
    topic_choices: list[TopicChoice]


def run_preview(run: AllocationRun) -> RunPreview:
    """The organizer's view of a run, in a fixed number of queries."""
    state = run_state(run)
    current_ids = {a.pk for a in state.current}
    rows = [
        PreviewRow(
            assignment=a,
            preferences=state.preferred_topics(a.registration_id),
            explanation=state.explanation(a),
            is_current=a.pk in current_ids,
        )
        for a in state.assignments
    ]
    wanted = state.preferences
    supervisors = run.seminar.staff.filter(kind=StaffKind.SUPERVISOR).select_related("user")
    not_in_run = list(
        Registration.objects.filter(seminar_id=run.seminar_id, status=RegistrationStatus.CONFIRMED)
        .exclude(pk__in=[a.registration_id for a in state.assignments])
        .select_related("student")
        .order_by("student__full_name")
    )
    return RunPreview(
        run=run,
        rows=rows,
        satisfied=sum(a.topic_id in wanted.get(a.registration_id, ()) for a in state.current),
        current=len(state.current),
        without_preference=[
            a
            for a in state.current
            if a.topic_id and a.topic_id not in wanted.get(a.registration_id, ())
        ],
        unplaced=[a for a in state.current if a.topic_id is None and not a.is_waiting_for_choice],
        waiting_for_choice=[a for a in state.current if a.is_waiting_for_choice],
        not_in_run=not_in_run,
        supervisor_loads=[
            (s.display_name, state.supervisor_loads.get(s.pk, 0), s.max_students)
            for s in supervisors
        ],
        topic_choices=[
            TopicChoice(topic, f"{topic.title} · {_holding_text(state, topic)}")
            for topic in state.topics.values()
        ],
    )


def _holding_text(state: RunState, topic: Topic) -> str:
    holding = state.holders.get(topic.pk, [])
    names = ", ".join(a.registration.student.full_name for a in holding)
    if state.places_left(topic.pk) == 0:
        return f"held by {names} (swap)"
    if state.supervisor_at_limit(topic.pk):
        return "supervisor at their limit"
    left = state.places_left(topic.pk)
    free = "free" if topic.capacity == 1 else f"{left} of {topic.capacity} places free"
    return f"{free}, with {names}" if names else free
