"""Thin Celery tasks: an id in, one service call."""

from celery import shared_task

from mail.services.delivery import email_send, emails_send_due


@shared_task
def email_send_task(email_id: int) -> bool:
    """Send one e-mail right after its transaction; quietly nothing if it is gone or not due."""
    return email_send(email_id=email_id)


@shared_task
def emails_send_due_task() -> int:
    """Periodic: send what is due, retry what failed for a while, re-take dead workers' claims."""
    return emails_send_due()
