from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mail.enums import EmailStatus


class OutgoingEmail(models.Model):
    """One e-mail in the outbox, rendered inside the transaction that caused it.

    The unique key makes a second copy of the same event impossible, however often the caller
    runs. A sender first claims the row (status `sending`, `claimed_at`, `claimed_by`), then
    talks to SMTP, and only then writes `sent_at`: a claim whose worker died expires and the row
    is taken again.
    """

    key = models.CharField(max_length=200, unique=True, verbose_name=_("key"))
    kind = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("The template set it was rendered from."),
        verbose_name=_("kind"),
    )
    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
        verbose_name=_("seminar"),
    )
    to = models.EmailField(verbose_name=_("to"))
    reply_to = models.CharField(max_length=300, blank=True, verbose_name=_("reply to"))
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    body_text = models.TextField(verbose_name=_("body text"))
    body_html = models.TextField(blank=True, verbose_name=_("body html"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    status = models.CharField(
        max_length=16,
        choices=EmailStatus.choices,
        default=EmailStatus.QUEUED,
        verbose_name=_("status"),
    )
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Queued e-mails: not sent before this moment."),
        verbose_name=_("next attempt at"),
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    claimed_by = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("host:pid of the worker"),
        verbose_name=_("claimed by"),
    )
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the SMTP server accepted it."),
        verbose_name=_("sent at"),
    )
    last_error = models.TextField(
        blank=True, help_text=_("The last SMTP reply or error."), verbose_name=_("last error")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
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
