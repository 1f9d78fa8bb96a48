"""Tests of the pure final-grade module (no database)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grading.calculation import (
    FAIL,
    NOT_SUBMITTED,
    PASSING,
    SCALE,
    FinalGrade,
    GradeInputs,
    GradeState,
    Part,
    ProjectResult,
    Scheme,
    final_grade,
    parse_grade,
    to_scale,
    with_bonus,
)

FAST = settings(max_examples=300, deadline=None, derandomize=True, database=None)

# Presentation and participation only, no gates: the mean is w% × P + (100 − w)% × Pa.
TWO_PARTS = {
    "reports_weight": 0,
    "reports_required": 0,
    "sessions": 0,
    "mock_required": False,
    "project_required": False,
}


def two_parts(weight: int, presentation: str, participation: str) -> FinalGrade:
    scheme = Scheme(presentation_weight=weight, participation_weight=100 - weight, **TWO_PARTS)
    inputs = GradeInputs(presentation=presentation, participation=participation)
    return final_grade(scheme=scheme, inputs=inputs)


def all_passed(**changes) -> GradeInputs:
    """The seed scheme's inputs of a participant who passed every gate."""
    values = {
        "presentation": "1.7",
        "reports": ["2.0", "2.0", "2.0"],
        "participation": "1.3",
        "attendance": [True, True],
        "mock_given": True,
        "project": "pass",
    } | changes
    return GradeInputs(**values)


def seed(**changes) -> FinalGrade:
    return final_grade(scheme=Scheme(), inputs=all_passed(**changes))


# --- the hand-computed table --------------------------------------------------------------------

# (presentation weight, presentation, participation, explanation): weights 51/50/49 put the mean
# just below, at, and just above the midpoint between two neighbouring grades.
ROUNDING_TABLE = [
    (51, "1.0", "1.3", "0.51 × 1.0 + 0.49 × 1.3 = 1.147 → 1.0"),
    (50, "1.0", "1.3", "0.50 × 1.0 + 0.50 × 1.3 = 1.15 → 1.0"),
    (49, "1.0", "1.3", "0.49 × 1.0 + 0.51 × 1.3 = 1.153 → 1.3"),
    (51, "1.3", "1.7", "0.51 × 1.3 + 0.49 × 1.7 = 1.496 → 1.3"),
    (50, "1.3", "1.7", "0.50 × 1.3 + 0.50 × 1.7 = 1.5 → 1.3"),
    (49, "1.3", "1.7", "0.49 × 1.3 + 0.51 × 1.7 = 1.504 → 1.7"),
    (51, "1.7", "2.0", "0.51 × 1.7 + 0.49 × 2.0 = 1.847 → 1.7"),
    (50, "1.7", "2.0", "0.50 × 1.7 + 0.50 × 2.0 = 1.85 → 1.7"),
    (49, "1.7", "2.0", "0.49 × 1.7 + 0.51 × 2.0 = 1.853 → 2.0"),
    (51, "2.0", "2.3", "0.51 × 2.0 + 0.49 × 2.3 = 2.147 → 2.0"),
    (50, "2.0", "2.3", "0.50 × 2.0 + 0.50 × 2.3 = 2.15 → 2.0"),
    (49, "2.0", "2.3", "0.49 × 2.0 + 0.51 × 2.3 = 2.153 → 2.3"),
    (51, "2.3", "2.7", "0.51 × 2.3 + 0.49 × 2.7 = 2.496 → 2.3"),
    (50, "2.3", "2.7", "0.50 × 2.3 + 0.50 × 2.7 = 2.5 → 2.3"),
    (49, "2.3", "2.7", "0.49 × 2.3 + 0.51 × 2.7 = 2.504 → 2.7"),
    (51, "2.7", "3.0", "0.51 × 2.7 + 0.49 × 3.0 = 2.847 → 2.7"),
    (50, "2.7", "3.0", "0.50 × 2.7 + 0.50 × 3.0 = 2.85 → 2.7"),
    (49, "2.7", "3.0", "0.49 × 2.7 + 0.51 × 3.0 = 2.853 → 3.0"),
    (51, "3.0", "3.3", "0.51 × 3.0 + 0.49 × 3.3 = 3.147 → 3.0"),
    (50, "3.0", "3.3", "0.50 × 3.0 + 0.50 × 3.3 = 3.15 → 3.0"),
    (49, "3.0", "3.3", "0.49 × 3.0 + 0.51 × 3.3 = 3.153 → 3.3"),
    (51, "3.3", "3.7", "0.51 × 3.3 + 0.49 × 3.7 = 3.496 → 3.3"),
    (50, "3.3", "3.7", "0.50 × 3.3 + 0.50 × 3.7 = 3.5 → 3.3"),
    (49, "3.3", "3.7", "0.49 × 3.3 + 0.51 × 3.7 = 3.504 → 3.7"),
    (51, "3.7", "4.0", "0.51 × 3.7 + 0.49 × 4.0 = 3.847 → 3.7"),
    (50, "3.7", "4.0", "0.50 × 3.7 + 0.50 × 4.0 = 3.85 → 3.7"),
    (49, "3.7", "4.0", "0.49 × 3.7 + 0.51 × 4.0 = 3.853 → 4.0"),
    # The pass line: 4.0 passes, anything above fails; participation of 5.0 is no gate.
    (1, "3.7", "4.0", "0.01 × 3.7 + 0.99 × 4.0 = 3.997 → 4.0"),
    (50, "4.0", "4.0", "0.50 × 4.0 + 0.50 × 4.0 = 4.0 → 4.0"),
    (99, "4.0", "5.0", "0.99 × 4.0 + 0.01 × 5.0 = 4.01 → 5.0 (above 4.0)"),
    (50, "4.0", "5.0", "0.50 × 4.0 + 0.50 × 5.0 = 4.5 → 5.0 (above 4.0)"),
]


