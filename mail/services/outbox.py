"""The one way the site queues e-mail: render a template set, store it, send it after commit."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.tasks import email_send_task


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(*, template: str, context: dict, subject_prefix: str = "") -> RenderedEmail:
    """Render `emails/<template>_subject.txt`, `_body.txt` and `_body.html`.

    Every template gets `site_url` (SITE_URL) for its links. The subject becomes one line,
    starting with the prefix (e.g. the seminar's tag).
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    return RenderedEmail(
        subject=" ".join(f"{subject_prefix} {subject}".split()),
        text=render_to_string(f"emails/{template}_body.txt", context),
        html=render_to_string(f"emails/{template}_body.html", context),
    )


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    subject_prefix: str = "",
    reply_to: str = "",
    seminar: models.Model | None = None,
) -> OutgoingEmail | None:
    """Store a rendered e-mail in the outbox and send it after the caller's transaction commits.

    `key` names the event (e.g. "registration-17-registration_offer-2026-01-05T10:00"): a
    second call with the same key stores and sends nothing, so retries and repeated scheduler
    runs never duplicate a message. Returns the stored e-mail, or None when this key was queued
    before. A rolled-back transaction takes the e-mail with it.
    """
    rendered = email_render(template=template, context=context, subject_prefix=subject_prefix)
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key,
                kind=template,
                seminar=seminar,
                to=to,
                reply_to=reply_to,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None
    _send_after_commit(email.pk)
    return email


def email_resend(*, email_id: int) -> bool:
    """Queue a failed e-mail again with a fresh set of attempts; True if it was failed."""
    queued = OutgoingEmail.objects.filter(pk=email_id, status=EmailStatus.FAILED).update(
        status=EmailStatus.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        claimed_by="",
    )
    if queued:
        _send_after_commit(email_id)
    return bool(queued)


def email_withdraw(*, email_id: int, reason: str) -> bool:
    """Give up an e-mail that is still waiting (queued), e.g. one whose moment has passed.

    It ends `failed` with the reason; one a worker is handing to SMTP right now is left to
    finish. True if this call withdrew it.
    """
    return bool(
        OutgoingEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).update(
            status=EmailStatus.FAILED, next_attempt_at=None, last_error=reason
        )
    )


def _send_after_commit(email_id: int) -> None:
    # robust: if the broker is down the request still succeeds; the sweeper sends it later.
    transaction.on_commit(lambda: email_send_task.delay(email_id), robust=True)
