"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from seminar.signals import seminar_carried_forward, seminar_created
from submissions.services.carry import deliverables_carry_forward, file_retention_carry_forward
from submissions.services.deliverables import deliverables_ensure
from submissions.services.retention import file_retention_ensure


@receiver(seminar_created, dispatch_uid="submissions-deliverables")
def add_deliverables(sender, seminar, **kwargs) -> None:
    deliverables_ensure(seminar=seminar)


@receiver(seminar_carried_forward, dispatch_uid="submissions-carry-forward")
def copy_deliverables(sender, source, target, shift, **kwargs) -> None:
    deliverables_carry_forward(source=source, target=target, shift=shift)
    file_retention_carry_forward(source=source, target=target)


@receiver(seminar_created, dispatch_uid="submissions-file-retention")
def add_file_retention(sender, seminar, **kwargs) -> None:
    file_retention_ensure(seminar=seminar)
