"""What can be entered for one participant, as named fields: the grading page's form builds its
inputs from these, and `grading_save` compares, applies and logs by them, so the page, the
activity log and the e-mails use the same names and the same words.

A field's `value` is its current value in the form's terms: a grade is its text ("1.7", "" while
not graded), attendance is "yes", "no" or "" (not marked), a project result is "fail", "pass",
"bonus" or "".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.text import Truncator

from grading.enums import ProjectOutcome
from grading.selectors import StudentGrading


class Kind(StrEnum):
    GRADE = "grade"
    TEXT = "text"
    MINUTES = "minutes"
    TICK = "tick"
    ATTENDANCE = "attendance"
    GIVEN = "given"
    PROJECT = "project"


class Section(StrEnum):
    PRESENTATION = "presentation"
    REPORTS = "reports"
    PARTICIPATION = "participation"
    ATTENDANCE = "attendance"
    MOCK = "mock"
    PROJECT = "project"


@dataclass(frozen=True)
class GradingField:
    key: str
    label: str
    kind: Kind
    value: object
    section: Section
    editable: bool = True
    note: str = ""  # why it cannot be changed here, when it cannot


TEAM_NOT_YOURS = (
    "The team includes a student you do not grade, so only the organizer sets the team's "
    "result. You can set this student's own result below."
)


def grading_fields(grading: StudentGrading, *, team_editable: bool) -> dict[str, GradingField]:
    """Every field of one participant's grading page, in page order, with its current value."""
    rules = grading.rules
    weights = rules.grading_scheme
    found: list[GradingField] = []

    def add(key, label, kind, value, section, **extra) -> None:
        found.append(GradingField(key, label, kind, value, section, **extra))

    present = Section.PRESENTATION
    if weights.weight_presentation:
        add("presentation", "presentation grade", Kind.GRADE, grading.presentation, present)
    add("talk_minutes", "talk length (minutes)", Kind.MINUTES, grading.talk_minutes, present)
    for criterion, mark in grading.criteria:
        name = f"criterion “{Truncator(criterion.text).chars(60)}”"
        add(
            f"criterion_{criterion.pk}_met",
            f"{name}: met",
            Kind.TICK,
            bool(mark and mark.met),
            present,
        )
        add(
            f"criterion_{criterion.pk}_comment",
            f"{name}: comment",
            Kind.TEXT,
            mark.comment if mark else "",
            present,
        )
    add(
        "presentation_comment",
        "presentation comment",
        Kind.TEXT,
        grading.presentation_comment,
        present,
    )
    for report in grading.reports:
        if report.submission is None or report.current is None:
            continue  # nothing handed in: nothing to grade
        key = f"report_{report.submission.pk}"
        add(
            f"{key}_grade",
            f"report {report.number} grade",
            Kind.GRADE,
            report.grade,
            Section.REPORTS,
        )
        add(
            f"{key}_comment",
            f"report {report.number} comment",
            Kind.TEXT,
            report.comment,
            Section.REPORTS,
        )
    if weights.weight_participation:
        section = Section.PARTICIPATION
        add("participation", "participation grade", Kind.GRADE, grading.participation, section)
        add(
            "participation_comment",
            "participation comment",
            Kind.TEXT,
            grading.participation_comment,
            section,
        )
    for number, (session, attended) in enumerate(grading.attendance, start=1):
        value = "" if attended is None else ("yes" if attended else "no")
        when = date_format(session.date, "j M Y")
        add(
            f"attendance_{session.pk}",
            f"attendance of session {number} ({when})",
            Kind.ATTENDANCE,
            value,
            Section.ATTENDANCE,
        )
    if rules.mock_required:
        given = grading.mock_mark is not None
        add("mock_given", "mock presentation given", Kind.GIVEN, given, Section.MOCK)
    project = grading.project
    if project is not None:
        if project.submission is not None:
            key = f"team_{project.submission.pk}"
            extra = {} if team_editable else {"editable": False, "note": TEAM_NOT_YOURS}
            label = "project result (team)" if project.mates else "project result (handed in)"
            add(f"{key}_result", label, Kind.PROJECT, project.team_result, Section.PROJECT, **extra)
            add(
                f"{key}_comment",
                "project comment",
                Kind.TEXT,
                project.comment,
                Section.PROJECT,
                **extra,
            )
            own = "project result of this student (overrides the team's)"
        else:
            own = "project result"
        add("project_result", own, Kind.PROJECT, project.own_result, Section.PROJECT)
    return {field.key: field for field in found}


def value_text(kind: Kind, value: object) -> str:
    """A value in words, for the activity log and the e-mails."""
    if kind == Kind.GRADE:
        return str(value) if value else "not graded"
    if kind == Kind.TEXT:
        return str(value) if value else "(none)"
    if kind == Kind.MINUTES:
        return f"{value} min" if value is not None else "not entered"
    if kind == Kind.TICK:
        return "met" if value else "not met"
    if kind == Kind.ATTENDANCE:
        return {"yes": "attended", "no": "absent"}.get(str(value), "not marked")
    if kind == Kind.GIVEN:
        return "given" if value else "not given"
    if kind == Kind.PROJECT:
        return ProjectOutcome(value).label if value else "not entered"
    raise ValueError(f"unknown kind {kind!r}")
