"""The student dashboard `/<slug>/me/` of a participant with uploads and released grades: SQL
queries per request, and throughput and latency with 50 concurrent clients next to `/healthz/`.

Run alone with `.venv/bin/python -m bench.dashboard` (builds the bench database first);
`queries(report, session_key)` and `throughput(server, report, session_key)` are what
`make bench` calls.
"""

import sys
import time
from typing import TYPE_CHECKING

from bench.harness import Report, Server, step, wrk

if TYPE_CHECKING:  # Django is imported only once the bench has configured it
    from django.test import Client

# The demo's 2023 seminar has hand-ins and released grades (demo/history.py); alex.kramer is a
# confirmed participant of it with a slide draft, three reports, a team project and a grade.
PAGE = "/deep-diffusion-2023/me/"
BARE = "/healthz/"
CONNECTIONS = 50
SECONDS = 10
# A slow answer is measured as slow (p95), not counted as an error: wrk gives up after 10 s.
TIMEOUT = 10
CPU_ROUNDS = 20
WARM_UP_ROUNDS = 5  # requests per connection before the measurement
RATIO_TARGET = 0.4
P95_TARGET_MS = 150.0


def queries(report: Report, session_key: str) -> None:
    """The SQL queries of one GET of the dashboard, after a warm-up request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    step(f"counting the SQL queries of GET {PAGE} (signed in), kept and rendered afresh")
    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies.load({settings.SESSION_COOKIE_NAME: session_key})
    _get_ok(client)  # hands out the CSRF cookie
    _get_ok(client)  # keeps the dashboard
    with CaptureQueriesContext(connection) as captured:
        _get_ok(client)
    report.add("dashboard_queries", len(captured.captured_queries), "queries")
    rendering = override_settings(DASHBOARD_CACHE=False)
    with rendering, CaptureQueriesContext(connection) as captured:
        _get_ok(client)
    report.add("dashboard_render_queries", len(captured.captured_queries), "queries")
    # CPU time per request in this process (the database's own work not included): what other
    # work on a shared machine hardly changes, unlike requests per second.
    step(f"CPU time of {CPU_ROUNDS} GETs of {PAGE} (kept, rendered) and of {BARE}, in process")
    bare = Client(SERVER_NAME="127.0.0.1")
    bare.get(BARE)

    def rendered() -> None:
        with rendering:
            _get_ok(client)

    for name, get in (
        ("dashboard_cpu_ms", lambda: _get_ok(client)),
        ("dashboard_render_cpu_ms", rendered),
        ("bare_cpu_ms", lambda: bare.get(BARE)),
    ):
        started = time.process_time()
        for _ in range(CPU_ROUNDS):
            get()
        report.add(name, round((time.process_time() - started) / CPU_ROUNDS * 1000, 2), "ms")


def throughput(server: Server, report: Report, session_key: str) -> None:
    """wrk -c50 --latency against the dashboard and against /healthz/, on the same gunicorn."""
    from django.conf import settings
    from django.utils.crypto import get_random_string

    csrf = f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {csrf}"}
    results = {}
    for name, path, headers in (("bare", BARE, {}), ("dashboard", PAGE, cookie)):
        step(f"wrk -c{CONNECTIONS} --latency {server.url}{path}")
        _warm_up(server.url + path, headers)
        results[name] = wrk(
            server.url + path,
            seconds=SECONDS,
            threads=2,
            connections=CONNECTIONS,
            headers=headers,
            latency=True,
            timeout=TIMEOUT,
            warm_up=False,
        )
        result = results[name]
        print(
            f"  {result.requests_per_second:.1f} req/s, p50 {result.p50_ms:.1f} ms, "
            f"p95 {result.p95_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
            f"{result.non_2xx} non-2xx/3xx, {result.socket_errors} socket errors",
            flush=True,
        )
    dashboard, bare = results["dashboard"], results["bare"]
    errors = dashboard.non_2xx + dashboard.socket_errors
    ratio = dashboard.requests_per_second / bare.requests_per_second
    report.add("dashboard_rps", round(dashboard.requests_per_second, 1), "req/s")
    report.add("dashboard_p50_ms", round(dashboard.p50_ms, 1), "ms")
    report.add("dashboard_p95_ms", round(dashboard.p95_ms, 1), "ms")
    report.add("dashboard_errors", errors, "count")
    report.add("dashboard_bare_rps", round(bare.requests_per_second, 1), "req/s")
    report.add("dashboard_bare_p95_ms", round(bare.p95_ms, 1), "ms")
    report.add("dashboard_rps_ratio", round(ratio, 4), "ratio")
    if errors or bare.non_2xx or bare.socket_errors:
        report.problem(
            f"wrk -c{CONNECTIONS} {PAGE}: {dashboard.non_2xx} non-2xx/3xx responses and "
            f"{dashboard.socket_errors} socket errors in {dashboard.requests} requests "
            f"({bare.non_2xx + bare.socket_errors} on {BARE})"
        )
    if ratio < RATIO_TARGET:
        print(f"  note: dashboard_rps_ratio {ratio:.3f} is below its target {RATIO_TARGET}")
    if dashboard.p95_ms >= P95_TARGET_MS:
        print(f"  note: dashboard_p95_ms {dashboard.p95_ms:.1f} is not below {P95_TARGET_MS}")


def _warm_up(url: str, headers: dict[str, str]) -> None:
    """Load templates and open connections in every worker: a few requests on 4 connections.

    Not wrk's own 2-second warm-up with 50 connections: gunicorn would still be answering the
    requests wrk left behind when the measurement starts, and count them against it."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def get(_: int) -> None:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(get, range(4 * WARM_UP_ROUNDS)))


def _get_ok(client: "Client") -> None:
    response = client.get(PAGE)
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {PAGE} answered {response.status_code}")


def main() -> int:
    from bench import harness, seminar_page

    bench = harness.bench_environment()
    print(f"database: {bench.database_label}")
    report = Report()
    harness.step("recreating the bench database, migrate, seed_demo --today")
    harness.database_reset(bench)
    harness.django_setup(bench)
    session_key = seminar_page.participant_session()
    queries(report, session_key)
    harness.step(f"starting gunicorn ({harness.GUNICORN_WORKERS} sync workers)")
    with harness.gunicorn(bench) as server:
        throughput(server, report, session_key)
    print()
    harness.table_print(report.figures)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
