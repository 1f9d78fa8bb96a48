"""With Redis stopped, or silent, every page serves, sessions keep working and the actions that
queue e-mail succeed; the e-mail goes out through Redis once it is back.

Each test runs a Redis of its own (redis-server on a free port) that it stops and starts; the
site's cache and the Celery broker point at it, as in production.
"""

import socket
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.utils import timezone

from config.celery import app as celery_app
from demo.loader import CURRENT_SLUG, demo_load
from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.tasks import emails_send_due_task
from seminar import cache_backend
from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar, User
from seminar.tests.factories import UserFactory
from seminar.tests.site_pages import site_visits

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, stopped and started at will."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.folder), "--dbfilename", "dump.rdb", "--save", ""]
            + ["--appendonly", "no", "--logfile", str(self.folder / "redis.log")],
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(200):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError((self.folder / "redis.log").read_text())

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop Redis; with keep_data it writes a snapshot that the next start loads (as a
        Redis with persistence does on restart)."""
        redis.Redis.from_url(self.url).shutdown(save=keep_data, nosave=not keep_data)
        self.process.wait(timeout=20)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.process.terminate()
        server.process.wait(timeout=20)


def cache_settings(url: str, *, retry_seconds: float = 0) -> dict:
    """The production cache (config/settings.py) at `url`. retry_seconds=0: every request
    tries Redis again, as one that comes after the pause would."""
    return {
        "default": {
            "BACKEND": "seminar.cache_backend.ReusingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "seminar",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry_seconds": retry_seconds,
            },
        }
    }


@contextmanager
def celery_broker(url: str):
    """Tasks go through the broker at `url` instead of running in process."""
    conf = celery_app.conf
    previous = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    _forget_connections()
    try:
        yield
    finally:
        _forget_connections()
        conf.broker_url, conf.task_always_eager = previous


def _forget_connections() -> None:
    """The app looks its connection pool up again by the broker URL. The pools themselves are
    shared (kombu keeps one per URL for the whole process), so none is closed here."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_worker():
    """A Celery worker in a thread of this process, on the app's broker."""

    def close_connections(**kwargs) -> None:
        connections.close_all()  # the worker thread's own, which nobody else would close

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(close_connections)


@pytest.fixture
def site_on(settings, redis_server):
    """The site's cache and broker on the test's Redis; forgets what the cache learnt."""
    settings.CACHES = cache_settings(redis_server.url)
    with celery_broker(redis_server.url):
        yield redis_server
    cache_backend.health_forget()


@pytest.fixture
def demo():
    demo_load(today=timezone.localdate())
    return Seminar.objects.get(slug=CURRENT_SLUG)


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def logged_in_through_the_form(email: str, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, response.content
    return client


def statuses(pages: dict[str, tuple[Client, str, int]]) -> dict[str, int]:
    return {
        name: client.get(path, follow=True).status_code for name, (client, path, _) in pages.items()
    }


def expected(pages: dict[str, tuple[Client, str, int]]) -> dict[str, int]:
    """What each page answers with Redis up (a redirect's target answers 200)."""
    return {name: 200 if status == 302 else status for name, (_, _, status) in pages.items()}


def every_page() -> dict[str, tuple[Client, str, int]]:
    """Every page of the site as each person sees it: the list the accessibility test walks."""
    pages = {}
    for visit in site_visits():
        client = Client()
        if visit.viewer is not None:
            client.force_login(visit.viewer)
        for path, status in visit.pages:
            pages[f"{visit.label}: {path}"] = (client, path, status)
    return pages


# --- pages ------------------------------------------------------------------------------------


def test_every_page_serves_with_redis_stopped(demo, site_on):
    pages = every_page()
    ok = expected(pages)
    assert statuses(pages) == ok  # Redis up: sessions and the seminar page are in it
    site_on.stop()
    assert statuses(pages) == ok  # on the pooled connections, which Redis closed
    assert statuses(pages) == ok  # on new connections, which are refused


def test_login_and_session_work_with_redis_stopped(demo, site_on):
    site_on.stop()
    student = UserFactory()
    client = logged_in_through_the_form(student.email, PASSWORD)
    response = client.get("/me/")
    assert (response.status_code, response.context["user"]) == (200, student)


def test_every_page_serves_while_redis_does_not_answer(demo, settings, silent_redis):
    settings.CACHES = cache_settings(silent_redis.url, retry_seconds=60)
    pages = every_page()
    with celery_broker(silent_redis.url):
        assert answered_within_the_request(lambda: statuses(pages)) == expected(pages)
    # Redis was asked once; then left alone, not asked again for every call.
    assert silent_redis.connections == 1
    cache_backend.health_forget()


# --- actions that queue e-mail ------------------------------------------------------------------


def test_register_and_withdraw_queue_email_with_redis_stopped_sent_when_back(demo, site_on):
    student = UserFactory()
    client = logged_in_through_the_form(student.email, PASSWORD)
    site_on.stop()

    registered = client.post(f"/{demo.slug}/register/")
    registration = Registration.objects.get(seminar=demo, student=student)
    status_after_registering = registration.status
    withdrawn = client.post(f"/{demo.slug}/withdraw/")
    registration.refresh_from_db()
    queued = OutgoingEmail.objects.filter(to=student.email).order_by("pk")

    assert [registered.status_code, withdrawn.status_code] == [302, 302]
    assert [status_after_registering, registration.status] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WITHDRAWN,
    ]
    assert list(queued.values_list("kind", "status")) == [
        ("registration_confirmed", EmailStatus.QUEUED),
        ("registration_withdrawn", EmailStatus.QUEUED),
    ]
    assert mail.outbox == []

    # Redis is back: beat's sweep goes through it to a worker, which sends both.
    site_on.start()
    with celery_worker():
        emails_send_due_task.delay()
        for _ in range(600):
            if set(queued.values_list("status", flat=True)) == {EmailStatus.SENT}:
                break
            time.sleep(0.05)
    assert list(queued.values_list("status", flat=True)) == [EmailStatus.SENT] * 2
    assert sorted(m.subject for m in mail.outbox) == [
        "[DeepDiffusion] You have withdrawn",
        "[DeepDiffusion] Your seat is confirmed",
    ]


