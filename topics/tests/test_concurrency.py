"""Topics decided by parallel requests on PostgreSQL: preferences, hand changes, late choices.

Every request goes over HTTP to pytest-django's threaded live server, so each runs in its own
thread on its own connection. The interleaving is forced, not hoped for: the test holds the
seminar's row lock, sends the requests, waits until PostgreSQL shows every one of them waiting
for that lock, and only then lets go. Each request has read what it reads before the lock by
then, so they all decide at the same moment. A service that did not take the lock would never
wait: the test would then fail at the wait instead of racing.
"""

import http.client
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from celery.result import allow_join_result
from django.conf import settings as django_settings
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import Busy
from seminar.models import ActivityEntry, Seminar, User
from seminar.services.registration import registration_create
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from topics import services
from topics.enums import AssignmentReason
from topics.models import Assignment, Preference
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.postgres

CSRF_TOKEN = get_random_string(32)  # accepted unmasked as both cookie and header
WAIT_SECONDS = 30  # only a safety net: the lock timeout (5 s) ends a stuck request long before


@pytest.fixture(autouse=True)
def _celery_join_flag_kept():
    """Eager tasks in parallel threads can leave Celery's "inside a task" flag set; restore it."""
    with allow_join_result():
        yield


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None
    body: str


def session_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def send(server_url: str, method: str, path: str, session: str, data=None) -> Answer:
    address = urlsplit(server_url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    cookies = f"{django_settings.SESSION_COOKIE_NAME}={session}; "
    cookies += f"{django_settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
    headers = {
        "Cookie": cookies,
        "X-CSRFToken": CSRF_TOKEN,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    try:
        conn.request(method, path, body=urlencode(data or {}, doseq=True), headers=headers)
        response = conn.getresponse()
        return Answer(response.status, response.getheader("Retry-After"), response.read().decode())
    finally:
        conn.close()


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@contextmanager
def seminar_lock_held(seminar: Seminar) -> Iterator[threading.Event]:
    """Hold the seminar's row lock in a thread of its own until the returned event is set."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Seminar.objects.select_for_update().get(pk=seminar.pk)
                locked.set()
                release.wait(timeout=WAIT_SECONDS)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(hold)
        try:
            assert locked.wait(timeout=WAIT_SECONDS)
            yield release
        finally:
            release.set()
            holder.result()


def at_once(seminar: Seminar, requests: list) -> list[Answer]:
    """Run the request callables so that all of them reach the seminar's lock together."""
    with (
        seminar_lock_held(seminar) as release,
        ThreadPoolExecutor(max_workers=len(requests)) as pool,
    ):
        futures = [pool.submit(request) for request in requests]
        arrived = threading.Event()
        for _ in range(WAIT_SECONDS * 100):
            if waiting_for_locks() >= len(requests):
                arrived.set()
                break
            arrived.wait(0.01)
        release.set()
        answers = [future.result() for future in futures]
    assert arrived.is_set(), "the requests never waited for the seminar's lock"
    return answers


def preference_seminar():
    seminar = SeminarFactory(preferences_opened_at="2000-01-01T00:00Z")
    topics = TopicFactory.create_batch(6, seminar=seminar)
    return seminar, topics, RegistrationFactory(seminar=seminar)


def test_two_different_preference_submissions_at_once_leave_three(live_server):
    seminar, topics, participant = preference_seminar()
    session = session_of(participant.student)
    path = reverse("topics:preferences", args=[seminar.slug])
    first, second = [t.pk for t in topics[:3]], [t.pk for t in topics[3:]]

    answers = at_once(
        seminar,
        [
            lambda: send(live_server.url, "POST", path, session, {"topics": first}),
            lambda: send(live_server.url, "POST", path, session, {"topics": second}),
        ],
    )

    assert [a.status for a in answers] == [302, 302]
    stored = sorted(
        Preference.objects.filter(registration=participant).values_list("topic_id", flat=True)
    )
    assert stored in (first, second)
    assert ActivityEntry.objects.filter(action="preferences.set").count() == 2


def test_identical_preference_submissions_at_once_store_three_and_never_fail(live_server):
    seminar, topics, participant = preference_seminar()
    session = session_of(participant.student)
    path = reverse("topics:preferences", args=[seminar.slug])
    chosen = [t.pk for t in topics[:3]]

    answers = at_once(
        seminar,
        [lambda: send(live_server.url, "POST", path, session, {"topics": chosen})] * 3,
    )

    assert [a.status for a in answers] == [302, 302, 302]
    stored = Preference.objects.filter(registration=participant).values_list("topic_id", flat=True)
    assert sorted(stored) == chosen
    assert ActivityEntry.objects.filter(action="preferences.set").count() == 1


@pytest.fixture
def published():
    """Three students, each holding one of three topics, published; and their organizer."""
    seminar = SeminarFactory(capacity=5)
    session = MeetingFactory(seminar=seminar)
    topics = [TopicFactory(seminar=seminar, session=session, slot=n) for n in (1, 2, 3)]
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    for registration, topic in zip(registrations, topics, strict=True):
        Preference.objects.create(registration=registration, topic=topic)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    assert [run.assignments.get(registration=r).topic for r in registrations] == topics
    organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
    return seminar, run, topics, registrations, organizer


def test_two_hand_changes_to_the_same_full_topic_at_once_keep_one_student_each(
    live_server, published
):
    seminar, run, topics, registrations, organizer = published
    session = session_of(organizer)
    full = topics[2]
    paths = [
        reverse("topics:assignment_change", args=[seminar.slug, a.pk])
        for a in run.assignments.filter(registration__in=registrations[:2]).order_by("pk")
    ]

    answers = at_once(
        seminar,
        [
            lambda path=path: send(live_server.url, "POST", path, session, {"topic": full.pk})
            for path in paths
        ],
    )

    assert [a.status for a in answers] == [302, 302]
    holders = Counter(
        Assignment.objects.filter(
            run=run, registration__status=RegistrationStatus.CONFIRMED
        ).values_list("topic_id", flat=True)
    )
    assert holders == Counter({t.pk: 1 for t in topics})
    assert run.assignments.get(topic=full).registration in registrations[:2]
    assert ActivityEntry.objects.filter(action="assignment.changed").count() == 4  # two swaps


def test_two_late_joiners_choosing_the_last_free_topic_at_once_one_gets_it(live_server, published):
    seminar, run, topics, _, _ = published
    last = TopicFactory(seminar=seminar, title="Last free paper")
    late = [registration_create(seminar=seminar, student=UserFactory()) for _ in range(2)]
    path = reverse("topics:late_choice", args=[seminar.slug])
    sessions = [session_of(r.student) for r in late]

    answers = at_once(
        seminar,
        [lambda s=s: send(live_server.url, "POST", path, s, {"topic": last.pk}) for s in sessions],
    )

    assert sorted(a.status for a in answers) == [302, 409]
    refused = next(a for a in answers if a.status == 409)
    assert "“Last free paper” is no longer free; please choose another topic." in refused.body
    chosen = Assignment.objects.filter(run=run, topic=last)
    assert chosen.count() == 1
    assert chosen.get().reason == AssignmentReason.LATE_CHOICE


def test_preferences_while_the_seminar_is_locked_answer_503_and_store_nothing(
    live_server, settings
):
    settings.REGISTRATION_LOCK_TIMEOUT_SECONDS = 1
    seminar, topics, participant = preference_seminar()
    path = reverse("topics:preferences", args=[seminar.slug])
    with seminar_lock_held(seminar):
        answer = send(
            live_server.url,
            "POST",
            path,
            session_of(participant.student),
            {"topics": [t.pk for t in topics[:3]]},
        )
    assert (answer.status, answer.retry_after) == (503, "2")
    assert Busy().message in answer.body
    first = topics[0].pk
    assert f'value="{first}" id="topic-{first}" checked' in answer.body  # nothing ticked is lost
    assert Preference.objects.filter(registration=participant).count() == 0


def test_pages_while_the_seminar_is_locked_are_served_without_the_late_choice_step(
    live_server, settings, published
):
    settings.REGISTRATION_LOCK_TIMEOUT_SECONDS = 1
    seminar, run, _, registrations, organizer = published
    late = registration_create(seminar=seminar, student=UserFactory())
    Assignment.objects.filter(registration=late).update(choice_due_at="2000-01-01T00:00Z")
    pages = [
        (seminar.get_absolute_url(), registrations[0].student),
        (reverse("seminar:dashboard", args=[seminar.slug]), late.student),
        (reverse("seminar:organize", args=[seminar.slug]), organizer),
        (reverse("topics:allocation", args=[seminar.slug]), organizer),
    ]
    with seminar_lock_held(seminar):
        answers = [send(live_server.url, "GET", path, session_of(user)) for path, user in pages]
    assert [a.status for a in answers] == [200, 200, 200, 200]
    assert Assignment.objects.get(registration=late).reason == AssignmentReason.LATE_WAITING
    # The next read after the lock is free does it.
    send(live_server.url, "GET", seminar.get_absolute_url(), session_of(late.student))
    assert Assignment.objects.get(registration=late).reason == AssignmentReason.LATE_RANDOM