@pytest.mark.parametrize(("weight", "presentation", "participation", "explanation"), ROUNDING_TABLE)
def test_final_grade_rounds_at_every_boundary(weight, presentation, participation, explanation):
    result = two_parts(weight, presentation, participation)
    grade = Decimal(explanation.split("→ ")[-1].split(" ")[0])
    assert (result.grade, result.passed, result.explanation) == (
        grade,
        grade != FAIL,
        explanation,
    )


# Exact boundaries, a billionth away on either side.
EPSILON = Fraction(1, 10**9)
MIDPOINTS = [
    ("1.15", "1.0", "1.3"),
    ("1.5", "1.3", "1.7"),
    ("1.85", "1.7", "2.0"),
    ("2.15", "2.0", "2.3"),
    ("2.5", "2.3", "2.7"),
    ("2.85", "2.7", "3.0"),
    ("3.15", "3.0", "3.3"),
    ("3.5", "3.3", "3.7"),
    ("3.85", "3.7", "4.0"),
    ("4.0", "4.0", "5.0"),  # the pass line: 4.0 itself passes
]


@pytest.mark.parametrize(("midpoint", "better", "worse"), MIDPOINTS)
def test_to_scale_ties_go_to_the_better_grade(midpoint, better, worse):
    mid = Fraction(midpoint)
    assert (to_scale(mid - EPSILON), to_scale(mid), to_scale(mid + EPSILON)) == (
        Decimal(better),
        Decimal(better),
        Decimal(worse),
    )


def test_to_scale_ends_of_the_range():
    assert (to_scale(Fraction(1)), to_scale(Fraction(5))) == (Decimal("1.0"), Decimal("5.0"))


def test_final_grade_issue_example_with_bonus():
    result = seed(project="bonus")
    assert result == FinalGrade(
        state=GradeState.COMPLETE,
        grade=Decimal("1.3"),
        passed=True,
        explanation="0.50 × 1.7 + 0.35 × 2.0 + 0.15 × 1.3 = 1.745 → 1.7; project bonus → 1.3",
        weighted_mean=Fraction("1.745"),
        reports_mean=Fraction(2),
        bonus_applied=True,
    )


def test_final_grade_reports_mean_is_exact():
    # (1.0 + 1.3 + 2.0) / 3 = 1.4333…; 0.85 + 0.50166… + 0.195 = 1.54666… → 1.7
    result = seed(reports=["1.0", "1.3", "2.0"])
    assert (result.reports_mean, result.weighted_mean, result.grade, result.explanation) == (
        Fraction(43, 30),
        Fraction(232, 150),
        Decimal("1.7"),
        "0.50 × 1.7 + 0.35 × 1.433… + 0.15 × 1.3 = 1.546… → 1.7",
    )


