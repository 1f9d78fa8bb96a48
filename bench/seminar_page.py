"""The public seminar page: SQL queries per request, and throughput next to a bare view, for an
anonymous visitor (served whole from the cache) and for a signed-in participant (the cached
parts around their own registration box)."""

from typing import TYPE_CHECKING

from bench.harness import Report, Server, step, wrk

if TYPE_CHECKING:  # Django is imported only once the bench has configured it
    from django.test import Client

PAGE = "/deep-diffusion-2023/"  # the published demo seminar (seed_demo)
BARE = "/healthz/"  # no database, no template: the ceiling set by the stack itself
PARTICIPANT = "alex.kramer@example.org"  # a confirmed participant of that seminar (seed_demo)


def participant_session() -> str:
    """A logged-in session of the demo participant, as django.contrib.auth.login() stores it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connections

    from seminar.models import User

    student = User.objects.get(email=PARTICIPANT)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(student.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = student.get_session_auth_hash()
    session.save()
    connections.close_all()  # SQLite: hold no lock while gunicorn reads
    return session.session_key


def queries(report: Report, session_key: str) -> None:
    """Count the queries of one GET per kind of viewer, in process, after a warm-up request
    (which fills the cache and loads content types: not the page's steady cost)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for name, cookies in (
        ("seminar_page_queries", {}),
        ("seminar_page_signed_in_queries", {settings.SESSION_COOKIE_NAME: session_key}),
    ):
        step(f"counting the SQL queries of GET {PAGE} ({name})")
        client = Client(SERVER_NAME="127.0.0.1")  # a host in the bench's ALLOWED_HOSTS
        client.cookies.load(cookies)
        _get_ok(client)
        with CaptureQueriesContext(connection) as captured:
            _get_ok(client)
        report.add(name, len(captured.captured_queries), "queries")


def throughput(server: Server, report: Report, session_key: str) -> None:
    """wrk against the same gunicorn: the page anonymously, the bare view, the page signed in."""
    from django.conf import settings
    from django.utils.crypto import get_random_string

    # As a browser sends them: the session and the CSRF cookie it got with its first form.
    csrf = f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {csrf}"}
    rates = {}
    errors = 0
    for name, path, headers in (
        ("seminar_page_rps", PAGE, {}),
        ("bare_view_rps", BARE, {}),
        ("seminar_page_signed_in_rps", PAGE, cookie),
    ):
        step(f"wrk {server.url}{path}{' (signed in)' if headers else ''}")
        result = wrk(server.url + path, headers=headers)
        rates[name] = result.requests_per_second
        if result.non_2xx or result.socket_errors:
            report.problem(
                f"wrk {path}: {result.non_2xx} non-2xx/3xx responses and "
                f"{result.socket_errors} socket errors in {result.requests} requests"
            )
        errors += result.non_2xx + result.socket_errors
        report.add(name, round(result.requests_per_second, 1), "req/s")
    bare = rates["bare_view_rps"]
    report.add("seminar_page_rps_ratio", round(rates["seminar_page_rps"] / bare, 4), "ratio")
    signed_in = rates["seminar_page_signed_in_rps"] / bare
    report.add("seminar_page_signed_in_rps_ratio", round(signed_in, 4), "ratio")
    report.add("wrk_errors", errors, "count")  # non-2xx/3xx and socket errors; must be 0
    for name, target in (
        ("seminar_page_rps_ratio", 0.5),
        ("seminar_page_signed_in_rps_ratio", 0.2),
    ):
        value = next(f["value"] for f in report.figures if f["name"] == name)
        if value < target:
            print(f"  note: {name} {value} is below its target {target}", flush=True)


def _get_ok(client: "Client") -> None:
    response = client.get(PAGE)
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {PAGE} answered {response.status_code}")
