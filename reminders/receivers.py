"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from reminders.services import reminder_rules_carry_forward, reminder_rules_ensure
from seminar.signals import seminar_carried_forward, seminar_created


@receiver(seminar_created, dispatch_uid="reminders-rules")
def add_reminder_rules(sender, seminar, **kwargs) -> None:
    reminder_rules_ensure(seminar=seminar)


@receiver(seminar_carried_forward, dispatch_uid="reminders-carry-forward")
def copy_reminder_rules(sender, source, target, shift, **kwargs) -> None:
    reminder_rules_carry_forward(source=source, target=target)
