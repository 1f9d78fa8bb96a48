from django.db import models
from django.utils.translation import gettext_lazy as _

from grading.calculation import SCALE, ProjectResult

# The German scale as stored: the grade's own text ("1.0" … "5.0"), exact on every database.
GRADE_VALUES: tuple[str, ...] = tuple(str(grade) for grade in SCALE)
GRADE_CHOICES: list[tuple[str, str]] = [
    (value, f"{value} (failed)" if value == GRADE_VALUES[-1] else value) for value in GRADE_VALUES
]


class ProjectOutcome(models.TextChoices):
    """The practical project's result (grading.calculation.ProjectResult, as stored)."""

    FAIL = ProjectResult.FAIL.value, "fail"
    PASS = ProjectResult.PASS.value, "pass"
    BONUS = ProjectResult.BONUS.value, "bonus"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for a worker")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
