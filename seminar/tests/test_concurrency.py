"""Registration under real parallel requests: the seminar is never oversold, nobody jumps the queue.

Every request goes over HTTP to pytest-django's threaded live server, so each one runs in its
own thread on its own PostgreSQL connection and the seminar's row lock does the serializing.
"""

import datetime as dt
import http.client
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from celery.result import allow_join_result
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format

from mail.models import OutgoingEmail
from seminar.enums import RegistrationStatus as Status
from seminar.errors import Busy
from seminar.models import Registration, Seminar, User
from seminar.selectors import registration_counts, seats_taken, with_waiting_position
from seminar.tests.factories import RegistrationFactory, SeminarFactory, UserFactory

pytestmark = pytest.mark.postgres

# Django accepts an unmasked 32-character secret both as the cookie and as the header.
CSRF_TOKEN = get_random_string(32)
STUDENTS = 50
CAPACITY = 12
ROUNDS = 20


@pytest.fixture(autouse=True)
def _celery_join_flag_kept():
    """Give back Celery's process-wide "inside a task" flag as it was before the test.

    An eager apply_async sets that flag and restores its old value without a lock, so parallel
    requests (each sending e-mail through an eager task) can leave it set for good; every later
    result.get() in the process would then raise "Never call result.get() within a task!".
    """
    with allow_join_result():  # on exit, restores the value it found
        yield


@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    retry_after: str | None
    body: str