def test_organizer_actions_queue_email_with_redis_stopped_sent_when_back(demo, site_on):
    """The organizer removes a participant and opens the preference form with Redis stopped:
    both succeed, their e-mails wait in the outbox and go out once Redis is back."""
    student = UserFactory()
    Registration.objects.create(
        seminar=demo,
        student=student,
        status=RegistrationStatus.CONFIRMED,
        joined_at=timezone.now(),
        status_changed_at=timezone.now(),
    )
    registration = Registration.objects.get(seminar=demo, student=student)
    organizer = Client()
    organizer.force_login(User.objects.get(email="helena.brandt@example.org"))
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    site_on.stop()

    removed = organizer.post(f"/{demo.slug}/organize/participants/{registration.pk}/remove/")
    opened = organizer.post(f"/{demo.slug}/organize/preferences/open/")
    registration.refresh_from_db()
    queued = OutgoingEmail.objects.exclude(pk__in=before)
    kinds = set(queued.values_list("kind", flat=True))

    assert [removed.status_code, opened.status_code, registration.status] == [
        302,
        302,
        RegistrationStatus.REMOVED,
    ]
    assert {"registration_removed", "topic_preferences_open"} <= kinds
    assert set(queued.values_list("status", flat=True)) == {EmailStatus.QUEUED}
    assert mail.outbox == []

    site_on.start()
    with celery_worker():
        emails_send_due_task.delay()
        for _ in range(600):
            if set(queued.values_list("status", flat=True)) == {EmailStatus.SENT}:
                break
            time.sleep(0.05)
    assert set(queued.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert len(mail.outbox) == queued.count()


def test_register_succeeds_while_redis_does_not_answer(demo, settings, silent_redis):
    settings.CACHES = cache_settings(silent_redis.url, retry_seconds=60)
    student = UserFactory()
    client = signed_in(student.email)
    with celery_broker(silent_redis.url):
        response = answered_within_the_request(lambda: client.post(f"/{demo.slug}/register/"))
    assert response.status_code == 302
    assert list(
        OutgoingEmail.objects.filter(to=student.email).values_list("status", flat=True)
    ) == [EmailStatus.QUEUED]
    cache_backend.health_forget()


# --- what did not reach Redis does not come back with it ----------------------------------------


def test_logout_while_redis_is_down_stays_logged_out_when_redis_returns(demo, site_on):
    student = UserFactory()
    client = logged_in_through_the_form(student.email, PASSWORD)
    assert client.get("/me/").context["user"] == student
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    session_key = f"seminar:1:django.contrib.sessions.cached_db{cookie}"

    site_on.stop(keep_data=True)  # the session is in the snapshot
    assert client.post("/accounts/logout/").status_code == 302
    site_on.start()
    assert site_on.client().exists(session_key) == 1  # back with Redis, outdated

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get("/me/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/me/")
    assert site_on.client().exists(session_key) == 0


def test_change_while_redis_is_down_shows_when_redis_returns(demo, site_on):
    visitor = Client()
    assert "Deep Generative Diffusion Models" in visitor.get(f"/{demo.slug}/").text
    site_on.stop(keep_data=True)  # the page and its version are in the snapshot
    demo.title = "Score-based Generative Models"
    demo.save()
    site_on.start()
    assert "Score-based Generative Models" in visitor.get(f"/{demo.slug}/").text


# --- a Redis that accepts connections and never answers -------------------------------------------


class SilentRedis:
    """A port that accepts connections and never answers: a hung Redis, or a dead route."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.accepted.append(connection)

    @property
    def connections(self) -> int:
        return len(self.accepted)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def silent_redis():
    server = SilentRedis()
    yield server
    server.close()


def answered_within_the_request(call: Callable):
    """`call()`'s result; fails instead of hanging when it does not return (a generous bound,
    no speed target: without timeouts it would wait for ever)."""
    result = {}

    def run() -> None:
        try:
            result["value"] = call()
        finally:
            connections.close_all()  # this thread's own

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the request hung"
    return result["value"]


# --- the cache backend itself ---------------------------------------------------------------------


def test_clearing_the_cache_leaves_the_brokers_keys(settings, redis_server):
    settings.CACHES = cache_settings(redis_server.url)
    redis_server.client().lpush("celery", b"a queued task")
    cache.set("seminar-page-version:x", "v1")
    cache.clear()
    assert sorted(redis_server.client().keys("*")) == [b"celery"]


def test_too_many_lost_writes_delete_every_key_of_the_site_when_back(
    settings, redis_server, monkeypatch
):
    monkeypatch.setattr(cache_backend, "UNSYNCED_MAX", 2)
    settings.CACHES = cache_settings(redis_server.url)
    cache.set_many({"a": 1, "b": 2, "kept-by-nobody": 3})
    redis_server.client().lpush("celery", b"a queued task")
    redis_server.stop(keep_data=True)
    cache.delete_many(["a", "b", "c"])  # three lost deletes: more than it remembers one by one
    redis_server.start()
    assert cache.get("a") is None
    assert sorted(redis_server.client().keys("*")) == [b"celery"]
    cache_backend.health_forget()
