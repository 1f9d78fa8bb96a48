"""Thin Celery tasks: take ids, load, call one service."""

from celery import shared_task

from seminar.errors import Busy
from seminar.models import Seminar
from topics.selectors import seminars_with_due_late_choices
from topics.services import late_choices_expire


@shared_task
def late_choices_expire_all() -> int:
    """Periodic: a free topic for every late joiner whose time to choose ran out (also done
    whenever a page of the seminar is read)."""
    assigned = 0
    for seminar in Seminar.objects.filter(pk__in=seminars_with_due_late_choices()):
        try:
            assigned += late_choices_expire(seminar=seminar)
        except Busy:
            continue  # the next run, or the next page read, does it
    return assigned
