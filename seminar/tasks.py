"""Thin Celery tasks: take ids, load, call one service."""

from celery import shared_task

from seminar.models import OutgoingEmail, Seminar
from seminar.selectors import seminars_with_due_offers
from seminar.services.email import email_send, emails_send_pending
from seminar.services.registration import offers_expire


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send_task(email_id: int) -> bool:
    if not OutgoingEmail.objects.filter(pk=email_id).exists():
        return False
    return email_send(email_id=email_id)


@shared_task
def offers_expire_all() -> int:
    """Periodic: pass on every seat whose offer ran out (also done whenever a seminar is read)."""
    expired = 0
    for seminar in Seminar.objects.filter(pk__in=seminars_with_due_offers()):
        expired += offers_expire(seminar=seminar)
    return expired


@shared_task
def emails_send_pending_task() -> int:
    """Periodic: the outbox's safety net for sends that could not be enqueued."""
    return emails_send_pending()


@shared_task(ignore_result=False)
def ping() -> str:
    """A round trip through the broker, for health checks and the worker test."""
    return "pong"
