from grading.models.grades import (
    Attendance,
    CriterionMark,
    GradedStudent,
    ProjectGrade,
    ReportGrade,
    StudentGrade,
)
from grading.models.scheme import GradingScheme
from grading.models.sheet_export import GradeSheetExport

__all__ = [
    "Attendance",
    "CriterionMark",
    "GradeSheetExport",
    "GradedStudent",
    "GradingScheme",
    "ProjectGrade",
    "ReportGrade",
    "StudentGrade",
]
