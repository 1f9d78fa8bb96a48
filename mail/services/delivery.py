"""Claim, send, and only then mark sent; retry temporary failures, give up on permanent ones.

A claim is one conditional UPDATE, so of two workers racing for a row only one sends. A worker
that dies between claim and sent mark leaves the row `sending`; once the claim is older than
EMAIL_CLAIM_TIMEOUT_SECONDS any worker may take it again. So a message goes out twice only if
the SMTP server accepted it and that was not recorded: the worker died before writing `sent`,
or the connection broke before the server's "250 OK" arrived (a temporary failure, retried).
"""

import datetime as dt
import logging
import os
import socket
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from mail.enums import EmailStatus as Status
from mail.models import OutgoingEmail
from mail.retry import failure_classify, retry_delay

logger = logging.getLogger(__name__)

GAVE_UP_AFTER_DEAD_CLAIM = (
    "The worker stopped during the last attempt and no attempts are left; "
    "whether the SMTP server got it is unknown."
)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def email_claim(*, email_id: int, worker: str) -> OutgoingEmail | None:
    """Take a due e-mail for sending: queued and due, or `sending` with an expired claim.

    Returns the claimed e-mail, or None if it is not due, sent, failed, gone, or another
    worker holds a live claim.
    """
    now = timezone.now()
    claimed = (
        _claimable(now)
        .filter(pk=email_id)
        .update(
            status=Status.SENDING, claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1
        )
    )
    if claimed != 1:
        return None
    return OutgoingEmail.objects.get(pk=email_id)


def email_send(*, email_id: int, worker: str | None = None) -> bool:
    """Claim, send and mark one e-mail; True if this call handed it to the SMTP server."""
    email = email_claim(email_id=email_id, worker=worker or worker_id())
    if email is None:
        return False
    try:
        _message(email).send()
    except Exception as error:
        _record_failure(email, error)
        return False
    # SMTP accepted it: that is a fact, whoever holds the claim now.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    return True


def emails_send_due(*, limit: int = 500) -> int:
    """The sweeper: send what is due (new, to be retried, or left by a dead worker)."""
    now = timezone.now()
    _out_of_attempts_give_up(now)
    due = list(
        _claimable(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    worker = worker_id()
    return sum(email_send(email_id=pk, worker=worker) for pk in due)


def _claimable(now: dt.datetime) -> QuerySet[OutgoingEmail]:
    expired = now - dt.timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
    return OutgoingEmail.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_at__lte=expired),
        attempts__lt=settings.EMAIL_MAX_ATTEMPTS,
    )


def _out_of_attempts_give_up(now: dt.datetime) -> None:
    """Mark failed what may not be tried again, so that nothing waits for ever: a dead
    worker's claim on the last attempt, and queued e-mails beyond a lowered attempt limit."""
    expired = now - dt.timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
    out_of_attempts = OutgoingEmail.objects.filter(attempts__gte=settings.EMAIL_MAX_ATTEMPTS)
    out_of_attempts.filter(status=Status.SENDING, claimed_at__lte=expired).update(
        status=Status.FAILED, next_attempt_at=None, last_error=GAVE_UP_AFTER_DEAD_CLAIM
    )
    out_of_attempts.filter(status=Status.QUEUED).update(status=Status.FAILED, next_attempt_at=None)


def _record_failure(email: OutgoingEmail, error: Exception) -> None:
    failure = failure_classify(error)
    # Only while this worker's claim still stands: a slower worker must not undo a newer claim.
    mine = OutgoingEmail.objects.filter(
        pk=email.pk,
        status=Status.SENDING,
        claimed_by=email.claimed_by,
        claimed_at=email.claimed_at,
    )
    if failure.permanent or email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        mine.update(status=Status.FAILED, next_attempt_at=None, last_error=failure.reply)
        logger.warning("E-mail %s to %s failed: %s", email.pk, email.to, failure.reply)
        return
    delay = retry_delay(attempts=email.attempts, base_seconds=settings.EMAIL_RETRY_BASE_SECONDS)
    mine.update(
        status=Status.QUEUED, next_attempt_at=timezone.now() + delay, last_error=failure.reply
    )
    logger.info("E-mail %s to %s: retry in %s (%s)", email.pk, email.to, delay, failure.reply)


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject,
        email.body_text,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        # The same id on every attempt, so a receiving system can drop a duplicate.
        headers={"Message-ID": _message_id(email)},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def _message_id(email: OutgoingEmail) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"
