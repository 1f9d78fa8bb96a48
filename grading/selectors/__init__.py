"""Reads of the grading app. `gradings_of` is the one reader of a participant's grades; every
page, e-mail and export builds on it."""

from grading.selectors.gradings import ProjectView, ReportView, StudentGrading, gradings_of
from grading.selectors.people import gradable_students, grading_participants
from grading.selectors.scheme import SeminarRules, scheme_of, seminar_rules
from grading.selectors.sheet import examiners_of, grade_sheet_of, sheet_of

__all__ = [
    "ProjectView",
    "ReportView",
    "SeminarRules",
    "StudentGrading",
    "examiners_of",
    "gradable_students",
    "grade_sheet_of",
    "gradings_of",
    "grading_participants",
    "scheme_of",
    "seminar_rules",
    "sheet_of",
]
