"""The grading app's part of a seminar's next run: the weights and the bonus.

Grades, attendance, marks, the release and grade-sheet exports belong to the old run: none of
them come along, so the new run's scheme is not released.
"""

from grading.models import GradingScheme
from seminar.models import Seminar


def grading_scheme_carry_forward(*, source: Seminar, target: Seminar) -> None:
    old = GradingScheme.objects.filter(seminar=source).first()
    if old is None:
        return
    GradingScheme.objects.update_or_create(
        seminar=target,
        defaults={
            "weight_presentation": old.weight_presentation,
            "weight_reports": old.weight_reports,
            "weight_participation": old.weight_participation,
            "bonus_steps": old.bonus_steps,
        },
    )
