"""What of this app the seminar page shows: its changes bump the page's version (seminar.cache)."""

from seminar.cache import bump_on_change
from submissions.models import Deliverable


def seminar_pages_connect() -> None:
    bump_on_change(Deliverable, lambda deliverable: deliverable.seminar_id)
