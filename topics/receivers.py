"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from seminar.signals import participant_confirmed, seminar_carried_forward, seminar_created
from topics.services import late_joiner_place, topic_settings_ensure
from topics.services.carry import topics_carry_forward


@receiver(participant_confirmed, dispatch_uid="topics-late-joiner")
def place_late_joiner(sender, registration, **kwargs) -> None:
    late_joiner_place(registration=registration)


@receiver(seminar_created, dispatch_uid="topics-settings")
def add_topic_settings(sender, seminar, **kwargs) -> None:
    topic_settings_ensure(seminar=seminar)


@receiver(seminar_carried_forward, dispatch_uid="topics-carry-forward")
def copy_topics(sender, source, target, shift, **kwargs) -> None:
    topics_carry_forward(source=source, target=target, shift=shift)