def test_final_grade_reports_mean_just_below_a_midpoint():
    # Reports 1.3, 1.3, 1.7 → 4.3/3; 0.50 × 1.3 + 0.35 × 4.3/3 + 0.15 × 1.7 = 1.40666… → 1.3
    result = seed(presentation="1.3", reports=["1.3", "1.3", "1.7"], participation="1.7")
    assert (result.grade, result.explanation) == (
        Decimal("1.3"),
        "0.50 × 1.3 + 0.35 × 1.433… + 0.15 × 1.7 = 1.406… → 1.3",
    )


@pytest.mark.parametrize(
    ("steps", "mean_grade", "expected"),
    [
        (1, "1.0", "1.0 (already the best grade)"),
        (1, "1.3", "1.0"),
        (2, "1.3", "1.0"),
        (2, "2.0", "1.3"),
        (1, "4.0", "3.7"),
    ],
)
def test_final_grade_bonus_moves_up_never_past_one(steps, mean_grade, expected):
    scheme = Scheme(bonus_steps=steps)
    inputs = all_passed(
        presentation=mean_grade,
        reports=[mean_grade] * 3,
        participation=mean_grade,
        project="bonus",
    )
    result = final_grade(scheme=scheme, inputs=inputs)
    assert (result.grade, result.explanation) == (
        Decimal(expected[:3]),
        f"0.50 × {mean_grade} + 0.35 × {mean_grade} + 0.15 × {mean_grade} = {mean_grade} → "
        f"{mean_grade}; project bonus → {expected}",
    )


def test_final_grade_bonus_never_lifts_a_mean_above_the_pass_line():
    # 0.50 × 4.0 + 0.35 × 4.0 + 0.15 × 5.0 = 4.15: fails; the bonus does not rescue it.
    result = seed(presentation="4.0", reports=["4.0"] * 3, participation="5.0", project="bonus")
    assert (result.state, result.grade, result.passed, result.explanation) == (
        GradeState.FAILED,
        FAIL,
        False,
        "0.50 × 4.0 + 0.35 × 4.0 + 0.15 × 5.0 = 4.15 → 5.0 (above 4.0)",
    )
    assert [(f.part, f.text) for f in result.failed_gates] == [
        (Part.MEAN, "weighted mean 4.15 is above 4.0")
    ]


def test_final_grade_bonus_never_lifts_a_failed_gate():
    result = seed(mock_given=False, project="bonus")
    assert (result.grade, result.explanation) == (FAIL, "failed: no mock presentation → 5.0")


def test_final_grade_zero_bonus_steps_leaves_the_grade():
    result = final_grade(scheme=Scheme(bonus_steps=0), inputs=all_passed(project="bonus"))
    assert (result.grade, result.explanation, result.bonus_applied) == (
        Decimal("1.7"),
        "0.50 × 1.7 + 0.35 × 2.0 + 0.15 × 1.3 = 1.745 → 1.7",
        False,
    )


@pytest.mark.parametrize(
    ("changes", "part", "number", "text"),
    [
        ({"attendance": [False, True]}, Part.ATTENDANCE, 1, "missing attendance of session 1"),
        ({"attendance": [True, False]}, Part.ATTENDANCE, 2, "missing attendance of session 2"),
        ({"presentation": "5.0"}, Part.PRESENTATION, None, "failed presentation (5.0)"),
        ({"mock_given": False}, Part.MOCK, None, "no mock presentation"),
        ({"reports": ["2.0", NOT_SUBMITTED, "2.0"]}, Part.REPORT, 2, "missing report 2"),
        ({"reports": ["2.0", "2.0", "5.0"]}, Part.REPORT, 3, "failed report 3 (5.0)"),
        ({"project": "fail"}, Part.PROJECT, None, "failed project"),
    ],
)
def test_final_grade_each_failed_gate_fails_with_its_reason(changes, part, number, text):
    result = seed(**changes)
    assert (result.state, result.grade, result.passed, result.explanation) == (
        GradeState.FAILED,
        FAIL,
        False,
        f"failed: {text} → 5.0",
    )
    assert [(f.part, f.number, f.text) for f in result.failed_gates] == [(part, number, text)]


