"""200 registrations from 50 concurrent clients through gunicorn, then a look at the database.

Measures the registration path under contention for the seminar's lock, and checks what the
lock promises: no seat sold twice, and a waiting list numbered 1..N without gaps.
"""

import datetime as dt
import http.client
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bench.harness import Report, Server, step

if TYPE_CHECKING:  # Django is imported only once the bench has configured it
    from seminar.models import User

SLUG = "bench-burst"
STUDENTS = 200
CLIENTS = 50
CAPACITY = 50


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None: the connection failed
    detail: str  # Location of a redirect, or the error
    seconds: float


def setup() -> list[str]:
    """Create the seminar and its students; return one logged-in session key per student."""
    from django.contrib.auth.hashers import make_password
    from django.db import connections, transaction
    from django.utils import timezone

    from seminar.enums import DegreeLevel, MeetingKind
    from seminar.models import Meeting, Seminar, User

    step(f"creating /{SLUG}/ (capacity {CAPACITY}, waiting list) and {STUDENTS} students")
    with transaction.atomic():
        seminar = Seminar.objects.create(
            title="Bench burst",
            slug=SLUG,
            tag="Bench",
            contact_name="Bench",
            contact_email="bench@example.org",
            capacity=CAPACITY,
            has_waiting_list=True,
            registration_opens_at=timezone.now() - dt.timedelta(days=1),
        )
        Meeting.objects.create(
            seminar=seminar,
            kind=MeetingKind.SESSION,
            start_time=dt.time(9, 30),
            room="Bench",
            date=timezone.localdate() + dt.timedelta(days=60),  # registrations stay changeable
        )
        students = User.objects.bulk_create(
            User(
                email=f"bench-student-{i:03d}@example.org",
                full_name=f"Bench Student {i:03d}",
                matriculation_number=f"{9000000 + i}",
                degree_level=DegreeLevel.MASTER,
                password=make_password(None),  # unusable: nobody logs in with a password
            )
            for i in range(STUDENTS)
        )
    keys = [_session_for(student) for student in students]
    connections.close_all()  # SQLite: hold no lock while gunicorn writes
    return keys


def _session_for(student: "User") -> str:
    """What django.contrib.auth.login() stores, without 200 password logins."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(student.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = student.get_session_auth_hash()
    session.save()
    return session.session_key


def fire(server: Server, session_keys: list[str]) -> tuple[list[Outcome], float]:
    """POST /<slug>/register/ once per session from CLIENTS threads; (outcomes, wall seconds)."""
    from django.conf import settings
    from django.utils.crypto import get_random_string

    session_cookie, csrf_cookie = settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME
    step(f"{len(session_keys)} POST /{SLUG}/register/ from {CLIENTS} client threads")
    requests = []
    for key in session_keys:
        token = get_random_string(32)  # CSRF: cookie and header must carry the same secret
        requests.append(
            {
                "Cookie": f"{session_cookie}={key}; {csrf_cookie}={token}",
                "X-CSRFToken": token,
                "Origin": server.url,
                "Referer": f"{server.url}/{SLUG}/",
                "Content-Type": "application/x-www-form-urlencoded",
            }
        )
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        outcomes = list(pool.map(lambda headers: _post(server, headers), requests))
    return outcomes, time.perf_counter() - start


def _post(server: Server, headers: dict[str, str]) -> Outcome:
    start = time.perf_counter()
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request("POST", f"/{SLUG}/register/", body=b"", headers=headers)
        response = connection.getresponse()
        response.read()
        return Outcome(response.status, response.getheader("Location", ""), _since(start))
    except (OSError, http.client.HTTPException) as error:
        return Outcome(None, repr(error), _since(start))
    finally:
        connection.close()


def _since(start: float) -> float:
    return time.perf_counter() - start


def run(server: Server, report: Report) -> None:
    outcomes, seconds = fire(server, setup())
    dashboard = f"/{SLUG}/me/"
    ok = [o for o in outcomes if o.status == 302 and urlsplit(o.detail).path == dashboard]
    failed = Counter(
        f"{o.status} {o.detail}" if o.status else o.detail for o in outcomes if o not in ok
    )
    for what, count in failed.most_common():
        report.problem(f"{count} x {what} (expected 302 to {dashboard})")
    milliseconds = sorted(o.seconds * 1000 for o in outcomes)
    report.add("registration_burst_rps", round(len(outcomes) / seconds, 1), "req/s")
    report.add("registration_burst_p50_ms", round(statistics.median(milliseconds), 1), "ms")
    p95 = statistics.quantiles(milliseconds, n=20, method="inclusive")[-1]
    report.add("registration_burst_p95_ms", round(p95, 1), "ms")
    report.add("registration_burst_errors", len(outcomes) - len(ok), "count")
    report.add("registration_burst_oversold", _database_check(report), "seats")


def _database_check(report: Report) -> int:
    """Print what the burst left in the database; return the seats held beyond capacity."""
    from django.db import connections

    from seminar.enums import RegistrationStatus as Status
    from seminar.models import Registration, Seminar

    seminar = Seminar.objects.get(slug=SLUG)
    registrations = Registration.objects.filter(seminar=seminar)
    counts = Counter(registrations.values_list("status", flat=True))
    held = counts[Status.CONFIRMED] + counts[Status.OFFERED]
    numbers = sorted(
        registrations.filter(status=Status.WAITING).values_list("queue_number", flat=True)
    )
    connections.close_all()
    print(
        f"  registrations: {counts[Status.CONFIRMED]} confirmed, {counts[Status.OFFERED]} offered,"
        f" {counts[Status.WAITING]} waiting; capacity {seminar.capacity}"
    )
    if numbers == list(range(1, len(numbers) + 1)):
        print(f"  waiting list: positions 1..{len(numbers)}, no gap, no duplicate")
    else:
        missing = sorted(set(range(1, len(numbers) + 1)) - set(numbers))
        duplicates = sorted(n for n, c in Counter(numbers).items() if c > 1)
        report.problem(f"waiting list numbers: missing {missing}, duplicated {duplicates}")
    if numbers and held < seminar.capacity:
        report.problem(f"{seminar.capacity - held} seats free while {len(numbers)} people wait")
    oversold = max(0, held - seminar.capacity)
    if oversold:
        report.problem(f"oversold: {held} seats held for a capacity of {seminar.capacity}")
    return oversold
