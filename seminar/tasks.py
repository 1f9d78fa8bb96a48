"""Thin Celery tasks: take ids, load, call one service."""

from celery import shared_task

from seminar.models import Seminar
from seminar.selectors import seminars_with_due_offers
from seminar.services.registration import offers_expire


@shared_task
def offers_expire_all() -> int:
    """Periodic: pass on every seat whose offer ran out (also done whenever a seminar is read)."""
    expired = 0
    for seminar in Seminar.objects.filter(pk__in=seminars_with_due_offers()):
        expired += offers_expire(seminar=seminar)
    return expired


@shared_task(ignore_result=False)
def ping() -> str:
    """A round trip through the broker, for health checks and the worker test."""
    return "pong"
