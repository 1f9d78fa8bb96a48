"""Reads of the grading app."""

from grading.models import GradingScheme
from seminar.models import Seminar


def scheme_of(seminar: Seminar) -> GradingScheme:
    """The seminar's grading scheme; the defaults (unsaved) if it has none yet."""
    return GradingScheme.objects.filter(seminar=seminar).first() or GradingScheme(seminar=seminar)
