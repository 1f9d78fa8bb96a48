"""Tests of the grade sheet as data (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from grading.calculation import NOT_SUBMITTED, SCALE, GradeInputs, Scheme, final_grade
from grading.sheet import (
    GradeSheet,
    GradeSheetRow,
    SheetSummary,
    format_generated_at,
    format_grade,
    format_mean,
    format_project,
    format_reports,
    format_result,
    row_from_final_grade,
)

GENERATED = dt.datetime(2023, 4, 20, 10, 15, tzinfo=dt.UTC)


def row(final: str | None, passed: bool | None, **changes) -> GradeSheetRow:
    values = {
        "matriculation_number": "2500001",
        "name": "Alex Kramer",
        "presentation": "1.7",
        "reports": ("2.0", "2.0", "2.0"),
        "participation": "1.3",
        "project": "pass",
        "final_grade": final,
        "passed": passed,
    } | changes
    return GradeSheetRow(**values)


def sheet(*rows: GradeSheetRow) -> GradeSheet:
    return GradeSheet("Deep Generative Diffusion Models", "WS 2022/23", ("GG",), GENERATED, rows)


def test_summary_counts_and_exact_mean_of_graded_rows():
    result = sheet(row("1.0", True), row("1.3", True), row("5.0", False), row(None, None)).summary()
    # (1.0 + 1.3 + 5.0) / 3 = 2.4333…: the incomplete row is left out, the fail counts.
    assert result == SheetSummary(
        count=4,
        passed=2,
        failed=1,
        incomplete=1,
        mean=Decimal("2.433333333333333333333333333"),
    )
    assert format_mean(result.mean) == "2.43"


def test_summary_mean_is_exact_when_it_terminates():
    assert sheet(row("1.3", True), row("2.0", True)).summary().mean == Decimal("1.65")


def test_summary_of_an_empty_or_ungraded_sheet_has_no_mean():
    assert sheet().summary() == SheetSummary(0, 0, 0, 0, None)
    assert sheet(row(None, None)).summary() == SheetSummary(1, 0, 0, 1, None)


def test_distribution_counts_every_scale_step():
    counts = sheet(row("1.3", True), row("1.3", True), row("5.0", False), row(None, None))
    expected = dict.fromkeys(SCALE, 0) | {Decimal("1.3"): 2, Decimal("5.0"): 1}
    assert counts.distribution() == expected
    assert list(counts.distribution()) == list(SCALE)


def test_row_refuses_a_result_that_contradicts_the_grade():
    with pytest.raises(ValueError):
        row("5.0", True)
    with pytest.raises(ValueError):
        row("1.7", False)
    with pytest.raises(ValueError):
        row(None, True)
    with pytest.raises(ValueError):
        row("1.7", None)


def test_row_refuses_floats_and_grades_off_the_scale():
    with pytest.raises(TypeError):
        row("1.7", True, presentation=1.7)
    with pytest.raises(ValueError):
        row("1.5", True)


def test_sheet_refuses_a_naive_generation_time():
    with pytest.raises(ValueError):
        GradeSheet("S", "T", (), dt.datetime(2023, 4, 20, 10, 15), ())


def test_format_functions():
    assert [format_grade(Decimal("1.7")), format_grade(None), format_grade(None, missing="")] == [
        "1.7",
        "–",
        "",
    ]
    assert format_reports((Decimal("1.7"), None, NOT_SUBMITTED)) == "1.7 – n.s."
    assert format_reports(()) == "–"
    assert [format_project(None), format_result(True), format_result(False)] == [
        "–",
        "passed",
        "failed",
    ]
    assert format_result(None) == "incomplete"
    assert [format_mean(Decimal("2.145")), format_mean(None)] == ["2.15", "–"]
    # Europe/Berlin: summer time in April (UTC+2).
    assert format_generated_at(GENERATED) == "2023-04-20 12:15"


def test_row_from_final_grade_notes_why_and_what_is_missing():
    scheme = Scheme()
    complete = GradeInputs(
        presentation="1.7",
        reports=["2.0"] * 3,
        participation="1.3",
        attendance=[True, True],
        mock_given=True,
        project="bonus",
    )
    failed = GradeInputs(
        presentation="1.7",
        reports=["2.0", NOT_SUBMITTED],
        participation="1.3",
        attendance=[True, False],
        mock_given=True,
        project="pass",
    )
    incomplete = GradeInputs(presentation="1.7", attendance=[True, True], mock_given=True)
    rows = [
        row_from_final_grade(
            matriculation_number="1",
            name="A",
            inputs=inputs,
            result=final_grade(scheme=scheme, inputs=inputs),
        )
        for inputs in (complete, failed, incomplete)
    ]
    assert [(r.final_grade, r.passed, r.note) for r in rows] == [
        (Decimal("1.3"), True, ""),
        (Decimal("5.0"), False, "missing attendance of session 2; missing report 2"),
        (
            None,
            None,
            "report 1 not graded; report 2 not graded; report 3 not graded; "
            "participation not graded; project result not entered",
        ),
    ]
    assert rows[1].reports == (Decimal("2.0"), NOT_SUBMITTED)
