"""Seminars with handed-in work and grades, for the grading tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from grading.fields import grading_fields
from grading.selectors import gradings_of
from grading.services import grading_save
from seminar.enums import StaffKind
from seminar.models import Meeting, PresentationCriterion, Registration, Seminar, User
from seminar.services.staff import staff_role_add
from seminar.tests.factories import MeetingFactory, StaffUserFactory
from submissions.enums import DeliverableKind
from submissions.services.uploads import submission_upload
from submissions.tests.factories import (
    deliverable,
    pdf_upload,
    seminar_with_talks,
    upload,
    zip_bytes,
)
from topics.models import Topic


@dataclass
class World:
    seminar: Seminar
    students: list[Registration]
    topics: list[Topic]
    sessions: list[Meeting]
    organizer: User
    supervisor: User  # grades the even students
    other_supervisor: User  # grades the odd students
    criteria: list[PresentationCriterion]


def grading_world(students: int = 2, *, criteria: int = 2) -> World:
    """A seminar 30 days ahead with two sessions and a published schedule; every student
    hands in three reports and the project (alone). Nothing is graded yet."""
    first = timezone.localdate() + dt.timedelta(days=30)
    seminar, registrations, topics, sessions = seminar_with_talks(
        students, session_day=first, last_day=first + dt.timedelta(days=1), term="Winter 2025/26"
    )
    organizer = StaffUserFactory(full_name="Helena Brandt")
    staff_role_add(
        seminar=seminar,
        user=organizer,
        kind=StaffKind.ORGANIZER,
        listed_as="Prof. Dr. Helena Brandt",
    )
    supervisors = []
    for topic in topics[:2]:
        user = topic.supervisor.user
        staff_role_add(seminar=seminar, user=user, kind=StaffKind.SUPERVISOR)  # the group
        supervisors.append(user)
    rubric = [
        PresentationCriterion.objects.create(seminar=seminar, position=i, text=f"Criterion {i}")
        for i in range(1, criteria + 1)
    ]
    reports = deliverable(seminar, DeliverableKind.REPORTS)
    project = deliverable(seminar, DeliverableKind.PROJECT)
    for registration in registrations:
        for number in range(1, reports.count + 1):
            submission_upload(
                registration=registration,
                deliverable=reports,
                upload=pdf_upload(3, f"report{number}.pdf"),
                by=registration.student,
                number=number,
                title=f"Own topic {number} of {registration.student.full_name}",
            )
        submission_upload(
            registration=registration,
            deliverable=project,
            upload=upload(zip_bytes(), "project.zip", "application/zip"),
            by=registration.student,
        )
    return World(
        seminar,
        registrations,
        topics,
        sessions,
        organizer,
        supervisors[0],
        supervisors[1] if len(supervisors) > 1 else supervisors[0],
        rubric,
    )


def complete_values(registration: Registration, **overrides) -> dict[str, object]:
    """Every field of the student's grading page filled in: presentation 1.7, reports 2.0,
    participation 1.3, both sessions attended, the mock given, the project passed."""
    grading = gradings_of(registration.seminar, [registration])[registration.pk]
    values = {}
    for key, field in grading_fields(grading, team_editable=True).items():
        if not field.editable:
            continue
        if key == "presentation":
            values[key] = "1.7"
        elif key == "participation":
            values[key] = "1.3"
        elif key.endswith("_grade"):
            values[key] = "2.0"
        elif key.startswith("attendance_"):
            values[key] = "yes"
        elif key == "mock_given":
            values[key] = True
        elif key.endswith("_result") and key.startswith("team_"):
            values[key] = "pass"
        elif key == "talk_minutes":
            values[key] = 21
    values.update(overrides)
    return values


def grade_completely(registration: Registration, *, by: User, **overrides) -> None:
    grading_save(
        registration=registration, values=complete_values(registration, **overrides), by=by
    )


__all__ = ["MeetingFactory", "World", "complete_values", "grade_completely", "grading_world"]
