"""Each participant's grades as entered, and the final grade derived from them whenever read.

`gradings_of` is the one reader: the grading page, the lists, the dashboard, the e-mails and
both exports build on it, so they all show the same grade. It reads a fixed number of queries
for any number of students. Nothing derived is stored: the final grade, the failed gates and
what is missing follow the current rows, the deadlines and the seminar's settings.

What is derived besides the entered grades:
- a report that was not handed in by its effective deadline (extensions included) counts as
  missing (a failed gate); before that it is just not graded yet;
- the mock presentation counts as given once its supervisor marked it; unmarked after its
  deadline it counts as not given;
- the project result is the student's own result if one is set, else the result of the project
  their team handed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from grading.calculation import (
    NOT_SUBMITTED,
    FinalGrade,
    GradeInputs,
    GradeState,
    Part,
    ProjectResult,
    ReportEntry,
    final_grade,
)
from grading.models import Attendance, CriterionMark, ProjectGrade, ReportGrade, StudentGrade
from grading.selectors.scheme import SeminarRules, seminar_rules
from seminar.enums import RegistrationStatus
from seminar.models import Meeting, PresentationCriterion, Registration, Seminar
from submissions.enums import DeliverableKind
from submissions.models import MockPresentationMark, Submission, SubmissionFile
from submissions.selectors import (
    Due,
    Progress,
    progress_of,
    published_assignments,
    seminar_calendar,
)
from topics.models import Assignment
from topics.selectors import Talk


@dataclass(frozen=True)
class ReportView:
    """One required report: what was handed in, its grade, and what enters the final grade."""

    number: int
    submission: Submission | None
    versions: list[SubmissionFile]  # newest first
    record: ReportGrade | None
    due: Due
    entry: ReportEntry

    @property
    def current(self) -> SubmissionFile | None:
        return self.versions[0] if self.versions else None

    @property
    def grade(self) -> str:
        return self.record.grade if self.record else ""

    @property
    def comment(self) -> str:
        return self.record.comment if self.record else ""

    @property
    def subject(self) -> str:
        return self.submission.subject if self.submission else ""

    @property
    def not_submitted(self) -> bool:
        return self.entry is NOT_SUBMITTED


@dataclass(frozen=True)
class ProjectView:
    """The practical project: the team's handed-in project and its result, the student's own."""

    submission: Submission | None  # the team's project, once handed in
    versions: list[SubmissionFile]
    record: ProjectGrade | None
    mates: list[Registration]  # the other members of the team who take part
    own_result: str
    due: Due

    @property
    def current(self) -> SubmissionFile | None:
        return self.versions[0] if self.versions else None

    @property
    def team_result(self) -> str:
        return self.record.result if self.record else ""

    @property
    def comment(self) -> str:
        return self.record.comment if self.record else ""

    @property
    def effective(self) -> ProjectResult | None:
        value = self.own_result or self.team_result
        return ProjectResult(value) if value else None


@dataclass(frozen=True)
class StudentGrading:
    """One participant: what was entered, what was handed in, and the final grade."""

    registration: Registration
    rules: SeminarRules
    record: StudentGrade | None
    criteria: list[tuple[PresentationCriterion, CriterionMark | None]]
    reports: list[ReportView]
    attendance: list[tuple[Meeting, bool | None]]
    mock_mark: MockPresentationMark | None
    mock_due: Due | None
    mock_given: bool | None  # derived: marked, or not marked after the deadline
    project: ProjectView | None
    progress: dict[str, Progress]
    assignment: Assignment | None
    talk: Talk | None
    inputs: GradeInputs
    result: FinalGrade

    @property
    def presentation(self) -> str:
        return self.record.presentation if self.record else ""

    @property
    def presentation_comment(self) -> str:
        return self.record.presentation_comment if self.record else ""

    @property
    def talk_minutes(self) -> int | None:
        return self.record.talk_minutes if self.record else None

    @property
    def talk_over_limit(self) -> bool:
        minutes = self.talk_minutes
        return minutes is not None and minutes > self.rules.seminar.talk_max_minutes

    @property
    def participation(self) -> str:
        return self.record.participation if self.record else ""

    @property
    def participation_comment(self) -> str:
        return self.record.participation_comment if self.record else ""

    @property
    def revision(self) -> int:
        return self.record.revision if self.record else 0

    @property
    def supervisor_name(self) -> str:
        topic = self.assignment.topic if self.assignment else None
        return topic.supervisor.display_name if topic and topic.supervisor else ""

    @property
    def computation(self) -> str:
        """The explanation when it is a computation ("0.50 × 1.7 + … → 1.7"); empty when the
        result is a failed gate or incomplete, which the findings already name."""
        result = self.result
        if result.state == GradeState.COMPLETE or (
            result.failed_gates and all(f.part == Part.MEAN for f in result.failed_gates)
        ):
            return result.explanation
        return ""

    @cached_property
    def to_do(self) -> list[str]:
        """What a grader reads first: failed gates, then what is still missing."""
        found = [f"failed: {f.text}" for f in self.result.failed_gates]
        found += [finding.text for finding in self.result.missing]
        if self.talk_over_limit:
            limit = self.rules.seminar.talk_max_minutes
            found.append(f"talk {self.talk_minutes} min, over the {limit} min maximum")
        return found

    @cached_property
    def files(self) -> list[tuple[str, SubmissionFile]]:
        """Every handed-in file's current version, labelled ("Slide draft", "Report 2", …)."""
        found = []
        for progress in self.progress.values():
            label = progress.deliverable.get_kind_display()
            for item in progress.items:
                if item.current is None:
                    continue
                many = progress.deliverable.kind == DeliverableKind.REPORTS
                found.append((f"Report {item.number}" if many else label, item.current))
        return found


