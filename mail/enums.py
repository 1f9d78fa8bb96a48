from django.db import models


class EmailStatus(models.TextChoices):
    """Where an outgoing e-mail stands; only `sent` means the SMTP server accepted it."""

    QUEUED = "queued", "queued"
    SENDING = "sending", "sending (claimed by a worker)"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"
