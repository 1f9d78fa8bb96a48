"""What of this app the seminar page shows: its changes bump the page's version (seminar.cache)."""

from grading.models import GradingScheme
from seminar.cache import bump_on_change


def seminar_pages_connect() -> None:
    bump_on_change(GradingScheme, lambda scheme: scheme.seminar_id)
