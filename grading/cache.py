"""What of this app the seminar page and the dashboards show: its changes bump their versions
(seminar.cache, seminar.dashboard_cache)."""

from grading.models import (
    Attendance,
    CriterionMark,
    GradedStudent,
    GradingScheme,
    ProjectGrade,
    ReportGrade,
    StudentGrade,
)
from seminar.cache import bump_on_change
from seminar.dashboard_cache import dashboard_bump_on_change, seminar_of_registration
from submissions.models import Submission


def seminar_pages_connect() -> None:
    bump_on_change(GradingScheme, lambda scheme: scheme.seminar_id)  # the release, too
    # A registration saved through this app's admin (a proxy: its own signals).
    bump_on_change(GradedStudent, lambda registration: registration.seminar_id)
    # The dashboards: a participant's grades and their explanation, once released.
    for model in (StudentGrade, Attendance):
        dashboard_bump_on_change(model, lambda row: seminar_of_registration(row.registration_id))
    dashboard_bump_on_change(CriterionMark, _mark_seminar)
    for model in (ReportGrade, ProjectGrade):
        dashboard_bump_on_change(model, lambda grade: _submission_seminar(grade.submission_id))


def _mark_seminar(mark: CriterionMark) -> int | None:
    grades = StudentGrade.objects.filter(pk=mark.student_grade_id)
    return grades.values_list("registration__seminar_id", flat=True).first()


def _submission_seminar(submission_id: int) -> int | None:
    submissions = Submission.objects.filter(pk=submission_id)
    return submissions.values_list("deliverable__seminar_id", flat=True).first()
