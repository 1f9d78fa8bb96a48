"""The 2023 seminar's semester as it happened: files handed in, grades entered and released.

Loaded as data, dated as it happened, like the registrations and the allocation of that seminar
(the services check today's deadlines, which lie three years back). Nobody is e-mailed.
"""

import datetime as dt
import hashlib
import io
import random

from django.core.files.base import ContentFile
from pypdf import PdfWriter

from grading.models import Attendance, GradingScheme, ProjectGrade, ReportGrade, StudentGrade
from seminar.deadlines import at_local
from seminar.enums import MeetingKind, RegistrationStatus
from seminar.models import Registration, Seminar
from submissions.enums import DeliverableKind, FileKind
from submissions.models import (
    Deliverable,
    MockPresentationMark,
    Submission,
    SubmissionFile,
    Team,
    TeamMembership,
)
from submissions.storage import stored_name_new, submission_storage
from topics.selectors import talks_of

# Grades as the supervisors gave them, one row per student in talk order:
# presentation, (report grades), participation, project result.
GRADES = [
    ("1.3", ("1.7", "1.3", "2.0"), "1.3", "bonus"),
    ("2.0", ("2.3", "2.0", "1.7"), "1.7", "pass"),
    ("1.7", ("1.7", "2.0", "2.0"), "2.0", "pass"),
    ("2.7", ("3.0", "2.7", "2.3"), "2.3", "pass"),
    ("1.0", ("1.3", "1.0", "1.3"), "1.0", "bonus"),
    ("3.3", ("3.0", "3.7", "3.3"), "3.0", "pass"),
    ("2.3", ("2.0", "2.3", "2.7"), "2.0", "pass"),
    ("1.7", ("1.3", "1.7", "1.7"), "1.3", "pass"),
    ("4.0", ("3.7", "4.0", "3.7"), "3.3", "pass"),
    ("2.0", ("2.0", "1.7", "2.3"), "1.7", "pass"),
    ("5.0", ("3.0", "3.3", "2.7"), "2.7", "pass"),  # the one failed presentation
    ("1.3", ("1.7", "1.3", "1.3"), "1.7", "bonus"),
]
RELEASED = at_local(dt.date(2023, 4, 21), dt.time(10))


def history_load(seminar: Seminar) -> None:
    """Hand-ins, grades and the release of a seminar whose topics are published."""
    registrations = list(
        Registration.objects.filter(seminar=seminar, status=RegistrationStatus.CONFIRMED)
        .select_related("student")
        .order_by("pk")
    )
    talks = talks_of(seminar)
    registrations.sort(key=lambda r: talks[r.pk].starts_at)
    deliverables = {d.kind: d for d in seminar.deliverables.all()}
    sessions = list(seminar.meetings.filter(kind=MeetingKind.SESSION).order_by("date"))
    last_day = sessions[-1].date
    topics = [a.topic for a in _assignments(seminar, registrations)]
    rng = random.Random(2023)
    for index, (registration, grades) in enumerate(zip(registrations, GRADES, strict=True)):
        talk_day = talks[registration.pk].starts_at.date()
        _hand_in(
            deliverables[DeliverableKind.SLIDE_DRAFT],
            {"registration": registration},
            "slides-draft.pdf",
            pages=rng.randint(18, 26),
            at=at_local(talk_day - dt.timedelta(days=8), dt.time(21, 40)),
            by=registration,
        )
        MockPresentationMark.objects.create(
            deliverable=deliverables[DeliverableKind.MOCK_PRESENTATION],
            registration=registration,
            given_at=at_local(dt.date(2023, 3, 3), dt.time(16)),
        )
        presentation, report_grades, participation, _ = grades
        StudentGrade.objects.create(
            registration=registration,
            presentation=presentation,
            talk_minutes=rng.randint(18, 24),
            participation=participation,
        )
        for number, grade in enumerate(report_grades, start=1):
            topic = topics[(index + number) % len(topics)]  # three talks of the others
            file = _hand_in(
                deliverables[DeliverableKind.REPORTS],
                {"registration": registration, "topic": topic},
                f"report-{number}.pdf",
                pages=rng.randint(2, 4),
                at=at_local(last_day + dt.timedelta(days=10 + number), dt.time(18, 5)),
                by=registration,
                number=number,
            )
            ReportGrade.objects.create(submission=file.submission, grade=grade)
        for session in sessions:
            Attendance.objects.create(registration=registration, session=session, attended=True)
    for first, second in zip(registrations[::2], registrations[1::2], strict=True):
        team = Team.objects.create(seminar=seminar)
        TeamMembership.objects.bulk_create(
            TeamMembership(team=team, registration=r) for r in (first, second)
        )
        file = _hand_in(
            deliverables[DeliverableKind.PROJECT],
            {"team": team, "repository_url": f"https://example.org/git/diffusion-team-{team.pk}"},
            "project-report.pdf",
            pages=6,
            at=at_local(last_day + dt.timedelta(days=27), dt.time(23, 10)),
            by=first,
        )
        result = GRADES[registrations.index(first)][3]
        ProjectGrade.objects.create(submission=file.submission, result=result)
    GradingScheme.objects.filter(seminar=seminar).update(released_at=RELEASED)


def _assignments(seminar: Seminar, registrations: list[Registration]):
    run = seminar.allocation_runs.get(published_at__isnull=False)
    by_registration = {a.registration_id: a for a in run.assignments.select_related("topic")}
    return [by_registration[r.pk] for r in registrations]


def _hand_in(
    deliverable: Deliverable,
    owner: dict,
    name: str,
    *,
    pages: int,
    at: dt.datetime,
    by: Registration,
    number: int = 1,
) -> SubmissionFile:
    content = _pdf(pages)
    stored = submission_storage().save(
        stored_name_new(
            seminar_id=deliverable.seminar_id, kind=deliverable.kind, file_kind=FileKind.PDF
        ),
        ContentFile(content),
    )
    submission = Submission.objects.create(
        deliverable=deliverable, number=number, created_at=at, updated_at=at, **owner
    )
    return SubmissionFile.objects.create(
        submission=submission,
        version=1,
        stored_name=stored,
        original_name=name,
        kind=FileKind.PDF,
        size=len(content),
        pages=pages,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=at,
        uploaded_by=by.student,
    )


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
