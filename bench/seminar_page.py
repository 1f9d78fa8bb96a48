"""The public seminar page: SQL queries per request, and throughput next to a bare view."""

from typing import TYPE_CHECKING

from bench.harness import Report, Server, step, wrk

if TYPE_CHECKING:  # Django is imported only once the bench has configured it
    from django.test import Client

PAGE = "/deep-diffusion-2023/"  # the published demo seminar (seed_demo)
BARE = "/healthz/"  # no database, no template: the ceiling set by the stack itself


def queries(report: Report) -> None:
    """Count the queries of one anonymous GET, in process, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    step(f"counting the SQL queries of GET {PAGE}")
    client = Client(SERVER_NAME="127.0.0.1")  # a host in the bench's ALLOWED_HOSTS
    _get_ok(client)  # warm-up: first-use queries (content types...) are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        _get_ok(client)
    report.add("seminar_page_queries", len(captured.captured_queries), "queries")


def throughput(server: Server, report: Report) -> None:
    """wrk against the same gunicorn: the seminar page, then the bare view."""
    rates = {}
    errors = 0
    for name, path in (("seminar_page_rps", PAGE), ("bare_view_rps", BARE)):
        step(f"wrk {server.url}{path}")
        result = wrk(server.url + path)
        rates[name] = result.requests_per_second
        if result.non_2xx or result.socket_errors:
            report.problem(
                f"wrk {path}: {result.non_2xx} non-2xx/3xx responses and "
                f"{result.socket_errors} socket errors in {result.requests} requests"
            )
        errors += result.non_2xx + result.socket_errors
        report.add(name, round(result.requests_per_second, 1), "req/s")
    ratio = rates["seminar_page_rps"] / rates["bare_view_rps"]
    report.add("seminar_page_rps_ratio", round(ratio, 4), "ratio")
    report.add("wrk_errors", errors, "count")  # non-2xx/3xx and socket errors; must be 0


def _get_ok(client: "Client") -> None:
    response = client.get(PAGE)
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {PAGE} answered {response.status_code}")
