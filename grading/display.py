"""Grades for people: the active language's decimal separator ("1,7" in German)."""

import re
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.translation import gettext_lazy

# A decimal point between digits, as the scale and the computations write it ("1.7", "0.50").
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def grade_text(value) -> str:
    """`value` (a Decimal, a grade string, or a text containing grades) with every decimal
    point between two digits written as the active language's separator; None and "" as ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    separator = get_format("DECIMAL_SEPARATOR")
    return _DECIMAL_POINT.sub(separator, str(value))


# The findings of grading/calculation.py (a pure module, written in English) in the reader's
# language. Each pattern is the English text; a text not listed is shown as it is.
_FINDINGS = [
    (
        re.compile(r"weighted mean (?P<mean>[\d.…]+) is above 4\.0"),
        gettext_lazy("weighted mean %(mean)s is above 4.0"),
    ),
    (
        re.compile(r"missing attendance of session (?P<number>\d+)"),
        gettext_lazy("missing attendance of session %(number)s"),
    ),
    (
        re.compile(r"attendance of session (?P<number>\d+) not marked"),
        gettext_lazy("attendance of session %(number)s not marked"),
    ),
    (re.compile(r"presentation not graded"), gettext_lazy("presentation not graded")),
    (re.compile(r"failed presentation \(5\.0\)"), gettext_lazy("failed presentation (5.0)")),
    (re.compile(r"no mock presentation"), gettext_lazy("no mock presentation")),
    (re.compile(r"mock presentation not marked"), gettext_lazy("mock presentation not marked")),
    (re.compile(r"missing report (?P<number>\d+)"), gettext_lazy("missing report %(number)s")),
    (
        re.compile(r"report (?P<number>\d+) not graded"),
        gettext_lazy("report %(number)s not graded"),
    ),
    (
        re.compile(r"failed report (?P<number>\d+) \(5\.0\)"),
        gettext_lazy("failed report %(number)s (5.0)"),
    ),
    (re.compile(r"participation not graded"), gettext_lazy("participation not graded")),
    (re.compile(r"failed project"), gettext_lazy("failed project")),
    (re.compile(r"project result not entered"), gettext_lazy("project result not entered")),
    # A grader's to-do (grading.selectors.StudentGrading.to_do).
    (
        re.compile(r"talk (?P<minutes>\d+) min, over the (?P<limit>\d+) min maximum"),
        gettext_lazy("talk %(minutes)s min, over the %(limit)s min maximum"),
    ),
]
_FAILED = "failed: "
# Words inside a computed explanation ("… → 5.0 (above 4.0)", "; project bonus → 1.0 …").
_EXPLANATION_WORDS = [
    ("(above 4.0)", gettext_lazy("(above 4.0)")),
    ("(already the best grade)", gettext_lazy("(already the best grade)")),
    ("project bonus", gettext_lazy("project bonus")),
]


def finding_text(text: str) -> str:
    """A finding's text ("missing report 2") in the reader's language, grades localized."""
    if text.startswith(_FAILED):
        return str(gettext_lazy("failed: %(finding)s")) % {
            "finding": finding_text(text.removeprefix(_FAILED))
        }
    for pattern, translated in _FINDINGS:
        match = pattern.fullmatch(text)
        if match:
            return grade_text(str(translated) % match.groupdict())
    return grade_text(text)


def explanation_text(text: str) -> str:
    """A grade's computation ("0.50 × 1.7 + … → 1.7") in the reader's language."""
    for english, translated in _EXPLANATION_WORDS:
        text = text.replace(english, str(translated))
    return grade_text(text)


# The grading page's field names (grading/fields.py, in English: the activity log and the
# e-mails use them as they are) as the grader's form shows them.
_FIELD_LABELS = [
    (re.compile(r"presentation grade"), gettext_lazy("presentation grade")),
    (re.compile(r"talk length \(minutes\)"), gettext_lazy("talk length (minutes)")),
    (re.compile(r"criterion “(?P<text>.*)”: met", re.S), gettext_lazy("criterion “%(text)s”: met")),
    (
        re.compile(r"criterion “(?P<text>.*)”: comment", re.S),
        gettext_lazy("criterion “%(text)s”: comment"),
    ),
    (re.compile(r"presentation comment"), gettext_lazy("presentation comment")),
    (re.compile(r"report (?P<number>\d+) grade"), gettext_lazy("report %(number)s grade")),
    (re.compile(r"report (?P<number>\d+) comment"), gettext_lazy("report %(number)s comment")),
    (re.compile(r"participation grade"), gettext_lazy("participation grade")),
    (re.compile(r"participation comment"), gettext_lazy("participation comment")),
    (
        re.compile(r"attendance of session (?P<number>\d+) \((?P<when>[^)]*)\)"),
        gettext_lazy("attendance of session %(number)s (%(when)s)"),
    ),
    (re.compile(r"mock presentation given"), gettext_lazy("mock presentation given")),
    (re.compile(r"project result \(team\)"), gettext_lazy("project result (team)")),
    (re.compile(r"project result \(handed in\)"), gettext_lazy("project result (handed in)")),
    (re.compile(r"project comment"), gettext_lazy("project comment")),
    (
        re.compile(r"project result of this student \(overrides the team's\)"),
        gettext_lazy("project result of this student (overrides the team's)"),
    ),
    (re.compile(r"project result"), gettext_lazy("project result")),
    (
        re.compile(
            r"The team includes a student you do not grade, so only the organizer sets the "
            r"team's result\. You can set this student's own result below\."
        ),
        gettext_lazy(
            "The team includes a student you do not grade, so only the organizer sets the "
            "team's result. You can set this student's own result below."
        ),
    ),
]


def field_label_text(text: str) -> str:
    """A grading field's name or note in the reader's language (unknown: as it is)."""
    for pattern, translated in _FIELD_LABELS:
        match = pattern.fullmatch(text)
        if match:
            return str(translated) % match.groupdict()
    return text
