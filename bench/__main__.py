"""`python -m bench` (or `make bench`): every figure, printed and written to var/bench/results.json.

SQLite and eager tasks by default; set DATABASE_URL / CELERY_BROKER_URL for PostgreSQL / Redis.
The exit status is 1 when a check failed (errors, oversold seats, a gap in the waiting list).
"""

import os
import sys
import time
from urllib.parse import urlsplit

from bench import dashboard, grade_pdf, harness, registration_burst, reminders, seminar_page, upload


def main() -> int:
    started = time.monotonic()
    bench = harness.bench_environment()
    print(f"database: {bench.database_label}")
    print(f"broker:   {_broker_label(bench.broker_url)}")
    # Figures move with whatever else runs on the machine: say how busy it was.
    print(f"machine:  {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    if bench.broker_url:
        harness.broker_check(bench.broker_url)
    report = harness.Report()

    harness.step("recreating the bench database, migrate, seed_demo --today")
    harness.database_reset(bench)
    harness.django_setup(bench)
    session_key = seminar_page.participant_session()
    seminar_page.queries(report, session_key)
    dashboard.queries(report, session_key)  # the same participant's /deep-diffusion-2023/me/

    harness.step(f"starting gunicorn ({harness.GUNICORN_WORKERS} sync workers)")
    with harness.gunicorn(bench) as server:
        seminar_page.throughput(server, report, session_key)
        dashboard.throughput(server, report, session_key)
        registration_burst.run(server, report)
        upload.run(server, report)

    harness.step("topic allocation (bench.allocation)")
    from bench import allocation  # imports scipy and networkx: only when needed

    report.figures.extend(allocation.run())

    grade_pdf.run(report)  # each rendering in a fresh process of its own

    reminders.run(bench, report)  # through Redis and one worker; skipped without Redis

    path = harness.results_write(report.figures)
    print()
    harness.table_print(report.figures)
    print(f"\nwritten to {path.relative_to(harness.ROOT)} in {time.monotonic() - started:.0f} s")
    for problem in report.problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


def _broker_label(url: str) -> str:
    if not url:
        return "none (Celery tasks run eagerly in the web process)"
    parts = urlsplit(url)
    if parts.password:  # never print a password
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return parts.geturl()


if __name__ == "__main__":
    sys.exit(main())
