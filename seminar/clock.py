"""The seminar app's clock step (see seminar.slots.register_clock_step): offers that ran out."""

import datetime as dt
from contextlib import suppress

from seminar import slots
from seminar.errors import Busy
from seminar.models import Seminar
from seminar.selectors import next_offer_expiry
from seminar.services.registration import offers_expire


def offers_expire_unless_busy(seminar: Seminar) -> dt.datetime | None:
    """Pass on seats whose offers ran out, unless the seminar's lock is busy: then the page is
    shown as it is, and the next reading or the beat task passes them on. A page that only
    reads never answers "busy". Returns when the next open offer runs out."""
    with suppress(Busy):
        offers_expire(seminar=seminar)
    return next_offer_expiry(seminar)


# Offers come and go only with registrations, which bump the seminar's page version.
slots.register_clock_step(offers_expire_unless_busy, until_changed=True)
