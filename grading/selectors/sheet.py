"""The grade sheet of a seminar from the one reader of grades: the PDF and the CSV print it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grading.selectors.gradings import StudentGrading, gradings_of
from grading.selectors.people import grading_participants
from grading.sheet import GradeSheet, row_from_final_grade
from seminar.enums import StaffKind
from seminar.models import Seminar


def examiners_of(seminar: Seminar) -> list[str]:
    """The seminar's organizers as its page lists them: the examiners of the grade sheet."""
    roles = seminar.staff.filter(kind=StaffKind.ORGANIZER).select_related("user")
    return [role.display_name for role in roles.order_by("position", "pk")]


def sheet_of(
    seminar: Seminar, gradings: list[StudentGrading], *, now: dt.datetime | None = None
) -> GradeSheet:
    rows = [
        row_from_final_grade(
            matriculation_number=g.registration.student.matriculation_number,
            name=g.registration.student.full_name,
            inputs=g.inputs,
            result=g.result,
        )
        for g in gradings
    ]
    return GradeSheet(
        seminar_title=seminar.title,
        term=seminar.term,
        examiners=tuple(examiners_of(seminar)),
        generated_at=timezone.now() if now is None else now,
        rows=tuple(rows),
    )


def grade_sheet_of(seminar: Seminar, *, now: dt.datetime | None = None) -> GradeSheet:
    """Every participant's row, by name, in a fixed number of queries."""
    participants = grading_participants(seminar)
    gradings = gradings_of(seminar, participants, now=now)
    return sheet_of(seminar, [gradings[r.pk] for r in participants], now=now)
