"""Growing past one machine: two web instances and two Celery workers share PostgreSQL, Redis
and an S3-compatible bucket, and nothing else (no local disk, no process memory in common).

Two gunicorns on different ports and two workers run as the production settings make them
(config.settings from environment variables) against the test database, one Redis (a queue and
a cache key prefix of this run's own) and moto's S3 server. Each web instance gets a folder of
its own as SUBMISSIONS_ROOT, which must stay empty: the students' files live in the bucket.
"""

import datetime as dt
import email
import email.policy
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import boto3
import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from config.celery import app as celery_app
from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from reminders.enums import ReminderKind
from reminders.models import ReminderRule
from reminders.tasks import reminders_scan_task
from reminders.tests.factories import rule_of
from seminar.enums import RegistrationStatus
from seminar.models import Registration
from seminar.selectors import with_waiting_position
from seminar.tests.factories import RegistrationFactory, SeminarFactory, UserFactory
from submissions.models import SubmissionFile
from submissions.tests.factories import pdf_bytes, seminar_with_talks

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent
CAPACITY = 5
STUDENTS = 30
REMINDED = 24
SCANS = 6
BUCKET = "seminar-multi-host"
CSRF_TOKEN = "multiHostCsrfToken0123456789abcd"  # 32 letters and digits, as Django makes them
WAIT = 120  # seconds for anything to happen; the test waits for outcomes, not durations


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT} s for {what}")
        time.sleep(0.1)


def database_url() -> str:
    db = settings.DATABASES["default"]  # the test database, which every process must use
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Site:
    """The processes of one deployment: web instances and workers, and what they share."""

    def __init__(self, folder: Path, moto_url: str):
        self.folder = folder
        self.run = uuid.uuid4().hex[:12]
        self.queue = f"test-multi-host-{self.run}"
        self.mail_dir = folder / "mail"  # the workers' file e-mail backend
        self.mail_dir.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "AWS_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions this test makes
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
            "CACHE_URL": "",  # the broker's Redis: the cache and sessions every process shares
            "CACHE_KEY_PREFIX": f"multi-host-{self.run}",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "SUBMISSIONS_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": moto_url,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            # An absolute path needs a fourth slash (django-environ drops the first one).
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "REGISTRATION_LOCK_TIMEOUT_SECONDS": "60",  # outcomes, not the lock's patience
            "REMINDERS_SCAN_ON_READ": "false",
            "PYTHONUNBUFFERED": "1",
        }
        self.processes: list[subprocess.Popen] = []
        self.web: list[str] = []  # base URLs
        self.roots: list[Path] = []  # each web instance's own SUBMISSIONS_ROOT
        self.worker_logs: list[Path] = []

    def start_web(self, name: str) -> str:
        port = free_port()
        root = self.folder / f"{name}-disk"
        root.mkdir()
        self.roots.append(root)
        log = self.folder / f"{name}.log"
        env = self.env | {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "SUBMISSIONS_ROOT": str(root),
        }
        self._start([str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"], env, log)
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: self._answers(base, log), f"{name} to answer /healthz/")
        self.web.append(base)
        return base

    def start_worker(self, name: str) -> None:
        log = self.folder / f"{name}.log"
        self.worker_logs.append(log)
        command = [str(BIN / "celery"), "-A", "config", "worker", "--pool=solo", "-Q", self.queue]
        command += ["-n", f"{name}-{self.run}@%h", "--without-heartbeat", "--without-gossip"]
        command += ["--without-mingle", "-l", "INFO"]
        env = self.env | {"SUBMISSIONS_ROOT": str(self.folder / f"{name}-disk")}
        self._start(command, env, log)
        wait_for(lambda: "ready." in log.read_text(), f"{name} to be ready")

    def _start(self, command: list[str], env: dict[str, str], log: Path) -> None:
        with log.open("wb") as out:
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def _answers(self, base: str, log: Path) -> bool:
        if self.processes[-1].poll() is not None:
            raise AssertionError(f"exited:\n{log.read_text()}")
        try:
            return request(base, "GET", "/healthz/")[0] == 200
        except OSError:
            return False

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # gunicorn: master and workers
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]) as client:
            client.delete(
                self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}"
            )
            for key in client.scan_iter(f"*multi-host-{self.run}*"):
                client.delete(key)

    def emails(self) -> list[email.message.Message]:
        """Every message the workers' file backends wrote."""
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            for part in path.read_text().split("\n" + "-" * 79 + "\n"):
                if part.strip():
                    messages.append(email.message_from_string(part, policy=email.policy.default))
        return messages


