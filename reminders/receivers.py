"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from reminders.services import reminder_rules_ensure
from seminar.signals import seminar_created


@receiver(seminar_created, dispatch_uid="reminders-rules")
def add_reminder_rules(sender, seminar, **kwargs) -> None:
    reminder_rules_ensure(seminar=seminar)