@pytest.mark.parametrize(
    ("changes", "part", "number", "text"),
    [
        ({"attendance": [True, None]}, Part.ATTENDANCE, 2, "attendance of session 2 not marked"),
        ({"attendance": [True]}, Part.ATTENDANCE, 2, "attendance of session 2 not marked"),
        ({"presentation": None}, Part.PRESENTATION, None, "presentation not graded"),
        ({"mock_given": None}, Part.MOCK, None, "mock presentation not marked"),
        ({"reports": ["2.0", None, "2.0"]}, Part.REPORT, 2, "report 2 not graded"),
        ({"reports": ["2.0", "2.0"]}, Part.REPORT, 3, "report 3 not graded"),
        ({"participation": None}, Part.PARTICIPATION, None, "participation not graded"),
        ({"project": None}, Part.PROJECT, None, "project result not entered"),
    ],
)
def test_final_grade_each_undecided_part_is_incomplete(changes, part, number, text):
    result = seed(**changes)
    assert (result.state, result.grade, result.passed, result.explanation) == (
        GradeState.INCOMPLETE,
        None,
        None,
        f"incomplete: {text}",
    )
    assert [(f.part, f.number, f.text) for f in result.missing] == [(part, number, text)]


def test_final_grade_failure_beats_incompleteness():
    result = seed(presentation="5.0", reports=["2.0", None, "2.0"], attendance=[False, None])
    assert (result.state, result.grade, result.passed, result.explanation) == (
        GradeState.FAILED,
        FAIL,
        False,
        "failed: missing attendance of session 1; failed presentation (5.0) → 5.0",
    )
    assert [f.text for f in result.missing] == [
        "attendance of session 2 not marked",
        "report 2 not graded",
    ]


def test_final_grade_nothing_entered_lists_everything_missing():
    result = final_grade(scheme=Scheme(), inputs=GradeInputs())
    assert [f.text for f in result.missing] == [
        "attendance of session 1 not marked",
        "attendance of session 2 not marked",
        "presentation not graded",
        "mock presentation not marked",
        "report 1 not graded",
        "report 2 not graded",
        "report 3 not graded",
        "participation not graded",
        "project result not entered",
    ]
    assert (result.state, result.grade, result.weighted_mean) == (
        GradeState.INCOMPLETE,
        None,
        None,
    )


def test_final_grade_changed_weights():
    scheme = Scheme(presentation_weight=40, reports_weight=40, participation_weight=20)
    # 0.40 × 2.3 + 0.40 × 1.0 + 0.20 × 3.0 = 0.92 + 0.40 + 0.60 = 1.92 → 2.0
    result = final_grade(
        scheme=scheme,
        inputs=all_passed(presentation="2.3", reports=["1.0"] * 3, participation="3.0"),
    )
    assert (result.grade, result.explanation) == (
        Decimal("2.0"),
        "0.40 × 2.3 + 0.40 × 1.0 + 0.20 × 3.0 = 1.92 → 2.0",
    )


def test_final_grade_switched_off_participation_is_neither_weighted_nor_missing():
    scheme = Scheme(presentation_weight=60, reports_weight=40, participation_weight=0)
    # 0.60 × 1.7 + 0.40 × 2.0 = 1.82 → 1.7
    result = final_grade(scheme=scheme, inputs=all_passed(participation=None))
    assert (result.state, result.grade, result.explanation) == (
        GradeState.COMPLETE,
        Decimal("1.7"),
        "0.60 × 1.7 + 0.40 × 2.0 = 1.82 → 1.7",
    )


def test_final_grade_switched_off_presentation_is_no_gate():
    scheme = Scheme(presentation_weight=0, reports_weight=70, participation_weight=30)
    result = final_grade(scheme=scheme, inputs=all_passed(presentation="5.0"))
    assert (result.state, result.grade, result.explanation) == (
        GradeState.COMPLETE,
        Decimal("1.7"),  # 0.70 × 2.0 + 0.30 × 1.3 = 1.79
        "0.70 × 2.0 + 0.30 × 1.3 = 1.79 → 1.7",
    )


def test_final_grade_unweighted_reports_are_still_a_gate():
    scheme = Scheme(presentation_weight=80, reports_weight=0, participation_weight=20)
    passed = final_grade(scheme=scheme, inputs=all_passed())
    failed = final_grade(scheme=scheme, inputs=all_passed(reports=["2.0", "5.0", "2.0"]))
    assert (passed.explanation, failed.explanation) == (
        "0.80 × 1.7 + 0.20 × 1.3 = 1.62 → 1.7",
        "failed: failed report 2 (5.0) → 5.0",
    )


