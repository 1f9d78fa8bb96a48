"""10,000 due reminders through Redis and one Celery worker into a local SMTP server.

A seminar of 10,000 participants whose topic preferences are due in 30 hours, none sent: the
48-hour reminder is due for each. The scan task goes to Redis; one worker (one process) runs
it, which queues the 10,000 e-mails (each sends its own task to Redis after commit), and then
sends them one by one to an aiosmtpd server in this process. Measured from publishing the scan
to the last e-mail's arrival: e-mails per second, and, counted at the SMTP server by the
outbox's Message-ID, duplicates and missing ones (both must be 0).

Needs a Redis broker (CELERY_BROKER_URL=redis://...); without one this part is skipped.
Run it alone with `python -m bench.reminders` (a fresh bench database, as `make bench`).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter

from bench import harness
from bench.harness import BENCH_DIR, BIN, ROOT, BenchEnv, Report, step

SLUG = "bench-reminders"
REMINDERS = 10_000
TIMEOUT = 1800  # seconds: a stalled worker ends the run as "missing", never a hang


class _Sink:
    """aiosmtpd handler that accepts everything and keeps each message's Message-ID."""

    def __init__(self):
        self.ids: list[str] = []
        self.last_at = 0.0

    async def handle_DATA(self, server, session, envelope) -> str:
        for line in envelope.content.split(b"\r\n"):
            if line[:11].lower() == b"message-id:":
                self.ids.append(line[11:].strip().decode())
                break
        self.last_at = time.perf_counter()
        return "250 2.0.0 Ok: queued"


def run(bench: BenchEnv, report: Report) -> None:
    if not bench.broker_url.startswith(("redis://", "rediss://")):
        step("reminders through Redis and a worker: skipped (needs CELERY_BROKER_URL=redis://…)")
        return
    from aiosmtpd.controller import Controller

    _setup()
    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    queue = f"bench-reminders-{uuid.uuid4().hex[:12]}"
    log = BENCH_DIR / "reminders-worker.log"
    worker = _worker_start(bench, queue, port, log)
    try:
        step(f"{REMINDERS:,} reminders: scan and send through Redis and one worker (log: {log})")
        from reminders.tasks import reminders_scan_task

        started = time.perf_counter()
        reminders_scan_task.apply_async(queue=queue)
        scanned = _wait(lambda: _queued() >= REMINDERS or worker.poll() is not None)
        scan_seconds = time.perf_counter() - started
        _wait(lambda: len(sink.ids) >= REMINDERS or worker.poll() is not None)
        finished = sink.last_at or time.perf_counter()
        time.sleep(2)  # anything sent twice would arrive now
    finally:
        _worker_stop(worker)
        controller.stop()
        _queue_forget(bench.broker_url, queue)

    received = Counter(_outbox_id(message_id) for message_id in sink.ids)
    duplicates = sum(count - 1 for count in received.values())
    missing = REMINDERS - len(_reminder_ids() & set(received))  # never queued counts too
    seconds = max(finished - started, 1e-9)
    per_second = round(min(len(sink.ids), REMINDERS) / seconds, 1)
    print(
        f"  queued {REMINDERS:,} in {scan_seconds:.1f} s{'' if scanned else ' (incomplete)'}; "
        f"{len(sink.ids):,} messages at the SMTP server after {seconds:.1f} s"
    )
    report.add("reminders_10000_per_second", per_second, "e-mails/s")
    report.add("reminders_10000_scan_seconds", round(scan_seconds, 1), "s")
    report.add("reminders_10000_duplicates", duplicates, "e-mails")
    report.add("reminders_10000_missing", missing, "e-mails")
    if duplicates:
        report.problem(f"reminders: {duplicates} e-mails reached the SMTP server twice")
    if missing:
        report.problem(f"reminders: {missing} due reminders never reached the SMTP server")


def _setup() -> None:
    """The seminar and its participants, with only its 48-hour preference rule on."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import connections, transaction
    from django.utils import timezone

    from reminders.enums import ReminderKind
    from reminders.models import ReminderRule
    from seminar.enums import RegistrationStatus
    from seminar.models import Registration, Seminar, User
    from seminar.services.setup import seminar_setup

    step(f"creating /{SLUG}/ with {REMINDERS:,} participants whose preferences are due")
    now = timezone.now()
    with transaction.atomic():
        # Other seminars of the bench database remind nobody during the measurement.
        ReminderRule.objects.update(enabled=False)
        seminar = Seminar.objects.create(
            title="Bench reminders",
            slug=SLUG,
            tag="BenchRem",
            contact_name="Bench",
            contact_email="bench@example.org",
            capacity=REMINDERS,
            preference_deadline=now + dt.timedelta(hours=30),
            preferences_opened_at=now - dt.timedelta(days=1),
        )
        seminar_setup(seminar=seminar)
        seminar.reminder_rules.exclude(kind=ReminderKind.PREFERENCES, hours_before=48).update(
            enabled=False
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            User(
                email=f"bench-reminder-{i:05d}@example.org",
                full_name=f"Bench Student {i:05d}",
                password=password,
            )
            for i in range(REMINDERS)
        )
        Registration.objects.bulk_create(
            Registration(
                seminar=seminar,
                student=user,
                status=RegistrationStatus.CONFIRMED,
                joined_at=now,
                status_changed_at=now,
                confirmed_at=now,
            )
            for user in users
        )
    connections.close_all()  # SQLite: hold no lock while the worker writes


def _reminder_ids() -> set[int]:
    from mail.models import OutgoingEmail

    return set(
        OutgoingEmail.objects.filter(seminar__slug=SLUG, kind__startswith="reminder_").values_list(
            "pk", flat=True
        )
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _queued() -> int:
    from django.db import connections

    from mail.models import OutgoingEmail

    try:
        return OutgoingEmail.objects.filter(seminar__slug=SLUG).count()
    finally:
        connections.close_all()


def _outbox_id(message_id: str) -> int:
    """The outbox row of a Message-ID `<outbox.<id>.<created>@domain>`."""
    try:
        return int(message_id.strip("<>").split(".")[1])
    except (IndexError, ValueError):
        return -1


def _wait(condition) -> bool:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _worker_start(bench: BenchEnv, queue: str, port: int, log) -> subprocess.Popen:
    env = {
        **bench.env,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "LOG_LEVEL": "WARNING",
    }
    command = [str(BIN / "celery"), "-A", "config", "worker", "--concurrency=1", "-Q", queue]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"]
    with log.open("w") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _worker_stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # a warm shutdown
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _queue_forget(url: str, queue: str) -> None:
    import redis

    with redis.Redis.from_url(url) as client:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def main() -> int:
    """This part alone, on a fresh bench database: `python -m bench.reminders`."""
    bench = harness.bench_environment()
    if bench.broker_url:
        harness.broker_check(bench.broker_url)
    harness.database_reset(bench)
    harness.django_setup(bench)
    report = Report()
    run(bench, report)
    harness.table_print(report.figures)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
