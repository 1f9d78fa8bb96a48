"""The grade sheet as data: what the PDF and the CSV export print. Pure, no Django.

Build a `GradeSheet` from plain values (one `GradeSheetRow` per student, in the order they are to
be printed), or let `row_from_final_grade` fill a row from a participant's inputs and result.
Every value is turned into text by one `format_*` function, used by the PDF and the CSV alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Final
from zoneinfo import ZoneInfo

from grading.calculation import (
    FAIL,
    SCALE,
    Absence,
    FinalGrade,
    GradeInputs,
    GradeState,
    ProjectResult,
    ReportEntry,
    parse_grade,
)

LOCAL_ZONE: Final = ZoneInfo("Europe/Berlin")
NOT_ENTERED: Final = "–"  # printed for a value not entered yet
NOT_SUBMITTED_TEXT: Final = "n.s."  # printed for a report that was due and not handed in


@dataclass(frozen=True)
class GradeSheetRow:
    """One student's line. Grades are given as `Decimal` or `str` and kept as the scale's values;
    the final grade is None (and `passed` None) while the grading is incomplete."""

    matriculation_number: str
    name: str
    presentation: Decimal | None
    reports: tuple[ReportEntry, ...]
    participation: Decimal | None
    project: ProjectResult | None
    final_grade: Decimal | None
    passed: bool | None
    note: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # normalising the fields of a frozen dataclass
        for name in ("presentation", "participation", "final_grade"):
            value = getattr(self, name)
            set_(self, name, None if value is None else parse_grade(value))
        set_(
            self,
            "reports",
            tuple(
                r if r is None or isinstance(r, Absence) else parse_grade(r) for r in self.reports
            ),
        )
        if self.project is not None:
            set_(self, "project", ProjectResult(self.project))
        if self.passed is not None and not isinstance(self.passed, bool):
            raise TypeError("passed must be True, False or None.")
        if (self.final_grade is None) != (self.passed is None):
            raise ValueError("A row has both a final grade and a result, or neither.")
        if self.final_grade is not None and self.passed != (self.final_grade != FAIL):
            raise ValueError(f"A final grade of {self.final_grade} cannot be passed={self.passed}.")


@dataclass(frozen=True)
class SheetSummary:
    count: int
    passed: int
    failed: int
    incomplete: int
    # Mean of the final grades of every student who has one (passed and failed; 5.0 counts),
    # None when nobody has. Exact when the quotient terminates, else to 28 significant digits.
    mean: Decimal | None


@dataclass(frozen=True)
class GradeSheet:
    seminar_title: str
    term: str
    examiners: tuple[str, ...]
    generated_at: dt.datetime  # aware; printed in Europe/Berlin
    rows: tuple[GradeSheetRow, ...]

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None:
            raise ValueError("generated_at must be an aware datetime.")
        object.__setattr__(self, "examiners", tuple(self.examiners))
        object.__setattr__(self, "rows", tuple(self.rows))

    @property
    def report_columns(self) -> int:
        """How many report columns the CSV needs: the most reports any row has."""
        return max((len(row.reports) for row in self.rows), default=0)

    def summary(self) -> SheetSummary:
        graded = [row.final_grade for row in self.rows if row.final_grade is not None]
        mean = None
        if graded:
            with localcontext() as context:
                context.prec = 28
                mean = sum(graded, Decimal(0)) / len(graded)
        passed = sum(row.passed is True for row in self.rows)
        failed = sum(row.passed is False for row in self.rows)
        return SheetSummary(
            count=len(self.rows),
            passed=passed,
            failed=failed,
            incomplete=len(self.rows) - passed - failed,
            mean=mean,
        )

    def distribution(self) -> dict[Decimal, int]:
        """How many final grades fall on each step of the scale (every step, zeros included)."""
        counts = dict.fromkeys(SCALE, 0)
        for row in self.rows:
            if row.final_grade is not None:
                counts[row.final_grade] += 1
        return counts


def row_from_final_grade(
    *, matriculation_number: str, name: str, inputs: GradeInputs, result: FinalGrade
) -> GradeSheetRow:
    """A sheet row from a participant's inputs and computed result. The note names the failed
    gates of a failed student or what is still missing for an incomplete one."""
    if result.state is GradeState.FAILED:
        note = "; ".join(f.text for f in result.failed_gates)
    elif result.state is GradeState.INCOMPLETE:
        note = "; ".join(f.text for f in result.missing)
    else:
        note = ""  # the project column already shows a bonus
    return GradeSheetRow(
        matriculation_number=matriculation_number,
        name=name,
        presentation=inputs.presentation,
        reports=inputs.reports,
        participation=inputs.participation,
        project=inputs.project,
        final_grade=result.grade,
        passed=result.passed,
        note=note,
    )


# --- formatting: one function per kind of value ------------------------------------------------


def format_grade(value: Decimal | None, *, missing: str = NOT_ENTERED) -> str:
    """A grade as printed ("1.7"), or `missing` when not entered."""
    return missing if value is None else str(value)


def format_report(value: ReportEntry, *, missing: str = NOT_ENTERED) -> str:
    """One report: its grade, `missing` while ungraded, "n.s." when not submitted."""
    if isinstance(value, Absence):
        return NOT_SUBMITTED_TEXT
    return format_grade(value, missing=missing)


def format_reports(values: Sequence[ReportEntry], *, missing: str = NOT_ENTERED) -> str:
    """All reports of a student in one cell: "1.7 2.0 n.s."."""
    return " ".join(format_report(value, missing=missing) for value in values) or missing


def format_project(value: ProjectResult | None, *, missing: str = NOT_ENTERED) -> str:
    return missing if value is None else value.value


def format_result(passed: bool | None) -> str:
    return {True: "passed", False: "failed", None: "incomplete"}[passed]


def format_mean(value: Decimal | None, *, missing: str = NOT_ENTERED) -> str:
    """A mean of grades, to two decimals, halves up ("2.145" → "2.15")."""
    if value is None:
        return missing
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def format_generated_at(value: dt.datetime) -> str:
    """Local time in Berlin, to the minute: "2026-03-21 14:05"."""
    return value.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