def test_final_grade_without_reports_mock_project_or_sessions():
    scheme = Scheme(
        presentation_weight=100,
        reports_weight=0,
        participation_weight=0,
        reports_required=0,
        sessions=0,
        mock_required=False,
        project_required=False,
    )
    result = final_grade(scheme=scheme, inputs=GradeInputs(presentation="2.3", project="bonus"))
    assert (result.state, result.grade, result.explanation) == (
        GradeState.COMPLETE,
        Decimal("2.3"),
        "1.00 × 2.3 = 2.3 → 2.3",
    )


def test_final_grade_refuses_more_reports_or_sessions_than_the_scheme_has():
    with pytest.raises(ValueError, match="4 reports given, the scheme requires 3"):
        seed(reports=["2.0"] * 4)
    with pytest.raises(ValueError, match="Attendance given for 3 sessions"):
        seed(attendance=[True] * 3)


# --- inputs ------------------------------------------------------------------------------------


def test_parse_grade_accepts_strings_and_decimals_on_the_scale():
    assert [parse_grade(v) for v in ("1.7", "1.70", " 4.0", Decimal("5"))] == [
        Decimal("1.7"),
        Decimal("1.7"),
        Decimal("4.0"),
        Decimal("5.0"),
    ]


@pytest.mark.parametrize("value", [1.7, 2, True, None])
def test_parse_grade_refuses_floats_and_other_types(value):
    with pytest.raises(TypeError):
        parse_grade(value)


@pytest.mark.parametrize("value", ["1.5", "0.7", "6.0", "1,7", "", "NaN", "Infinity"])
def test_parse_grade_refuses_values_off_the_scale(value):
    with pytest.raises(ValueError):
        parse_grade(value)


def test_grade_inputs_refuse_floats_everywhere():
    with pytest.raises(TypeError):
        GradeInputs(presentation=1.7)
    with pytest.raises(TypeError):
        GradeInputs(reports=[Decimal("1.7"), 2.0])
    with pytest.raises(TypeError):
        GradeInputs(participation=1.3)


def test_grade_inputs_refuse_bad_flags_and_results():
    with pytest.raises(TypeError):
        GradeInputs(attendance=[1, 0])
    with pytest.raises(TypeError):
        GradeInputs(mock_given="yes")
    with pytest.raises(ValueError):
        GradeInputs(project="excellent")


def test_grade_inputs_normalise_to_the_scale_and_tuples():
    inputs = GradeInputs(reports=["1.70", None, NOT_SUBMITTED], attendance=[True], project="bonus")
    assert (inputs.reports, inputs.attendance, inputs.project) == (
        (Decimal("1.7"), None, NOT_SUBMITTED),
        (True,),
        ProjectResult.BONUS,
    )


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ((50, 35, 14), "must add up to 100 %, not 99 %"),
        ((50, 35, 16), "must add up to 100 %, not 101 %"),
        ((101, 0, -1), "presentation_weight must be 0 to 100"),
    ],
)
def test_scheme_refuses_weights_not_adding_up_to_100(weights, message):
    with pytest.raises(ValueError, match=message):
        Scheme(*weights)


def test_scheme_refuses_weighted_reports_without_reports():
    with pytest.raises(ValueError, match="at least one report"):
        Scheme(reports_required=0)


def test_scheme_refuses_non_integer_weights():
    with pytest.raises(TypeError):
        Scheme(presentation_weight=Decimal("50"))
    with pytest.raises(TypeError):
        Scheme(mock_required=1)


def test_with_bonus_keeps_a_fail():
    assert (with_bonus(FAIL, 3), with_bonus(Decimal("4.0"), 10)) == (FAIL, Decimal("1.0"))


# --- properties --------------------------------------------------------------------------------

passing = st.sampled_from(PASSING)
any_grade = st.sampled_from(SCALE)


@st.composite
def schemes(draw) -> Scheme:
    presentation = draw(st.integers(0, 100))
    reports = draw(st.integers(0, 100 - presentation))
    reports_required = draw(st.integers(1 if reports else 0, 4))
    return Scheme(
        presentation_weight=presentation,
        reports_weight=reports,
        participation_weight=100 - presentation - reports,
        bonus_steps=draw(st.integers(0, 3)),
        reports_required=reports_required,
        sessions=draw(st.integers(0, 3)),
        mock_required=draw(st.booleans()),
        project_required=draw(st.booleans()),
    )


