"""The final grade of a seminar participant, computed exactly: a pure module, no Django.

Inputs are grades of the German scale given as `Decimal` or `str` (a `float` is refused with
TypeError: binary floating point cannot hold 1.3 or 1.7). Arithmetic is done with `Fraction`, so
the mean of three reports (e.g. 4.3 / 3) is exact too, and compared with the rounding boundaries
exactly.

The rules, in the order they are applied:

1. Switched-off parts are ignored: a component whose weight is 0 (presentation, participation),
   no reports when `reports_required` is 0, no mock when `mock_required` is false, no project when
   `project_required` is false. A value given for a switched-off part changes nothing.
2. Gates. Each session must be attended, the presentation passed (≤ 4.0), the mock presentation
   given, every required report submitted and passed (≤ 4.0), the project passed (pass or bonus).
   Participation is not a gate; it only enters the mean.
3. A known failure beats incompleteness: if any gate failed, the result is `failed` with 5.0 and
   names every failed gate, even when other parts are not graded yet (those are still listed in
   `missing`). Otherwise, if anything is not yet decided (a grade not entered, attendance or the
   mock not marked, the project result not entered), the result is `incomplete` with no grade.
4. The weighted mean of presentation, the exact mean of the reports, and participation, with the
   scheme's weights in whole percent.
5. Rounding: the mean is mapped to the nearest passing grade 1.0 … 4.0; a mean exactly halfway
   between two grades gets the better (lower) one. 4.0 is the pass line: a mean above 4.0 (even
   4.01) is 5.0, failed; rounding never carries a mean across the pass line.
6. Bonus: a project result "bonus" moves a passing grade `bonus_steps` steps up the scale
   (1.7 → 1.3 for one step), never past 1.0, and never from 5.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import Final

SCALE: Final[tuple[Decimal, ...]] = tuple(
    Decimal(text)
    for text in ("1.0", "1.3", "1.7", "2.0", "2.3", "2.7", "3.0", "3.3", "3.7", "4.0", "5.0")
)
FAIL: Final = SCALE[-1]
PASS_LINE: Final = SCALE[-2]  # 4.0: the worst passing grade
PASSING: Final = SCALE[:-1]
# Each passing grade wins every mean up to and including its upper midpoint (ties to the better
# grade); 4.0 wins every mean up to 4.0 itself.
_UPPER_BOUNDS: Final = tuple(
    (Fraction(better) + Fraction(worse)) / 2 for better, worse in pairwise(PASSING)
) + (Fraction(PASS_LINE),)


class Absence(Enum):
    """A report that was due and not handed in (a failed gate, unlike None: not graded yet)."""

    NOT_SUBMITTED = "not submitted"


NOT_SUBMITTED: Final = Absence.NOT_SUBMITTED

# What a report entry may be: a grade, None while it is not graded, or NOT_SUBMITTED.
ReportEntry = Decimal | Absence | None


class ProjectResult(StrEnum):
    FAIL = "fail"
    PASS = "pass"
    BONUS = "bonus"


class GradeState(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    FAILED = "failed"


class Part(StrEnum):
    """What a gate or a missing item is about."""

    ATTENDANCE = "attendance"
    PRESENTATION = "presentation"
    MOCK = "mock"
    REPORT = "report"
    PARTICIPATION = "participation"
    PROJECT = "project"
    MEAN = "mean"


@dataclass(frozen=True)
class Finding:
    """A failed gate or an item still missing: the part, its number (session, report) if any,
    and a short text for people ("missing attendance of session 2")."""

    part: Part
    number: int | None
    text: str


def parse_grade(value: Decimal | str) -> Decimal:
    """A grade of the scale from a `Decimal` or a string ("1.7", "1.70"); the scale's own value.

    Raises TypeError for anything else (a float above all) and ValueError off the scale.
    """
    if isinstance(value, float):
        raise TypeError(f"Grades must be given as Decimal or str, not as a float ({value!r}).")
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a grade.") from None
    elif not isinstance(value, Decimal):
        raise TypeError(f"Grades must be given as Decimal or str, not {type(value).__name__}.")
    if value.is_finite():
        for grade in SCALE:
            if value == grade:
                return grade
    raise ValueError(f"{value} is not on the scale {', '.join(map(str, SCALE))}.")


def _optional_grade(value: Decimal | str | None) -> Decimal | None:
    return None if value is None else parse_grade(value)


def _report_entry(value: Decimal | str | Absence | None) -> ReportEntry:
    return value if value is None or isinstance(value, Absence) else parse_grade(value)


def _optional_bool(name: str, value: bool | None) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{name} must be True, False or None, not {value!r}.")
    return value


def _whole_number(name: str, value: int, *, upper: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {value!r}.")
    if value < 0 or (upper is not None and value > upper):
        limit = f"0 to {upper}" if upper is not None else "0 or more"
        raise ValueError(f"{name} must be {limit}, not {value}.")


@dataclass(frozen=True)
class Scheme:
    """A seminar's grading scheme. The defaults are the seed seminar's rule."""

    presentation_weight: int = 50  # whole percent; 0 switches the component off
    reports_weight: int = 35
    participation_weight: int = 15
    bonus_steps: int = 1  # steps of the scale a project bonus moves the grade up
    reports_required: int = 3  # 0 = no reports
    sessions: int = 2  # sessions each participant must attend
    mock_required: bool = True
    project_required: bool = True

    def __post_init__(self) -> None:
        for name in ("presentation_weight", "reports_weight", "participation_weight"):
            _whole_number(name, getattr(self, name), upper=100)
        for name in ("bonus_steps", "reports_required", "sessions"):
            _whole_number(name, getattr(self, name))
        for name in ("mock_required", "project_required"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False.")
        total = self.presentation_weight + self.reports_weight + self.participation_weight
        if total != 100:
            raise ValueError(f"The weights must add up to 100 %, not {total} %.")
        if self.reports_weight and not self.reports_required:
            raise ValueError("Reports have a weight, so at least one report must be required.")


@dataclass(frozen=True)
class GradeInputs:
    """What is known about one participant. None means "not entered yet".

    `reports` and `attendance` are in order (report 1, 2, …; session 1, 2, …); entries not given
    at the end count as not entered. Strings and lists are accepted and normalised to the
    scale's `Decimal` values and tuples.
    """

    presentation: Decimal | None = None
    reports: tuple[ReportEntry, ...] = ()
    participation: Decimal | None = None
    attendance: tuple[bool | None, ...] = ()
    mock_given: bool | None = None
    project: ProjectResult | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # normalising the fields of a frozen dataclass
        set_(self, "presentation", _optional_grade(self.presentation))
        set_(self, "participation", _optional_grade(self.participation))
        if isinstance(self.reports, str | bytes) or not isinstance(self.reports, Sequence):
            raise TypeError("reports must be a list of grades (None when not graded).")
        set_(self, "reports", tuple(_report_entry(entry) for entry in self.reports))
        if isinstance(self.attendance, str | bytes) or not isinstance(self.attendance, Sequence):
            raise TypeError("attendance must be a list of True/False/None, one per session.")
        set_(
            self,
            "attendance",
            tuple(_optional_bool("attendance", value) for value in self.attendance),
        )
        _optional_bool("mock_given", self.mock_given)
        if self.project is not None:
            set_(self, "project", ProjectResult(self.project))


@dataclass(frozen=True)
class FinalGrade:
    state: GradeState
    grade: Decimal | None  # on the scale; None while incomplete
    passed: bool | None  # None while incomplete
    explanation: str  # one line, e.g. "0.50 × 1.7 + … = 1.745 → 1.7; project bonus → 1.3"
    failed_gates: tuple[Finding, ...] = ()
    missing: tuple[Finding, ...] = ()  # still to be entered (also listed when failed)
    weighted_mean: Fraction | None = None  # exact; None unless every weighted part is known
    reports_mean: Fraction | None = None  # exact; None unless every required report is graded
    bonus_applied: bool = field(default=False)


def to_scale(mean: Fraction) -> Decimal:
    """The grade for an exact weighted mean: nearest passing grade, ties to the better one;
    above 4.0 is 5.0."""
    if mean < 1:
        raise ValueError(f"A mean of grades cannot be below 1.0 ({mean}).")
    for grade, upper in zip(PASSING, _UPPER_BOUNDS, strict=True):
        if mean <= upper:
            return grade
    return FAIL


def with_bonus(grade: Decimal, steps: int) -> Decimal:
    """A passing grade moved `steps` steps up the scale, never past 1.0; 5.0 stays 5.0."""
    if grade == FAIL:
        return FAIL
    return PASSING[max(0, PASSING.index(grade) - steps)]


def final_grade(*, scheme: Scheme, inputs: GradeInputs) -> FinalGrade:
    """The final grade of one participant under a scheme (see the module's rules)."""
    if len(inputs.reports) > scheme.reports_required:
        raise ValueError(
            f"{len(inputs.reports)} reports given, the scheme requires {scheme.reports_required}."
        )
    if len(inputs.attendance) > scheme.sessions:
        raise ValueError(
            f"Attendance given for {len(inputs.attendance)} sessions, the scheme has "
            f"{scheme.sessions}."
        )
    failed, missing = _gates(scheme, inputs)
    reports = _required_reports(scheme, inputs)
    reports_mean = None
    if reports and all(isinstance(r, Decimal) for r in reports):
        reports_mean = sum(map(Fraction, reports), Fraction(0)) / len(reports)
    terms = _weighted_terms(scheme, inputs, reports_mean)
    mean = None
    if terms is not None:
        mean = sum((Fraction(weight, 100) * value for weight, value in terms), Fraction(0))
    common = {"missing": tuple(missing), "weighted_mean": mean, "reports_mean": reports_mean}

    if failed:
        reasons = "; ".join(finding.text for finding in failed)
        return FinalGrade(
            GradeState.FAILED, FAIL, False, f"failed: {reasons} → 5.0", tuple(failed), **common
        )
    if missing:
        what = "; ".join(finding.text for finding in missing)
        return FinalGrade(GradeState.INCOMPLETE, None, None, f"incomplete: {what}", **common)

    assert terms is not None and mean is not None  # nothing is missing
    computation = " + ".join(f"{_weight_text(w)} × {_number_text(v)}" for w, v in terms)
    computation += f" = {_number_text(mean)}"
    grade = to_scale(mean)
    if grade == FAIL:
        above = Finding(Part.MEAN, None, f"weighted mean {_number_text(mean)} is above 4.0")
        return FinalGrade(
            GradeState.FAILED,
            FAIL,
            False,
            f"{computation} → 5.0 (above 4.0)",
            (above,),
            **common,
        )
    explanation = f"{computation} → {grade}"
    bonus = scheme.project_required and inputs.project is ProjectResult.BONUS
    if bonus and scheme.bonus_steps:
        improved = with_bonus(grade, scheme.bonus_steps)
        best = " (already the best grade)" if improved == grade else ""
        explanation += f"; project bonus → {improved}{best}"
        grade = improved
    return FinalGrade(
        GradeState.COMPLETE,
        grade,
        True,
        explanation,
        bonus_applied=bool(bonus and scheme.bonus_steps),
        **common,
    )


# --- helpers ---------------------------------------------------------------------------------


def _required_reports(scheme: Scheme, inputs: GradeInputs) -> tuple[ReportEntry, ...]:
    given = inputs.reports
    return given + (None,) * (scheme.reports_required - len(given))


def _gates(scheme: Scheme, inputs: GradeInputs) -> tuple[list[Finding], list[Finding]]:
    """Failed gates and missing items, in the order a person reads them."""
    failed: list[Finding] = []
    missing: list[Finding] = []
    attendance = inputs.attendance + (None,) * (scheme.sessions - len(inputs.attendance))
    for number, attended in enumerate(attendance, start=1):
        if attended is False:
            failed.append(
                Finding(Part.ATTENDANCE, number, f"missing attendance of session {number}")
            )
        elif attended is None:
            missing.append(
                Finding(Part.ATTENDANCE, number, f"attendance of session {number} not marked")
            )
    if scheme.presentation_weight:
        if inputs.presentation is None:
            missing.append(Finding(Part.PRESENTATION, None, "presentation not graded"))
        elif inputs.presentation == FAIL:
            failed.append(Finding(Part.PRESENTATION, None, "failed presentation (5.0)"))
    if scheme.mock_required:
        if inputs.mock_given is False:
            failed.append(Finding(Part.MOCK, None, "no mock presentation"))
        elif inputs.mock_given is None:
            missing.append(Finding(Part.MOCK, None, "mock presentation not marked"))
    for number, report in enumerate(_required_reports(scheme, inputs), start=1):
        if report is NOT_SUBMITTED:
            failed.append(Finding(Part.REPORT, number, f"missing report {number}"))
        elif report is None:
            missing.append(Finding(Part.REPORT, number, f"report {number} not graded"))
        elif report == FAIL:
            failed.append(Finding(Part.REPORT, number, f"failed report {number} (5.0)"))
    if scheme.participation_weight and inputs.participation is None:
        missing.append(Finding(Part.PARTICIPATION, None, "participation not graded"))
    if scheme.project_required:
        if inputs.project is ProjectResult.FAIL:
            failed.append(Finding(Part.PROJECT, None, "failed project"))
        elif inputs.project is None:
            missing.append(Finding(Part.PROJECT, None, "project result not entered"))
    return failed, missing


def _weighted_terms(
    scheme: Scheme, inputs: GradeInputs, reports_mean: Fraction | None
) -> list[tuple[int, Fraction]] | None:
    """(weight, value) of each switched-on component; None while one of them is unknown."""
    components = (
        (scheme.presentation_weight, inputs.presentation),
        (scheme.reports_weight, reports_mean),
        (scheme.participation_weight, inputs.participation),
    )
    terms = []
    for weight, value in components:
        if not weight:
            continue
        if value is None:
            return None
        terms.append((weight, Fraction(value)))
    return terms


def _weight_text(percent: int) -> str:
    return f"{percent // 100}.{percent % 100:02d}"


def _number_text(value: Fraction, places: int = 3) -> str:
    """An exact decimal when it terminates ("1.745", "2.0"); otherwise `places` decimals,
    cut off (never rounded, so the digits shown are true) and followed by "…"."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        digits = 1
        while (value * 10**digits).denominator != 1:
            digits += 1
        scaled = value.numerator * 10**digits // value.denominator
        text = f"{scaled // 10**digits}.{scaled % 10**digits:0{digits}d}"
        return text
    scaled = value.numerator * 10**places // value.denominator  # floor: values are positive
    return f"{scaled // 10**places}.{scaled % 10**places:0{places}d}…"
