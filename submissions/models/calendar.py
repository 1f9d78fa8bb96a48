from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """The secret token of a participant's personal calendar feed; a reset makes a new one."""

    registration = models.OneToOneField(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("registration"),
    )
    token = models.CharField(max_length=64, unique=True, verbose_name=_("token"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed of {self.registration.student}"
