"""The grading scheme of each seminar."""

from grading.models import GradingScheme
from seminar.models import Seminar


def grading_scheme_ensure(*, seminar: Seminar) -> GradingScheme:
    """The seminar's grading scheme, created with the defaults (50/35/15, one bonus step)."""
    scheme, _ = GradingScheme.objects.get_or_create(seminar=seminar)
    return scheme