def _session(user: User) -> str:
    """A logged-in session id, without going through the login form."""
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _connect(server_url: str) -> http.client.HTTPConnection:
    address = urlsplit(server_url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    conn.connect()
    return conn


def _post(
    conn: http.client.HTTPConnection, path: str, session: str, barrier: threading.Barrier | None
) -> Answer:
    """Send one POST on an open connection (after the barrier, if any) and close it."""
    cookies = {
        django_settings.SESSION_COOKIE_NAME: session,
        django_settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
    }
    headers = {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "X-CSRFToken": CSRF_TOKEN,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    try:
        if barrier is not None:
            barrier.wait()
        conn.request("POST", path, body="", headers=headers)
        response = conn.getresponse()
        body = response.read().decode()
        return Answer(
            response.status, response.getheader("Location"), response.getheader("Retry-After"), body
        )
    finally:
        conn.close()


def _burst(server_url: str, requests: list[tuple[str, str]]) -> list[Answer]:
    """Send every (path, session) request at once, each on its own connection and thread."""
    # Connect one after the other first: the live server listens with a backlog of 10, and 50
    # simultaneous handshakes would overflow it and wait a second for the SYN retry. The short
    # sleep hands the GIL to the server's accept loop between two connections.
    conns = []
    try:
        for _ in requests:
            conns.append(_connect(server_url))
            time.sleep(0.002)
    except BaseException:
        for conn in conns:
            conn.close()
        raise
    barrier = threading.Barrier(len(requests), timeout=30)
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [
            pool.submit(_post, conn, path, session, barrier)
            for conn, (path, session) in zip(conns, requests, strict=True)
        ]
        return [future.result() for future in futures]


def _counts(**nonzero: int) -> dict[str, int]:
    return {**dict.fromkeys(Status.values, 0), **nonzero}


def _subject(seminar: Seminar, text: str) -> str:
    return f"{seminar.subject_prefix} {text}"


def _local(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _outbox_to(email: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [email]]


def _waiting_by_position(seminar: Seminar) -> list[Registration]:
    waiting = Registration.objects.filter(seminar=seminar, status=Status.WAITING)
    return list(with_waiting_position(waiting).select_related("student").order_by("position"))


def test_register_burst_of_50_fills_12_seats_and_queues_38_without_gaps(live_server):
    students = UserFactory.create_batch(STUDENTS)
    sessions = [_session(student) for student in students]
    for _ in range(ROUNDS):
        seminar = SeminarFactory(capacity=CAPACITY)
        mail.outbox.clear()

        answers = _burst(live_server.url, [(f"/{seminar.slug}/register/", s) for s in sessions])

        assert [a.status for a in answers] == [302] * STUDENTS
        assert {a.location for a in answers} == {f"/{seminar.slug}/me/"}
        assert registration_counts(seminar) == _counts(confirmed=12, waiting=38)
        registrations = Registration.objects.filter(seminar=seminar)
        assert sorted(registrations.values_list("student_id", flat=True)) == sorted(
            s.pk for s in students
        )
        waiting = _waiting_by_position(seminar)
        assert [r.position for r in waiting] == list(range(1, 39))
        # Positions break ties by pk, so they would hide a repeated queue number; check those too.
        assert [r.queue_number for r in waiting] == list(range(1, 39))
        # joined_at is taken under the lock: seats went to the first 12 in, the line keeps order.
        confirmed = registrations.filter(status=Status.CONFIRMED)
        assert max(r.joined_at for r in confirmed) < waiting[0].joined_at
        assert [r.joined_at for r in waiting] == sorted(r.joined_at for r in waiting)
        # Each e-mail was written inside the lock, so its position is the final one.
        for registration in waiting:
            assert _outbox_to(registration.student.email) == [
                _subject(seminar, f"You are on the waiting list (position {registration.position})")
            ]
        for registration in confirmed.select_related("student"):
            assert _outbox_to(registration.student.email) == [
                _subject(seminar, "Your seat is confirmed")
            ]
        assert len(mail.outbox) == STUDENTS


def test_register_burst_without_lock_oversells(live_server, settings):
    # Negative control: if this passes with the lock off, the harness can see a race.
    settings.REGISTRATION_LOCKING = False
    settings.REGISTRATION_RACE_DELAY_SECONDS = 0.05
    students = UserFactory.create_batch(STUDENTS)
    seminar = SeminarFactory(capacity=CAPACITY)

    answers = _burst(
        live_server.url, [(f"/{seminar.slug}/register/", _session(s)) for s in students]
    )

    assert [a.status for a in answers] == [302] * STUDENTS
    assert seats_taken(seminar) > CAPACITY


@dataclass(frozen=True)
class FullSeminar:
    seminar: Seminar
    confirmed: list[Registration]
    waiting: list[Registration]
    newcomers: list[User]


def _full_seminar(offer_hours: int) -> FullSeminar:
    seminar = SeminarFactory(capacity=CAPACITY, offer_hours=offer_hours)
    return FullSeminar(
        seminar=seminar,
        confirmed=RegistrationFactory.create_batch(12, seminar=seminar, status=Status.CONFIRMED),
        waiting=[
            RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=number)
            for number in range(1, 16)
        ],
        newcomers=UserFactory.create_batch(10),
    )


def _withdraw_and_register_at_once(server_url: str, full: FullSeminar) -> list[Answer]:
    slug = full.seminar.slug
    withdrawals = [(f"/{slug}/withdraw/", _session(r.student)) for r in full.confirmed[:10]]
    registrations = [(f"/{slug}/register/", _session(user)) for user in full.newcomers]
    mail.outbox.clear()
    # Interleaved, so that neither kind gets the first threads of the pool.
    requests = [r for pair in zip(withdrawals, registrations, strict=True) for r in pair]
    return _burst(server_url, requests)


def _assert_newcomers_queue_behind(full: FullSeminar) -> None:
    positions = {r.student_id: r.position for r in _waiting_by_position(full.seminar)}
    old = sorted(positions[r.student_id] for r in full.waiting[10:])
    new = sorted(positions[user.pk] for user in full.newcomers)
    assert old == [1, 2, 3, 4, 5]
    assert new == list(range(6, 16))


def test_withdrawals_and_registrations_at_once_offer_freed_seats_in_order(live_server):
    full = _full_seminar(offer_hours=48)
    seminar = full.seminar

    answers = _withdraw_and_register_at_once(live_server.url, full)

    assert [a.status for a in answers] == [302] * 20
    assert registration_counts(seminar) == _counts(
        confirmed=2, offered=10, waiting=15, withdrawn=10
    )
    assert seats_taken(seminar) == CAPACITY
    offered = Registration.objects.filter(seminar=seminar, status=Status.OFFERED)
    assert {r.student_id for r in offered} == {r.student_id for r in full.waiting[:10]}
    # Sent by the eager task in on_commit, inside the live server's request threads.
    for registration in offered.select_related("student"):
        expires = _local(registration.offer_expires_at)
        assert _outbox_to(registration.student.email) == [
            _subject(seminar, f"A seat is free for you: accept by {expires}")
        ]
    for registration in full.confirmed[:10]:
        assert _outbox_to(registration.student.email) == [_subject(seminar, "You have withdrawn")]
    assert len(mail.outbox) == 30  # 10 withdrawn, 10 offers, 10 "on the waiting list"
    _assert_newcomers_queue_behind(full)


def test_withdrawals_and_registrations_at_once_without_offers_promote_in_order(live_server):
    full = _full_seminar(offer_hours=0)
    seminar = full.seminar

    answers = _withdraw_and_register_at_once(live_server.url, full)

    assert [a.status for a in answers] == [302] * 20
    assert registration_counts(seminar) == _counts(confirmed=12, waiting=15, withdrawn=10)
    confirmed = Registration.objects.filter(seminar=seminar, status=Status.CONFIRMED)
    assert {r.student_id for r in confirmed} == {
        r.student_id for r in full.confirmed[10:] + full.waiting[:10]
    }
    for registration in full.waiting[:10]:
        assert _outbox_to(registration.student.email) == [
            _subject(seminar, "You moved up from the waiting list: your seat is confirmed")
        ]
    assert len(mail.outbox) == 30  # 10 withdrawn, 10 promoted, 10 "on the waiting list"
    _assert_newcomers_queue_behind(full)


def test_register_while_seminar_is_locked_answers_503_and_writes_nothing(live_server, settings):
    settings.REGISTRATION_LOCK_TIMEOUT_SECONDS = 1
    seminar = SeminarFactory()
    session = _session(UserFactory())
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic():
                Seminar.objects.select_for_update().get(pk=seminar.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()  # this thread's own connection; the test database is flushed after

    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(hold_lock)
        try:
            assert locked.wait(timeout=10)
            started = time.monotonic()
            answer = _post(_connect(live_server.url), f"/{seminar.slug}/register/", session, None)
            elapsed = time.monotonic() - started
        finally:
            release.set()
        holder.result()

    assert answer.status == 503
    assert answer.retry_after == "2"
    refusal = re.search(r'data-testid="refusal">([^<]*)<', answer.body)
    assert refusal is not None
    assert refusal.group(1) == Busy().message
    assert "please try again" in refusal.group(1)
    # The setting's 1 s, not the default 5 s, decided how long the request waited.
    assert 1 <= elapsed < 4
    assert Registration.objects.filter(seminar=seminar).count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []
