"""The secret address of a participant's calendar feed."""

import secrets

from seminar.models import Registration
from submissions.models import CalendarFeed


def calendar_feed_reset(*, registration: Registration) -> CalendarFeed:
    """Give the participant a new secret feed address; the old one stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        registration=registration, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed
