"""Writes of the grading app, one module per subject: the scheme, entering grades, releasing
them, and building the grade sheet."""

from grading.services.grades import Change, grading_save
from grading.services.release import grades_release
from grading.services.scheme import grading_scheme_ensure
from grading.services.sheet_export import grade_sheet_export_start

__all__ = [
    "Change",
    "grade_sheet_export_start",
    "grades_release",
    "grading_save",
    "grading_scheme_ensure",
]
