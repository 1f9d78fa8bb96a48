"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from grading.services import grading_scheme_ensure
from grading.services.carry import grading_scheme_carry_forward
from seminar.signals import seminar_carried_forward, seminar_created


@receiver(seminar_created, dispatch_uid="grading-scheme")
def add_grading_scheme(sender, seminar, **kwargs) -> None:
    grading_scheme_ensure(seminar=seminar)


@receiver(seminar_carried_forward, dispatch_uid="grading-carry-forward")
def copy_grading_scheme(sender, source, target, shift, **kwargs) -> None:
    grading_scheme_carry_forward(source=source, target=target)
