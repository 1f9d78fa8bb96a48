"""The final grade derived on read: entered grades, deadlines, the seminar's settings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grading.calculation import NOT_SUBMITTED, GradeState
from grading.models import GradingScheme
from grading.selectors import grade_sheet_of, gradings_of
from grading.services import grading_save
from grading.tests.factories import grade_completely, grading_world
from submissions.enums import DeliverableKind
from submissions.models import Deliverable, Submission
from submissions.services.extensions import extension_grant
from submissions.tests.factories import deliverable

pytestmark = pytest.mark.django_db


def grading_of(registration, now=None):
    return gradings_of(registration.seminar, [registration], now=now)[registration.pk]


@pytest.fixture
def world():
    return grading_world(2)


def after_reports_due(world) -> dt.datetime:
    return world.sessions[-1].starts_at + dt.timedelta(days=15)


def drop_report(registration, number: int) -> None:
    Submission.objects.filter(
        registration=registration, deliverable__kind=DeliverableKind.REPORTS, number=number
    ).delete()


def test_nothing_entered_is_incomplete_and_names_what_is_missing(world):
    result = grading_of(world.students[0]).result
    assert (result.state, result.grade, result.passed) == (GradeState.INCOMPLETE, None, None)
    assert [f.text for f in result.missing] == [
        "attendance of session 1 not marked",
        "attendance of session 2 not marked",
        "presentation not graded",
        "mock presentation not marked",
        "report 1 not graded",
        "report 2 not graded",
        "report 3 not graded",
        "participation not graded",
        "project result not entered",
    ]


def test_complete_grading_gives_the_explained_grade_and_a_bonus(world):
    student = world.students[0]
    grade_completely(student, by=world.organizer, presentation="2.0", participation="2.0")
    grading_save(registration=student, values={"project_result": "bonus"}, by=world.organizer)
    result = grading_of(student).result
    assert (str(result.grade), result.explanation) == (
        "1.7",
        "0.50 × 2.0 + 0.35 × 2.0 + 0.15 × 2.0 = 2.0 → 2.0; project bonus → 1.7",
    )


def test_a_report_not_handed_in_is_missing_only_after_its_deadline(world):
    student = world.students[0]
    grade_completely(student, by=world.organizer)
    drop_report(student, 3)
    before = grading_of(student)
    assert (before.result.state, before.reports[2].entry) == (GradeState.INCOMPLETE, None)

    later = after_reports_due(world)
    after = grading_of(student, now=later)
    assert after.reports[2].entry is NOT_SUBMITTED
    assert (str(after.result.grade), after.result.explanation) == (
        "5.0",
        "failed: missing report 3 → 5.0",
    )


def test_an_extension_keeps_a_missing_report_open(world):
    student = world.students[0]
    drop_report(student, 1)
    later = after_reports_due(world)
    extension_grant(
        deliverable=deliverable(world.seminar, DeliverableKind.REPORTS),
        registration=student,
        due_at=later + dt.timedelta(days=3),
        reason="Ill.",
        by=world.organizer,
    )
    assert grading_of(student, now=later).reports[0].entry is None


def test_an_unmarked_mock_presentation_counts_as_not_given_after_its_deadline(world):
    student = world.students[0]
    grade_completely(student, by=world.organizer, mock_given=False)
    first_session = world.sessions[0].starts_at
    assert grading_of(student, now=first_session - dt.timedelta(days=3)).mock_given is None
    late = grading_of(student, now=first_session)
    assert (late.mock_given, late.result.explanation) == (
        False,
        "failed: no mock presentation → 5.0",
    )


def test_every_failed_gate_is_named(world):
    student = world.students[0]
    grade_completely(
        student,
        by=world.organizer,
        presentation="5.0",
        **{f"attendance_{world.sessions[1].pk}": "no"},
    )
    grading_save(registration=student, values={"project_result": "fail"}, by=world.organizer)
    result = grading_of(student).result
    assert result.explanation == (
        "failed: missing attendance of session 2; failed presentation (5.0); failed project → 5.0"
    )


def test_a_weighted_component_the_seminar_switched_off_makes_no_grade(world):
    Deliverable.objects.filter(kind=DeliverableKind.REPORTS).update(enabled=False)
    grading = grading_of(world.students[0])
    assert grading.result.explanation == (
        "cannot be computed: the grading scheme weights the reports with 35 %, but the seminar "
        "asks for no reports: set the reports weight to 0 or switch the reports on"
    )


def test_reports_switched_off_with_their_weight(world):
    Deliverable.objects.filter(kind=DeliverableKind.REPORTS).update(enabled=False)
    GradingScheme.objects.filter(seminar=world.seminar).update(
        weight_presentation=70, weight_reports=0, weight_participation=30
    )
    student = world.students[0]
    grade_completely(student, by=world.organizer)
    result = grading_of(student).result
    assert result.explanation == "0.70 × 1.7 + 0.30 × 1.3 = 1.58 → 1.7"


def queries_of_gradings(students: int) -> int:
    world = grading_world(students)
    for registration in world.students:
        grade_completely(registration, by=world.organizer)
    with CaptureQueriesContext(connection) as captured:
        sheet = grade_sheet_of(world.seminar, now=timezone.now())
    assert len(sheet.rows) == students
    return len(captured)


def test_the_grade_sheet_reads_as_many_queries_for_2_students_as_for_50():
    assert queries_of_gradings(2) == queries_of_gradings(50)
