"""The grading app's part of a student's data export (grades as released, never before) and of
deleting their account (refused while a grade of theirs exists)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from grading.models import Attendance, GradingScheme, ProjectGrade, ReportGrade, StudentGrade
from grading.selectors import gradings_of
from seminar import privacy
from seminar.enums import RegistrationStatus
from seminar.models import ActivityEntry, Registration, User

# Grade changes are the graders' work in progress: the export below holds the ones a student
# may see (made after the release); the general log export leaves them all out.
privacy.register_private_actions("grades.")


@privacy.register_export(order=40)
def export_grades(user: User) -> privacy.ExportPart:
    """What the dashboard shows once the grades are released: each component with its
    comments and rubric ticks, the final grade and how it was computed, and the changes made
    after the release. Nothing of a seminar whose grades are not released."""
    released = {
        s.seminar_id: s.released_at
        for s in GradingScheme.objects.filter(
            released_at__isnull=False, seminar__registrations__student=user
        )
    }
    registrations = Registration.objects.filter(
        student=user, status=RegistrationStatus.CONFIRMED, seminar_id__in=released
    ).select_related("seminar", "student")
    registration_type = ContentType.objects.get_for_model(Registration)
    rows = []
    for registration in registrations:
        grading = gradings_of(registration.seminar, [registration])[registration.pk]
        result = grading.result
        changes = ActivityEntry.objects.filter(
            action__startswith="grades.",
            object_type=registration_type,
            object_id=str(registration.pk),
            at__gt=released[registration.seminar_id],
        ).order_by("at", "pk")
        rows.append(
            {
                "seminar": registration.seminar.title,
                "released_at": released[registration.seminar_id],
                "final_grade": str(result.grade) if result.grade is not None else None,
                "passed": result.passed,
                "computation": grading.computation,
                "failed": [finding.text for finding in result.failed_gates],
                "missing": [finding.text for finding in result.missing],
                "presentation": {
                    "grade": grading.presentation,
                    "comment": grading.presentation_comment,
                    "talk_minutes": grading.talk_minutes,
                    "criteria": [
                        {"criterion": c.text, "met": mark.met, "comment": mark.comment}
                        for c, mark in grading.criteria
                        if mark is not None
                    ],
                },
                "reports": [
                    {
                        "number": report.number,
                        "subject": report.subject,
                        "grade": "not handed in" if report.not_submitted else report.grade,
                        "comment": report.comment,
                    }
                    for report in grading.reports
                ],
                "participation": {
                    "grade": grading.participation,
                    "comment": grading.participation_comment,
                },
                "attendance": [
                    {"session": session.date, "attended": attended}
                    for session, attended in grading.attendance
                ],
                "mock_presentation_given": grading.mock_given,
                "project": {
                    "result": str(grading.project.effective or ""),
                    "comment": grading.project.comment,
                }
                if grading.project
                else None,
                "changes_after_release": [
                    {"at": e.at, "by": e.actor_name, "old": e.old, "new": e.new, "reason": e.reason}
                    for e in changes
                ],
            }
        )
    return privacy.ExportPart(data={"grades": rows})


@privacy.register_deletion_check
def grades_are_kept(user: User, now: dt.datetime) -> list[str]:
    """Any grade entry (released or not) is an exam record the seminar must keep."""
    mine = Registration.objects.filter(student=user)
    seminars = set(
        StudentGrade.objects.filter(registration__in=mine).values_list(
            "registration__seminar__title", flat=True
        )
    )
    seminars |= set(
        Attendance.objects.filter(registration__in=mine).values_list(
            "registration__seminar__title", flat=True
        )
    )
    graded = Q(submission__registration__in=mine) | Q(
        submission__team__memberships__registration__in=mine
    )
    seminars |= set(
        ReportGrade.objects.filter(graded).values_list(
            "submission__deliverable__seminar__title", flat=True
        )
    )
    seminars |= set(
        ProjectGrade.objects.filter(graded).values_list(
            "submission__deliverable__seminar__title", flat=True
        )
    )
    return [
        _(
            "You have grades in %(seminar)s. Grades are exam records and must be kept, so "
            "the account stays; ask the seminar's organizer or the examination office if you "
            "want it closed."
        )
        % {"seminar": title}
        for title in sorted(seminars)
    ]
