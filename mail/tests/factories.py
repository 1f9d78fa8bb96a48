import factory
from django.utils import timezone

from mail.enums import EmailStatus
from mail.models import OutgoingEmail


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """A queued e-mail, due now, as email_queue stores it (without sending it)."""

    class Meta:
        model = OutgoingEmail

    key = factory.Sequence(lambda n: f"event-{n}")
    kind = "registration_confirmed"
    to = factory.Sequence(lambda n: f"student{n}@example.org")
    reply_to = "Contact Person <contact@example.org>"
    subject = factory.Sequence(lambda n: f"[Sem] Message {n}")
    body_text = "Dear Student,\n\nyour seat is confirmed."
    body_html = "<p>Dear Student,</p><p>your seat is confirmed.</p>"
    status = EmailStatus.QUEUED
    next_attempt_at = factory.LazyFunction(timezone.now)
