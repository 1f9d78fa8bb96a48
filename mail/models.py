from django.db import models
from django.db.models import Q

from mail.enums import EmailStatus


class OutgoingEmail(models.Model):
    """One e-mail in the outbox, rendered inside the transaction that caused it.

    The unique key makes a second copy of the same event impossible, however often the caller
    runs. A sender first claims the row (status `sending`, `claimed_at`, `claimed_by`), then
    talks to SMTP, and only then writes `sent_at`: a claim whose worker died expires and the row
    is taken again.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=80, blank=True, help_text="The template set it was rendered from."
    )
    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
    )
    to = models.EmailField()
    reply_to = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="Queued e-mails: not sent before this moment."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True, help_text="host:pid of the worker")
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the SMTP server accepted it."
    )
    last_error = models.TextField(blank=True, help_text="The last SMTP reply or error.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outgoing e-mail"
        permissions = [("resend_outgoingemail", "Can queue a failed e-mail again")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="mail_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="mail_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
