"""Tests of the grade sheet as CSV for the exam office (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from grading.calculation import NOT_SUBMITTED
from grading.exports import grade_sheet_csv
from grading.sheet import GradeSheet, GradeSheetRow


def sheet() -> GradeSheet:
    return GradeSheet(
        seminar_title="Tiefe Generative Modelle",
        term="Sommersemester 2023",
        examiners=("Prof. Dr. Jürgen Weiß",),
        generated_at=dt.datetime(2023, 4, 20, 10, 15, tzinfo=dt.UTC),
        rows=(
            GradeSheetRow(
                matriculation_number="2500001",
                name="Zoë Ağaoğlu",
                presentation="1.7",
                reports=("2.0", "2.0", "2.3"),
                participation="1.3",
                project="bonus",
                final_grade="1.3",
                passed=True,
                note="project bonus",
            ),
            GradeSheetRow(
                matriculation_number="2500002",
                name='=HYPERLINK("http://evil.example/","Click")',
                presentation="5.0",
                reports=("2.0", NOT_SUBMITTED),
                participation=None,
                project="fail",
                final_grade="5.0",
                passed=False,
                note="-failed: failed presentation (5.0)",
            ),
            GradeSheetRow(
                matriculation_number="+2500003",
                name="@Chidi Okafor",
                presentation=None,
                reports=(),
                participation=None,
                project=None,
                final_grade=None,
                passed=None,
                note="\tmissing",
            ),
        ),
    )


def test_grade_sheet_csv_rows_and_neutralised_cells():
    response = grade_sheet_csv(sheet())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows == [
        [
            "matriculation_number",
            "name",
            "presentation",
            "report_1",
            "report_2",
            "report_3",
            "participation",
            "project",
            "final_grade",
            "result",
            "note",
        ],
        [
            "2500001",
            "Zoë Ağaoğlu",
            "1.7",
            "2.0",
            "2.0",
            "2.3",
            "1.3",
            "bonus",
            "1.3",
            "passed",
            "project bonus",
        ],
        [
            "2500002",
            '\'=HYPERLINK("http://evil.example/","Click")',
            "5.0",
            "2.0",
            "n.s.",
            "",
            "",
            "fail",
            "5.0",
            "failed",
            "'-failed: failed presentation (5.0)",
        ],
        ["'+2500003", "'@Chidi Okafor", "", "", "", "", "", "", "", "incomplete", "'\tmissing"],
    ]


def test_grade_sheet_csv_file_name_from_seminar_and_term():
    response = grade_sheet_csv(sheet())
    assert response["Content-Disposition"] == (
        'attachment; filename="grades-tiefe-generative-modelle-sommersemester-2023.csv"; '
        "filename*=UTF-8''grades-tiefe-generative-modelle-sommersemester-2023.csv"
    )


def test_grade_sheet_csv_file_name_keeps_non_ascii_letters():
    umlaut = GradeSheet("Übung Künstliche Intelligenz", "WS 2023/24", (), sheet().generated_at, ())
    response = grade_sheet_csv(umlaut)
    assert response["Content-Disposition"] == (
        'attachment; filename="grades-ubung-kunstliche-intelligenz-ws-202324.csv"; '
        "filename*=UTF-8''grades-%C3%BCbung-k%C3%BCnstliche-intelligenz-ws-202324.csv"
    )
    assert response.content.decode("utf-8-sig").splitlines()[0].endswith("result,note")
