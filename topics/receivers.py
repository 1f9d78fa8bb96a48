"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from seminar.signals import participant_confirmed
from topics.services import late_joiner_place


@receiver(participant_confirmed, dispatch_uid="topics-late-joiner")
def place_late_joiner(sender, registration, **kwargs) -> None:
    late_joiner_place(registration=registration)
