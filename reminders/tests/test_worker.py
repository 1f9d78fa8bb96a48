"""Real Celery workers behind Redis, killed with SIGKILL in the middle of a batch and started
again: every due reminder reaches the local SMTP server exactly once.

The first worker is killed in the middle of the scan (held at a reminder's key, so that the
kill lands after some reminders were queued and before the rest), the second in the middle of
sending (held in an SMTP conversation before the message was handed over). Late
acknowledgement gives the killed workers' tasks to the next worker once Redis's visibility
timeout passed; the outbox's keys and claims keep anything from going out twice.
"""

import asyncio
import datetime as dt
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg2
import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from mail.enums import EmailStatus
from mail.tests.conftest import free_port
from reminders.enums import ReminderKind
from reminders.moments import reminder_key
from reminders.tasks import reminders_scan_task
from reminders.tests.factories import reminder_emails, rule_of
from seminar.tests import workers
from seminar.tests.factories import RegistrationFactory, SeminarFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

STUDENTS = 40
HELD_AT = 10  # the scan is held at the 10th student's reminder, then killed
PAUSE_AT = 25  # the 25th SMTP conversation is held at RCPT, then its worker is killed
CLAIM_TIMEOUT = 2  # seconds; shorter than the visibility timeout, as in production
VISIBILITY_TIMEOUT = 5
WAIT = 90  # seconds for anything to happen; the test waits for outcomes, not durations


class Sink:
    """aiosmtpd handler: counts what it accepts; holds the PAUSE_AT-th conversation at RCPT
    until released (its client is killed meanwhile, so that message is never handed over)."""

    def __init__(self):
        self.received: list[str] = []  # Message-IDs
        self.rcpts = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpts += 1
        if self.rcpts == PAUSE_AT:
            self.holding.set()
            await asyncio.to_thread(self.release.wait, WAIT)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.received.append(line.split(":", 1)[1].strip())
        return "250 2.0.0 Ok: queued"


def start_worker(queue: str, smtp_port: int, log: Path) -> subprocess.Popen:
    return workers.worker_start(
        queue,
        log,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        EMAIL_CLAIM_TIMEOUT_SECONDS=str(CLAIM_TIMEOUT),
        CELERY_VISIBILITY_TIMEOUT_SECONDS=str(VISIBILITY_TIMEOUT),
    )


def wait_for(condition, what: str) -> None:
    workers.wait_for(condition, what, seconds=WAIT)


def kill(worker: subprocess.Popen) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=WAIT)


def waiting_for_a_lock() -> bool:
    """A worker's database session waits for a lock (the test's uncommitted reminder row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def hold_key(key: str):
    """Insert a reminder row with this key in a transaction of its own and keep it open: a
    scan queuing the same key waits for it. Returns the connection (roll back to release)."""
    db = settings.DATABASES["default"]
    held = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
    )
    with held.cursor() as cursor:
        cursor.execute(
            'INSERT INTO mail_outgoingemail (key, kind, "to", reply_to, subject, body_text, '
            "body_html, created_at, status, attempts, claimed_by, last_error) VALUES "
            "(%s, 'reminder_preferences', 'held@example.org', '', 'held', '', '', now(), "
            "'queued', 0, '', '')",
            [key],
        )
    return held


def test_workers_killed_mid_scan_and_mid_send_deliver_every_reminder_once(tmp_path):
    now = timezone.now()
    seminar = SeminarFactory(
        capacity=STUDENTS,
        preference_deadline=now + dt.timedelta(hours=30),
        preferences_opened_at=now - dt.timedelta(days=1),
    )
    students = RegistrationFactory.create_batch(STUDENTS, seminar=seminar)
    rule = rule_of(seminar, ReminderKind.PREFERENCES, hours=48)
    held = hold_key(
        reminder_key(
            rule_id=rule.pk,
            registration_id=students[HELD_AT - 1].pk,
            deadline=seminar.preference_deadline,
        )
    )

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    queue = f"test-reminders-{uuid.uuid4().hex}"
    log = tmp_path / "workers.log"
    workers = []
    eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False  # through Redis to the workers
    celery_app.conf.task_default_queue = queue
    try:
        # 1. The first worker scans; it queues nine reminders and waits at the tenth's key.
        workers.append(start_worker(queue, port, log))
        reminders_scan_task.delay()
        wait_for(waiting_for_a_lock, "the scan to wait at the held key")
        kill(workers[-1])
        assert reminder_emails().count() == HELD_AT - 1
        held.rollback()  # the tenth is not queued: its scan died
        held.close()

        # 2. The second worker sends the nine, then gets the killed scan back from Redis
        # (visibility timeout) and queues the rest; it is killed in the middle of sending.
        workers.append(start_worker(queue, port, log))
        assert sink.holding.wait(WAIT), "no SMTP conversation reached the pause"
        kill(workers[-1])
        sink.release.set()
        assert reminder_emails().count() == STUDENTS
        in_flight = reminder_emails().filter(status=EmailStatus.SENDING)
        assert in_flight.count() == 1  # claimed by the dead worker, not handed over

        # 3. A third worker finishes: the send task the killed worker held comes back from
        # Redis after the visibility timeout and retakes the expired claim.
        workers.append(start_worker(queue, port, log))
        wait_for(lambda: len(sink.received) >= STUDENTS, f"{STUDENTS} messages at the sink")
        # Once more, as beat would: neither the scan nor the sweeper sends anything again.
        reminders_scan_task.delay()
        celery_app.send_task("mail.tasks.emails_send_due_task", queue=queue)
        wait_for(
            lambda: not redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(queue),
            "the queue to be empty",
        )
        time.sleep(CLAIM_TIMEOUT + 1)  # whatever might still arrive has arrived
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=WAIT)
        controller.stop()
        print(log.read_text())  # shown by pytest only if the test failed
        with redis.Redis.from_url(settings.CELERY_BROKER_URL) as client:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

    counts = Counter(sink.received)
    assert (len(counts), sorted(set(counts.values()))) == (STUDENTS, [1])
    assert set(reminder_emails().values_list("status", flat=True)) == {EmailStatus.SENT}
    assert sorted(reminder_emails().values_list("to", flat=True)) == sorted(
        s.student.email for s in students
    )
