"""What of this app the seminar page and the dashboards show: its changes bump their versions
(seminar.cache, seminar.dashboard_cache)."""

from seminar.cache import bump_on_change
from seminar.dashboard_cache import dashboard_bump_on_change, seminar_of_registration
from submissions.models import (
    CalendarFeed,
    Deliverable,
    Extension,
    FileRetention,
    MockPresentationMark,
    Submission,
    SubmissionFile,
    SupervisedStudent,
    Team,
    TeamInvitation,
    TeamMembership,
)


def seminar_pages_connect() -> None:
    bump_on_change(Deliverable, lambda deliverable: deliverable.seminar_id)
    # A registration saved through this app's admin (a proxy: its own signals).
    bump_on_change(SupervisedStudent, lambda registration: registration.seminar_id)
    # The dashboards: hand-ins, their files, extensions, marks, teams, the calendar address,
    # and whether files were deleted after the retention period.
    for model in (Submission, Extension, MockPresentationMark):
        dashboard_bump_on_change(model, _deliverable_seminar)
    dashboard_bump_on_change(SubmissionFile, lambda file: _submission_seminar(file.submission_id))
    dashboard_bump_on_change(CalendarFeed, lambda f: seminar_of_registration(f.registration_id))
    dashboard_bump_on_change(FileRetention, lambda retention: retention.seminar_id)
    dashboard_bump_on_change(Team, lambda team: team.seminar_id)
    for model in (TeamMembership, TeamInvitation):
        dashboard_bump_on_change(model, lambda row: _team_seminar(row.team_id))


def _deliverable_seminar(row) -> int | None:
    deliverables = Deliverable.objects.filter(pk=row.deliverable_id)
    return deliverables.values_list("seminar_id", flat=True).first()


def _submission_seminar(submission_id: int) -> int | None:
    return (
        Submission.objects.filter(pk=submission_id)
        .values_list("deliverable__seminar_id", flat=True)
        .first()
    )


def _team_seminar(team_id: int) -> int | None:
    return Team.objects.filter(pk=team_id).values_list("seminar_id", flat=True).first()
