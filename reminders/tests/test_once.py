"""Each reminder reaches each recipient once, counted at a real SMTP server: one scan run twice,
and two scans at the same moment that both find the same reminders due."""

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from mail.enums import EmailStatus
from reminders import services
from reminders.tests.factories import reminder_emails
from seminar.tests.factories import RegistrationFactory, SeminarFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out after real commits

STUDENTS = 8


def due_seminar(students: int = STUDENTS):
    """Preferences due in 30 hours and nobody has sent any: the 48-hour reminder is due for
    every participant now (caught up)."""
    now = timezone.now()
    seminar = SeminarFactory(
        preference_deadline=now + dt.timedelta(hours=30),
        preferences_opened_at=now - dt.timedelta(days=1),
        capacity=students,
    )
    registrations = RegistrationFactory.create_batch(students, seminar=seminar)
    return seminar, registrations


def delivered(smtp) -> Counter:
    """Message-ID -> how often the SMTP server accepted it."""
    return Counter(message["Message-ID"] for message in smtp.received)


def test_one_scan_run_twice_sends_each_reminder_once(smtp):
    seminar, registrations = due_seminar()
    assert services.reminders_scan(now=timezone.now()).queued == STUDENTS
    assert services.reminders_scan(now=timezone.now()).queued == 0
    counts = delivered(smtp)
    assert (len(counts), set(counts.values())) == (STUDENTS, {1})
    assert sorted(m["To"] for m in smtp.received) == sorted(r.student.email for r in registrations)
    assert set(reminder_emails().values_list("status", flat=True)) == {EmailStatus.SENT}


@pytest.mark.postgres
def test_two_scans_at_once_send_each_reminder_once(smtp, monkeypatch):
    seminar, registrations = due_seminar()
    barrier = threading.Barrier(2, timeout=30)
    looked_up = services.selectors.queued_keys

    def look_up_then_meet(keys):
        found = looked_up(keys)
        barrier.wait()  # both scans have found nothing queued before either queues anything
        return found

    monkeypatch.setattr(services.selectors, "queued_keys", look_up_then_meet)

    def scan(_) -> int:
        try:
            return services.reminders_scan(now=timezone.now(), seminar=seminar).queued
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        queued = list(pool.map(scan, range(2)))
    assert sum(queued) == STUDENTS
    assert reminder_emails().count() == STUDENTS
    counts = delivered(smtp)
    assert (len(counts), set(counts.values())) == (STUDENTS, {1})
