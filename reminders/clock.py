"""The in-process scan for a laptop without a broker (`make run`): whenever a page of a seminar
is read (the seminar app's clock step), at most once per REMINDERS_SCAN_ON_READ_SECONDS per
seminar and process. With a broker, beat runs the scan instead and this stays off."""

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from reminders.services import reminders_scan
from seminar import slots
from seminar.models import Seminar

logger = logging.getLogger(__name__)


@slots.register_clock_step
def reminders_scan_on_read(seminar: Seminar) -> dt.datetime | None:
    """Scan this seminar unless it was scanned recently. Never fails the page: an error is
    logged and the next scan tries again. Reminders never change a page, so no moment is
    returned."""
    if not settings.REMINDERS_SCAN_ON_READ:
        return None
    if not cache.add(f"reminders:scanned:{seminar.pk}", 1, settings.REMINDERS_SCAN_ON_READ_SECONDS):
        return None
    try:
        reminders_scan(now=timezone.now(), seminar=seminar)
    except Exception:
        logger.exception("Reminder scan of seminar %s failed", seminar.pk)
    return None
