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
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from celery.result import allow_join_result
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format

from mail.models import OutgoingEmail
from seminar import selectors
from seminar.enums import RegistrationStatus as Status
from seminar.errors import Busy
from seminar.models import Registration, Seminar, User
from seminar.selectors import registration_counts, seats_taken, with_waiting_position
from seminar.services import registration as registration_services
from seminar.services.locking import seminar_locked
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


@pytest.fixture
def patient_lock(settings):
    """The bursts test order and outcomes, not the lock's timeout: on a busy machine 50
    requests in a row may take longer than the production default to get through."""
    settings.REGISTRATION_LOCK_TIMEOUT_SECONDS = 120


def test_register_burst_of_50_fills_12_seats_and_queues_38_without_gaps(live_server, patient_lock):
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


def _in_thread(work) -> threading.Thread:
    """Run `work` in a thread of its own, on a database connection of its own."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _register_in_thread(seminar: Seminar, student: User, outcomes: dict) -> threading.Thread:
    from seminar.services.registration import registration_create

    def work() -> None:
        try:
            outcomes[student.pk] = registration_create(seminar=seminar, student=student).status
        except Exception as error:  # kept for the assertion, not swallowed
            outcomes[student.pk] = error

    return _in_thread(work)


@contextmanager
def _unlocked(seminar_id: int):
    """The seminar's transaction without its row lock: what the harness must see fail."""
    with transaction.atomic():
        yield Seminar.objects.get(pk=seminar_id)


@pytest.mark.django_db(transaction=True)
def test_register_without_lock_oversells_when_both_read_before_either_writes(monkeypatch):
    # Negative control: with the lock gone and both requests made to read the free seat before
    # either writes, the seminar is oversold. So the harness can see a race when there is one.
    real_seats_taken = selectors.seats_taken
    both_read = threading.Barrier(2, timeout=30)

    def seats_taken_then_wait(seminar):
        taken = real_seats_taken(seminar)
        both_read.wait()
        return taken

    monkeypatch.setattr(registration_services, "seminar_locked", _unlocked)
    monkeypatch.setattr(selectors, "seats_taken", seats_taken_then_wait)
    seminar = SeminarFactory(capacity=1)
    students = UserFactory.create_batch(2)
    outcomes: dict = {}

    for thread in [_register_in_thread(seminar, s, outcomes) for s in students]:
        thread.join(timeout=60)

    assert outcomes == {s.pk: Status.CONFIRMED for s in students}
    assert seats_taken(seminar) == 2


def _wait_for_lock_waiter(seminar: Seminar) -> None:
    """Return once another connection waits for a row lock (the second registration)."""
    for _ in range(600):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        threading.Event().wait(0.05)
    raise AssertionError("the second registration never waited for the seminar's lock")


@pytest.mark.django_db(transaction=True)
def test_register_with_lock_makes_second_request_wait_for_first_decision(monkeypatch):
    # The first request holds the lock between reading the free seat and taking it; the second
    # is made to arrive exactly then, and must wait and find the seat taken.
    real_seats_taken = selectors.seats_taken
    first_read, go_on = threading.Event(), threading.Event()

    def seats_taken_first_waits(seminar):
        taken = real_seats_taken(seminar)
        if not first_read.is_set():
            first_read.set()
            assert go_on.wait(timeout=30)
        return taken

    monkeypatch.setattr(selectors, "seats_taken", seats_taken_first_waits)
    seminar = SeminarFactory(capacity=1)
    first, second = UserFactory.create_batch(2)
    outcomes: dict = {}

    first_thread = _register_in_thread(seminar, first, outcomes)
    assert first_read.wait(timeout=30)
    second_thread = _register_in_thread(seminar, second, outcomes)
    _wait_for_lock_waiter(seminar)
    go_on.set()
    first_thread.join(timeout=60)
    second_thread.join(timeout=60)

    assert outcomes == {first.pk: Status.CONFIRMED, second.pk: Status.WAITING}
    assert seats_taken(seminar) == 1


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


def test_withdrawals_and_registrations_at_once_offer_freed_seats_in_order(
    live_server, patient_lock
):
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


def test_withdrawals_and_registrations_at_once_without_offers_promote_in_order(
    live_server, patient_lock
):
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
            # Answered while the lock is still held: the request gave up after the setting's
            # timeout instead of waiting for the holder (who waits for this answer).
            answer = _post(_connect(live_server.url), f"/{seminar.slug}/register/", session, None)
        finally:
            release.set()
        holder.result()

    assert answer.status == 503
    assert answer.retry_after == "2"
    refusal = re.search(r'data-testid="refusal">([^<]*)<', answer.body)
    assert refusal is not None
    assert refusal.group(1) == Busy().message
    assert "please try again" in refusal.group(1)
    assert Registration.objects.filter(seminar=seminar).count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_seminar_lock_waits_as_long_as_the_setting_says(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_SECONDS = 1
    seminar = SeminarFactory()
    with CaptureQueriesContext(connection) as captured, seminar_locked(seminar.pk) as locked:
        assert locked.pk == seminar.pk
    timeouts = [q["sql"] for q in captured.captured_queries if "lock_timeout" in q["sql"]]
    assert timeouts == ["SET LOCAL lock_timeout = 1000"]
