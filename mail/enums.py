from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    """Where an outgoing e-mail stands; only `sent` means the SMTP server accepted it."""

    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending (claimed by a worker)")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
