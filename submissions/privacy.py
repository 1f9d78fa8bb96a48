"""The submissions app's part of a student's data export and of deleting their account."""

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from seminar import privacy
from seminar.enums import MeetingKind, RegistrationStatus
from seminar.models import Meeting, Registration, User
from submissions.models import (
    Extension,
    MockPresentationMark,
    Submission,
    SubmissionFile,
    TeamMembership,
)
from submissions.selectors.retention import retentions_of
from submissions.services.retention import files_delete
from submissions.storage import submission_storage


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"


def archive_path(file: SubmissionFile) -> str:
    """Where a version goes under files/: seminar, deliverable, item, version, original name."""
    submission = file.submission
    deliverable = submission.deliverable
    return (
        f"{deliverable.seminar.slug}/{deliverable.kind}/{submission.number}/"
        f"v{file.version}_{_safe(file.original_name)}"
    )


@privacy.register_export(order=30)
def export_submissions(user: User) -> privacy.ExportPart:
    registrations = list(Registration.objects.filter(student=user).values_list("pk", flat=True))
    memberships = list(
        TeamMembership.objects.filter(registration_id__in=registrations)
        .select_related("team__seminar")
        .prefetch_related("team__memberships__registration__student")
    )
    team_ids = [m.team_id for m in memberships]
    submissions = list(
        Submission.objects.filter(Q(registration_id__in=registrations) | Q(team_id__in=team_ids))
        .select_related("deliverable__seminar", "topic")
        .prefetch_related("files")
        .order_by("deliverable__seminar_id", "deliverable__kind", "number", "pk")
    )
    storage = submission_storage()
    files: list[privacy.ExportFile] = []
    rows = []
    for submission in submissions:
        versions = []
        for file in sorted(submission.files.all(), key=lambda f: f.version):
            file.submission = submission
            path = None if file.purged_at else archive_path(file)
            if path is not None:
                files.append(
                    privacy.ExportFile(path, lambda name=file.stored_name: storage.open(name, "rb"))
                )
            versions.append(
                {
                    "version": file.version,
                    "file_name": file.original_name,
                    "kind": file.kind,
                    "size": file.size,
                    "pages": file.pages,
                    "sha256": file.sha256,
                    "uploaded_at": file.uploaded_at,
                    "uploaded_by_you": file.uploaded_by_id == user.pk,
                    "in_archive": f"files/{path}" if path else None,
                    "deleted_after_retention_period_at": file.purged_at,
                }
            )
        rows.append(
            {
                "seminar": submission.deliverable.seminar.title,
                "deliverable": submission.deliverable.kind,
                "number": submission.number,
                "of_your_team": submission.team_id is not None,
                "subject": submission.subject,
                "repository_url": submission.repository_url,
                "created_at": submission.created_at,
                "updated_at": submission.updated_at,
                "versions": versions,
            }
        )
    extensions = Extension.objects.filter(
        Q(registration_id__in=registrations) | Q(team_id__in=team_ids)
    ).select_related("deliverable__seminar")
    marks = MockPresentationMark.objects.filter(registration_id__in=registrations).select_related(
        "deliverable__seminar"
    )
    data = {
        "teams": [
            {
                "seminar": m.team.seminar.title,
                "joined_at": m.joined_at,
                "members": [
                    other.registration.student.full_name for other in m.team.memberships.all()
                ],
            }
            for m in memberships
        ],
        "submissions": rows,
        "extensions": [
            {
                "seminar": e.deliverable.seminar.title,
                "deliverable": e.deliverable.kind,
                "for_your_team": e.team_id is not None,
                "due_at": e.due_at,
                "reason": e.reason,
                "granted_at": e.granted_at,
            }
            for e in extensions
        ],
        "mock_presentations": [
            {"seminar": mark.deliverable.seminar.title, "given_at": mark.given_at} for mark in marks
        ],
    }
    return privacy.ExportPart(data=data, files=files)


@privacy.register_deletion_check
def work_is_kept(user: User, now: dt.datetime) -> list[str]:
    """A participant of a seminar that has started keeps their account until the seminar's
    retention period has passed: their work and its record belong to the seminar until then."""
    registrations = list(
        Registration.objects.filter(
            student=user, status=RegistrationStatus.CONFIRMED
        ).select_related("seminar")
    )
    seminars = [r.seminar for r in registrations]
    first_starts: dict[int, dt.datetime] = {}
    for meeting in Meeting.objects.filter(seminar__in=seminars, kind=MeetingKind.SESSION).order_by(
        "-date", "-start_time"
    ):
        first_starts[meeting.seminar_id] = meeting.starts_at  # the earliest is written last
    retentions = retentions_of(seminars, now)
    reasons = []
    for seminar in seminars:
        starts = first_starts.get(seminar.pk)
        if starts is None or now < starts:  # not started (seminar.selectors.seminar_has_started)
            continue
        retention = retentions[seminar.pk]
        if retention.purge_allowed(now):
            continue
        until = (
            _("until %(date)s") % {"date": date_format(timezone.localtime(retention.ends_at))}
            if retention.ends_at
            else _("until its retention period has passed")
        )
        reasons.append(
            _(
                "You take part in %(seminar)s, which has started: your work and its record are "
                "kept %(until)s. You can delete your account after that; for anything earlier, "
                "write to %(contact)s."
            )
            % {"seminar": seminar, "until": until, "contact": seminar.contact_email}
        )
    return reasons


@privacy.register_eraser(order=30)
def erase_submissions(user: User) -> None:
    """The person's own submissions and files; their team memberships, and a team of which they
    were the last member with its project. A project handed in with a partner stays the
    partner's."""
    registrations = Registration.objects.filter(student=user)
    names = list(
        SubmissionFile.objects.filter(
            submission__registration__in=registrations, purged_at=None
        ).values_list("stored_name", flat=True)
    )
    Submission.objects.filter(registration__in=registrations).delete()
    for membership in TeamMembership.objects.filter(registration__in=registrations).select_related(
        "team"
    ):
        team = membership.team
        alone = not team.memberships.exclude(pk=membership.pk).exists()
        membership.delete()
        if alone:
            names += SubmissionFile.objects.filter(
                submission__team=team, purged_at=None
            ).values_list("stored_name", flat=True)
            Submission.objects.filter(team=team).delete()
            team.delete()
    if names:
        transaction.on_commit(lambda: files_delete(names))