@st.composite
def complete_cases(draw) -> tuple[Scheme, GradeInputs]:
    scheme = draw(schemes())
    inputs = GradeInputs(
        presentation=draw(any_grade),
        reports=draw(
            st.lists(any_grade, min_size=scheme.reports_required, max_size=scheme.reports_required)
        ),
        participation=draw(any_grade),
        attendance=[True] * scheme.sessions,
        mock_given=True,
        project=draw(st.sampled_from(["pass", "bonus"])),
    )
    return scheme, inputs


def _components(inputs: GradeInputs) -> list[str]:
    return ["presentation", "participation"] + [f"report {i}" for i in range(len(inputs.reports))]


def _better(inputs: GradeInputs, component: str, grade) -> GradeInputs:
    if component.startswith("report"):
        index = int(component.split()[1])
        reports = list(inputs.reports)
        reports[index] = grade
        return GradeInputs(
            presentation=inputs.presentation,
            reports=reports,
            participation=inputs.participation,
            attendance=inputs.attendance,
            mock_given=inputs.mock_given,
            project=inputs.project,
        )
    fields = {
        "presentation": inputs.presentation,
        "reports": inputs.reports,
        "participation": inputs.participation,
        "attendance": inputs.attendance,
        "mock_given": inputs.mock_given,
        "project": inputs.project,
    }
    fields[component] = grade
    return GradeInputs(**fields)


@FAST
@given(case=complete_cases(), data=st.data())
def test_property_a_better_component_never_gives_a_worse_grade(case, data):
    scheme, inputs = case
    component = data.draw(st.sampled_from(_components(inputs)))
    current = (
        inputs.reports[int(component.split()[1])]
        if component.startswith("report")
        else getattr(inputs, component)
    )
    better = data.draw(st.sampled_from([g for g in SCALE if g <= current]))
    before = final_grade(scheme=scheme, inputs=inputs)
    after = final_grade(scheme=scheme, inputs=_better(inputs, component, better))
    assert after.grade <= before.grade


@FAST
@given(case=complete_cases())
def test_property_a_complete_result_is_always_on_the_scale(case):
    scheme, inputs = case
    result = final_grade(scheme=scheme, inputs=inputs)
    assert result.grade in SCALE
    assert result.passed == (result.grade != FAIL)
    assert result.state == (GradeState.COMPLETE if result.passed else GradeState.FAILED)


@FAST
@given(
    scheme=schemes(),
    presentation=st.one_of(st.none(), any_grade),
    participation=st.one_of(st.none(), any_grade),
    reports=st.lists(st.one_of(st.none(), st.just(NOT_SUBMITTED), any_grade), max_size=4),
    attendance=st.lists(st.one_of(st.none(), st.booleans()), max_size=3),
    mock=st.one_of(st.none(), st.booleans()),
    project=st.one_of(st.none(), st.sampled_from(list(ProjectResult))),
)
def test_property_any_result_is_on_the_scale_or_incomplete(
    scheme, presentation, participation, reports, attendance, mock, project
):
    inputs = GradeInputs(
        presentation=presentation,
        reports=reports[: scheme.reports_required],
        participation=participation,
        attendance=attendance[: scheme.sessions],
        mock_given=mock,
        project=project,
    )
    result = final_grade(scheme=scheme, inputs=inputs)
    if result.state is GradeState.INCOMPLETE:
        assert (result.grade, result.passed, result.failed_gates) == (None, None, ())
        assert result.missing
    else:
        assert result.grade in SCALE
        assert result.passed == (result.state is GradeState.COMPLETE)
        assert (result.grade == FAIL) == (result.state is GradeState.FAILED)
        assert bool(result.failed_gates) == (result.state is GradeState.FAILED)


@FAST
@given(
    presentation=st.integers(-50, 150),
    reports=st.integers(-50, 150),
    participation=st.integers(-50, 150),
)
def test_property_scheme_refuses_weights_not_adding_up_to_100(presentation, reports, participation):
    weights = {
        "presentation_weight": presentation,
        "reports_weight": reports,
        "participation_weight": participation,
    }
    valid = all(0 <= w <= 100 for w in weights.values()) and sum(weights.values()) == 100
    if valid:
        assert Scheme(**weights, reports_required=3).reports_weight == reports
    else:
        with pytest.raises(ValueError):
            Scheme(**weights, reports_required=3)
