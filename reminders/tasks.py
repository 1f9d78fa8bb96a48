"""Thin Celery tasks: one service call."""

from celery import shared_task
from django.utils import timezone

from reminders.services import reminders_scan


@shared_task
def reminders_scan_task() -> int:
    """Periodic (django-celery-beat's "reminders-scan"): queue every reminder due now.

    Run twice, at the same time, or again after a worker died half-way, it queues each
    reminder once: the outbox's unique key is the ledger.
    """
    return reminders_scan(now=timezone.now()).queued
