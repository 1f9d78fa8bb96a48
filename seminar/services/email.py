"""The one way the site sends e-mail: render a template set, store it, send it once after commit."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from seminar.models import OutgoingEmail, Seminar


def email_queue(
    *, key: str, to: str, template: str, seminar: Seminar, context: dict | None = None
) -> OutgoingEmail | None:
    """Render `emails/<template>_subject.txt`, `_body.txt` and `_body.html` and send after commit.

    `key` names the event (e.g. "registration-17-offer-2026-01-05T10:00"): a second call with the
    same key sends nothing, so retries and repeated scheduler runs never duplicate a message.
    Returns the stored e-mail, or None when this key was queued before.
    """
    context = {"seminar": seminar, "site_url": settings.SITE_URL, **(context or {})}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    subject = " ".join(f"{seminar.subject_prefix} {subject}".split())  # one line, tag first
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key,
                to=to,
                subject=subject,
                body_text=render_to_string(f"emails/{template}_body.txt", context),
                body_html=render_to_string(f"emails/{template}_body.html", context),
            )
    except IntegrityError:
        return None
    from seminar.tasks import email_send_task  # tasks import services; break the cycle here

    # robust: if the broker is down the request still succeeds; emails_send_pending catches up.
    transaction.on_commit(lambda: email_send_task.delay(email.pk), robust=True)
    return email


def email_send(*, email_id: int) -> bool:
    """Send a stored e-mail unless it was sent already; True if this call sent it."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, sent_at=None).update(sent_at=timezone.now())
    if claimed != 1:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception:
        # Give the claim back so that a retry of the task can send it.
        OutgoingEmail.objects.filter(pk=email_id).update(sent_at=None)
        raise
    return True


def emails_send_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    """Send what is still unsent a while after its transaction (e.g. the broker was down)."""
    pending = OutgoingEmail.objects.filter(
        sent_at=None, created_at__lte=timezone.now() - older_than
    ).values_list("pk", flat=True)
    return sum(email_send(email_id=pk) for pk in list(pending))
