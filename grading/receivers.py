"""Listens to the seminar app's domain events."""

from django.dispatch import receiver

from grading.services import grading_scheme_ensure
from seminar.signals import seminar_created


@receiver(seminar_created, dispatch_uid="grading-scheme")
def add_grading_scheme(sender, seminar, **kwargs) -> None:
    grading_scheme_ensure(seminar=seminar)
