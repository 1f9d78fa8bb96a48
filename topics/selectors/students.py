"""Reads about students: their preferences, their published topic, the topic settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar
from topics.enums import AssignmentReason
from topics.explain import Explanation
from topics.models import AllocationRun, Assignment, SupplementaryMaterial, Topic, TopicSettings
from topics.selectors.runs import published_run, run_state
from topics.selectors.schedule import Talk, talk_of

LATE_CHOICE_HOURS_DEFAULT = 48


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
    """A student's published topic with everything their dashboard and e-mails show."""

    assignment: Assignment
    talk: Talk | None
    group_mates: list[str]
    explanation: Explanation
    free_topics: list[Topic]  # what a late joiner who still chooses can choose from
    preferred: set[int]  # the student's preferred topic ids

    @property
    def topic(self) -> Topic | None:
        return self.assignment.topic


def my_assignment(registration: Registration) -> AssignmentView | None:
    """A participant's topic in the published run, told as the state is now."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    run = published_run(registration.seminar)
    if run is None:
        return None
    state = run_state(run)
    assignment = state.of(registration.pk)
    if assignment is None:
        return None
    topic = assignment.topic
    mates = []
    if topic is not None and topic.mock_group is not None:
        mates = sorted(
            a.registration.student.full_name
            for a in state.current
            if a.topic_id is not None
            and a.registration_id != registration.pk
            and state.topics[a.topic_id].mock_group == topic.mock_group
        )
    return AssignmentView(
        assignment=assignment,
        talk=talk_of(registration) if topic is not None else None,
        group_mates=mates,
        explanation=state.explanation(assignment),
        free_topics=state.free_topics() if assignment.is_waiting_for_choice else [],
        preferred=state.preferences.get(registration.pk, set()),
    )


def late_joiners_choosing(run: AllocationRun) -> list[Assignment]:
    """Participants of a published run who still choose their topic, the first due first."""
    return list(
        run.assignments.filter(
            registration__status=RegistrationStatus.CONFIRMED,
            reason=AssignmentReason.LATE_WAITING,
        )
        .select_related("registration__student")
        .order_by("choice_due_at", "pk")
    )


def late_choice_hours(seminar: Seminar) -> int:
    hours = (
        TopicSettings.objects.filter(seminar=seminar)
        .values_list("late_choice_hours", flat=True)
        .first()
    )
    return LATE_CHOICE_HOURS_DEFAULT if hours is None else hours


def seminars_with_due_late_choices() -> list[int]:
    return list(
        _due_late_choices(Assignment.objects.all())
        .values_list("run__seminar_id", flat=True)
        .distinct()
    )


def due_late_choices(seminar: Seminar) -> QuerySet[Assignment]:
    """Late joiners of the published run whose time to choose has run out."""
    return _due_late_choices(Assignment.objects.filter(run__seminar=seminar))


def next_late_choice_due(seminar: Seminar) -> dt.datetime | None:
    """When the next late joiner of the published run runs out of time to choose, if any."""
    return Assignment.objects.filter(
        run__seminar=seminar,
        run__published_at__isnull=False,
        registration__status=RegistrationStatus.CONFIRMED,
        choice_due_at__isnull=False,
    ).aggregate(first=Min("choice_due_at"))["first"]


def _due_late_choices(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return assignments.filter(
        run__published_at__isnull=False,
        registration__status=RegistrationStatus.CONFIRMED,
        choice_due_at__lte=timezone.now(),
    )


def materials_of(seminar: Seminar) -> QuerySet[SupplementaryMaterial]:
    return SupplementaryMaterial.objects.filter(seminar=seminar).order_by("number")
