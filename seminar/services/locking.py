"""The seminar's lock: every registration decision runs inside it, one at a time per seminar."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

from seminar.errors import Busy
from seminar.models import Seminar

# PostgreSQL: lock_not_available (lock_timeout ran out), deadlock_detected.
_BUSY_PGCODES = {"55P03", "40P01"}


@contextmanager
def seminar_locked(seminar_id: int) -> Iterator[Seminar]:
    """Open a transaction holding the seminar row's lock and yield the fresh seminar.

    PostgreSQL: SELECT ... FOR UPDATE with a lock_timeout. SQLite: the IMMEDIATE transaction
    mode (settings) takes the database's write lock at BEGIN, which serializes the same way.
    """
    try:
        with transaction.atomic():
            yield _seminar_for_update(seminar_id)
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise Busy from exc
        raise


def _seminar_for_update(seminar_id: int) -> Seminar:
    if connection.vendor == "postgresql":
        timeout_ms = int(settings.REGISTRATION_LOCK_TIMEOUT_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms}")
    return Seminar.objects.select_for_update().get(pk=seminar_id)


def _is_lock_timeout(exc: OperationalError) -> bool:
    pgcode = getattr(exc.__cause__, "pgcode", None)
    return pgcode in _BUSY_PGCODES or "database is locked" in str(exc)
