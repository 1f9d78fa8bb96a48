"""The grading app's admin: the "Grading" list and each participant's grading page
(`students`), the grading scheme on the seminar's page and the seminar actions that release
grades and export the grade sheet (`seminars`)."""

from grading.admin.seminars import GradingSchemeInline
from grading.admin.students import GradingAdmin

__all__ = ["GradingAdmin", "GradingSchemeInline"]
