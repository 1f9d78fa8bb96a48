from django.db import models
from django.utils import timezone


class CalendarFeed(models.Model):
    """The secret token of a participant's personal calendar feed; a reset makes a new one."""

    registration = models.OneToOneField(
        "seminar.Registration", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.registration.student}"
