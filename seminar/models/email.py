from django.db import models


class OutgoingEmail(models.Model):
    """An e-mail rendered inside the transaction that caused it, sent once by a task.

    The unique key makes a second copy of the same message impossible, however often the
    caller runs; `sent_at` is claimed by a conditional update before the SMTP call.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outgoing e-mail"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