def gradings_of(
    seminar: Seminar, registrations: list[Registration], *, now: dt.datetime | None = None
) -> dict[int, StudentGrading]:
    """registration id -> grading, for participants of one seminar. A fixed number of queries
    whatever the number of students."""
    now = timezone.now() if now is None else now
    rules = seminar_rules(seminar)
    ids = [r.pk for r in registrations]
    calendar = seminar_calendar(seminar, registration_ids=ids)
    progress = progress_of(
        seminar, registrations, calendar=calendar, deliverables=rules.deliverables, now=now
    )
    assignments = published_assignments(seminar, registration_ids=ids)
    records = {
        record.registration_id: record
        for record in StudentGrade.objects.filter(registration_id__in=ids).prefetch_related(
            "criterion_marks"
        )
    }
    attended = {
        (a.registration_id, a.session_id): a.attended
        for a in Attendance.objects.filter(registration_id__in=ids)
    }
    handed_in = {
        item.submission.pk
        for row in progress.values()
        for kind in (DeliverableKind.REPORTS, DeliverableKind.PROJECT)
        if kind in row
        for item in row[kind].items
        if item.submission is not None
    }
    report_grades = {
        g.submission_id: g for g in ReportGrade.objects.filter(submission_id__in=handed_in)
    }
    project_grades = {
        g.submission_id: g for g in ProjectGrade.objects.filter(submission_id__in=handed_in)
    }
    mate_ids = {pk for team in calendar.members.values() for pk in team} - set(ids)
    people = {r.pk: r for r in registrations}
    people |= {
        r.pk: r
        for r in Registration.objects.filter(
            pk__in=mate_ids, status=RegistrationStatus.CONFIRMED
        ).select_related("student")
    }
    result = {}
    for registration in registrations:
        record = records.get(registration.pk)
        row = progress[registration.pk]
        marks = {m.criterion_id: m for m in record.criterion_marks.all()} if record else {}
        reports = _reports(row.get(DeliverableKind.REPORTS), report_grades, now)
        mock = row.get(DeliverableKind.MOCK_PRESENTATION)
        mock_given = None
        if mock is not None:
            effective = mock.due.effective
            if mock.given is not None:
                mock_given = True
            elif effective is not None and now > effective:
                mock_given = False
        project = None
        if DeliverableKind.PROJECT in row:
            item = row[DeliverableKind.PROJECT]
            submission = item.items[0].submission
            team = calendar.team_of.get(registration.pk)
            mates = [
                people[pk]
                for pk in calendar.members.get(team, [])
                if pk != registration.pk
                and pk in people
                and people[pk].status == RegistrationStatus.CONFIRMED
            ]
            project = ProjectView(
                submission=submission,
                versions=item.items[0].versions,
                record=project_grades.get(submission.pk) if submission else None,
                mates=sorted(mates, key=lambda r: r.student.full_name),
                own_result=record.project_result if record else "",
                due=item.due,
            )
        attendance = [(s, attended.get((registration.pk, s.pk))) for s in rules.sessions]
        inputs = GradeInputs(
            presentation=_grade(record.presentation if record else ""),
            reports=[report.entry for report in reports],
            participation=_grade(record.participation if record else ""),
            attendance=[value for _, value in attendance],
            mock_given=mock_given,
            project=project.effective if project else None,
        )
        result[registration.pk] = StudentGrading(
            registration=registration,
            rules=rules,
            record=record,
            criteria=[(c, marks.get(c.pk)) for c in rules.criteria],
            reports=reports,
            attendance=attendance,
            mock_mark=mock.given if mock else None,
            mock_due=mock.due if mock else None,
            mock_given=mock_given,
            project=project,
            progress=row,
            assignment=assignments.get(registration.pk),
            talk=calendar.talks.get(registration.pk),
            inputs=inputs,
            result=_final(rules, inputs),
        )
    return result


def _grade(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def _reports(
    progress: Progress | None, grades: dict[int, ReportGrade], now: dt.datetime
) -> list[ReportView]:
    if progress is None:
        return []
    effective = progress.due.effective
    overdue = effective is not None and now > effective
    reports = []
    for item in progress.items:
        record = grades.get(item.submission.pk) if item.submission else None
        if item.current is not None:
            entry: ReportEntry = _grade(record.grade if record else "")
        else:
            entry = NOT_SUBMITTED if overdue else None
        reports.append(
            ReportView(item.number, item.submission, item.versions, record, progress.due, entry)
        )
    return reports


def _final(rules: SeminarRules, inputs: GradeInputs) -> FinalGrade:
    if rules.scheme is None:
        return FinalGrade(GradeState.INCOMPLETE, None, None, f"cannot be computed: {rules.problem}")
    return final_grade(scheme=rules.scheme, inputs=inputs)