def request(base: str, method: str, path: str, *, session: str = "", body=b"", headers=None):
    """(status, headers, body) of one request."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
    all_headers = dict(headers or {})
    if session:
        cookies = (
            f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
        )
        all_headers |= {"Cookie": cookies, "X-CSRFToken": CSRF_TOKEN}
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def multipart(fields: dict[str, str], file: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = "----seminar-multi-host-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    name, filename, data = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def bucket():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    try:
        yield url, client
    finally:
        client.close()
        server.stop()


@pytest.fixture
def site(tmp_path, bucket):
    moto_url, _ = bucket
    site = Site(tmp_path, moto_url)
    eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False  # through Redis to the workers
    celery_app.conf.task_default_queue = site.queue
    try:
        site.start_web("web-a")
        site.start_web("web-b")
        site.start_worker("worker-1")
        site.start_worker("worker-2")
        yield site
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        site.stop()


def test_two_web_instances_and_two_workers_share_only_database_redis_and_bucket(site, bucket):
    _, s3 = bucket
    a, b = site.web

    # --- A session made on one instance is good on the other ------------------------------
    # Hashed as production does (the tests' own hasher is not one the site knows).
    hasher = PBKDF2PasswordHasher()
    user = UserFactory()
    user.password = hasher.encode("multi-host-password", hasher.salt())
    user.save(update_fields=["password"])
    status, headers, _ = request(a, "GET", "/accounts/login/")
    csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    body = urlencode(
        {"username": user.email, "password": "multi-host-password", "csrfmiddlewaretoken": csrf}
    )
    status, headers, _ = request(
        a,
        "POST",
        "/accounts/login/",
        body=body.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
        },
    )
    assert status == 302
    cookies = "\n".join(headers.get_all("Set-Cookie"))
    session = re.search(rf"{settings.SESSION_COOKIE_NAME}=([^;]+)", cookies).group(1)
    assert request(b, "GET", "/me/", session=session)[0] == 200
    assert request(b, "GET", "/me/")[0] == 302  # to the login: B does not just let anyone in

    # --- A registration burst spread across both instances oversells nothing ---------------
    seminar = SeminarFactory(capacity=CAPACITY)
    students = UserFactory.create_batch(STUDENTS)
    sessions = [session_of(student) for student in students]
    page = f"/{seminar.slug}/"
    assert b"register" in request(a, "GET", page, session=sessions[0])[2].lower()
    barrier = threading.Barrier(STUDENTS, timeout=WAIT)

    def register(index: int):
        barrier.wait()
        base = site.web[index % 2]  # alternating between the two instances
        status, headers, _ = request(
            base,
            "POST",
            f"/{seminar.slug}/register/",
            session=sessions[index],
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status, headers.get("Location")

    with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
        answers = list(pool.map(register, range(STUDENTS)))
    assert answers == [(302, f"/{seminar.slug}/me/")] * STUDENTS
    registrations = Registration.objects.filter(seminar=seminar)
    assert Counter(registrations.values_list("status", flat=True)) == {
        RegistrationStatus.CONFIRMED: CAPACITY,
        RegistrationStatus.WAITING: STUDENTS - CAPACITY,
    }
    waiting = with_waiting_position(registrations.filter(status=RegistrationStatus.WAITING))
    assert sorted(waiting.values_list("position", flat=True)) == list(
        range(1, STUDENTS - CAPACITY + 1)
    )
    assert sorted(waiting.values_list("queue_number", flat=True)) == list(
        range(1, STUDENTS - CAPACITY + 1)
    )
    # Both instances tell the last in line their position.
    last = waiting.order_by("-position").first()
    session = sessions[[student.pk for student in students].index(last.student_id)]
    for base in site.web:
        dashboard = request(base, "GET", f"/{seminar.slug}/me/", session=session)[2].decode()
        assert f"position <strong>{STUDENTS - CAPACITY}</strong>" in dashboard

    # --- Reminders spread across both workers are sent once -------------------------------
    ReminderRule.objects.update(enabled=False)
    now = timezone.now()
    reminded_seminar = SeminarFactory(
        tag="MultiHost",
        capacity=REMINDED,
        preference_deadline=now + dt.timedelta(hours=30),
        preferences_opened_at=now - dt.timedelta(days=1),
    )
    ReminderRule.objects.filter(seminar=reminded_seminar).update(enabled=False)
    rule = rule_of(reminded_seminar, ReminderKind.PREFERENCES, hours=48)
    rule.enabled = True
    rule.save()
    participants = RegistrationFactory.create_batch(REMINDED, seminar=reminded_seminar)
    for _ in range(SCANS):  # as if several beats (or a retried task) sent it again
        reminders_scan_task.apply_async()
    reminder_rows = OutgoingEmail.objects.filter(
        seminar=reminded_seminar, kind__startswith="reminder_"
    )

    def all_sent() -> bool:
        return reminder_rows.filter(status=EmailStatus.SENT).count() >= REMINDED

    wait_for(all_sent, f"{REMINDED} reminders sent")
    time.sleep(3)  # anything sent twice would be written now
    assert reminder_rows.count() == REMINDED
    assert Counter(reminder_rows.values_list("status", flat=True)) == {EmailStatus.SENT: REMINDED}
    written = Counter(
        address.addr_spec
        for message in site.emails()
        if message["Subject"].startswith(reminded_seminar.subject_prefix)
        for address in message["To"].addresses
    )
    assert written == {p.student.email: 1 for p in participants}
    for log in site.worker_logs:  # both workers took part
        assert re.search(r"Task \S+ received", log.read_text()), log.name

    # --- An upload through A is downloadable through B (the bucket, no shared disk) -------
    talk_seminar, (owner, _), _, _ = seminar_with_talks(2)
    owner_session = session_of(owner.student)
    data = pdf_bytes(3)
    body, content_type = multipart({"number": "1"}, ("file", "Entwurf für die Folien.pdf", data))
    status, headers, _ = request(
        a,
        "POST",
        reverse("submissions:hand_in", args=[talk_seminar.slug, "slide_draft"]),
        session=owner_session,
        body=body,
        headers={"Content-Type": content_type},
    )
    assert (status, headers["Location"]) == (302, f"/{talk_seminar.slug}/me/#submissions")
    file = SubmissionFile.objects.get(submission__registration=owner)
    download = reverse("submissions:download", args=[talk_seminar.slug, file.pk])
    status, headers, received = request(b, "GET", download, session=owner_session)
    assert (status, received) == (200, data)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"submissions/{file.stored_name}"]
    assert [list(root.rglob("*")) for root in site.roots] == [[], []]  # nothing on local disk
