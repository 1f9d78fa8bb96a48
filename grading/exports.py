"""The grade sheet as downloads: CSV for the exam office, and the PDF (made by `grading.pdf`).

One header line, then one line per student in the sheet's order: matriculation number, name,
presentation, one column per report (report_1, report_2, …), participation, project, final
grade, result (passed / failed / incomplete) and the note. A value not entered yet is an empty
cell, a report not submitted is "n.s.". Grades are written with a decimal point ("1.7").
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from grading.pdf import grade_sheet_pdf
from grading.sheet import (
    GradeSheet,
    format_grade,
    format_project,
    format_report,
    format_result,
)
from seminar.spreadsheet import content_disposition, csv_response


def grade_sheet_csv_header(sheet: GradeSheet) -> list[str]:
    reports = [f"report_{number}" for number in range(1, sheet.report_columns + 1)]
    return [
        "matriculation_number",
        "name",
        "presentation",
        *reports,
        "participation",
        "project",
        "final_grade",
        "result",
        "note",
    ]


def grade_sheet_csv_rows(sheet: GradeSheet) -> list[list[str]]:
    rows = []
    for row in sheet.rows:
        reports = [format_report(r, missing="") for r in row.reports]
        reports += [""] * (sheet.report_columns - len(reports))
        rows.append(
            [
                row.matriculation_number,
                row.name,
                format_grade(row.presentation, missing=""),
                *reports,
                format_grade(row.participation, missing=""),
                format_project(row.project, missing=""),
                format_grade(row.final_grade, missing=""),
                format_result(row.passed),
                row.note,
            ]
        )
    return rows


def grade_sheet_filename(sheet: GradeSheet, extension: str) -> str:
    """A file name from the seminar and term, e.g. grades-deep-diffusion-winter-term-202223.csv
    (slugified; letters beyond ASCII are kept, the download header has an ASCII fallback)."""
    return sheet_filename(sheet.seminar_title, sheet.term, extension)


def sheet_filename(title: str, term: str, extension: str) -> str:
    stem = slugify(f"{title} {term}", allow_unicode=True) or "seminar"
    return f"grades-{stem}.{extension}"


def grade_sheet_csv(sheet: GradeSheet) -> HttpResponse:
    """The grade sheet as a CSV download, every cell neutralised for spreadsheet programs."""
    return csv_response(
        filename=grade_sheet_filename(sheet, "csv"),
        header=grade_sheet_csv_header(sheet),
        rows=grade_sheet_csv_rows(sheet),
    )


def grade_sheet_pdf_response(sheet: GradeSheet, *, base_url: str) -> HttpResponse:
    """The grade sheet as a PDF download, rendered now (small seminars; see sheet_export)."""
    return pdf_response(
        grade_sheet_pdf(sheet, base_url=base_url), grade_sheet_filename(sheet, "pdf")
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
