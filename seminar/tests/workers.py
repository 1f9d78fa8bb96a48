"""A real Celery worker for tests that send tasks through Redis: on the test database, on a
queue of its own (so that no other worker on this Redis takes its messages)."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

# The celery script of the environment that runs the tests (.venv/bin/celery).
CELERY = Path(sys.executable).with_name("celery")


def test_database_url() -> str:
    """The test database, which a worker must use."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_start(queue: str, log: Path, **variables: str) -> subprocess.Popen:
    """Start `celery worker` for `queue`, its output appended to `log`. `variables` are settings
    for the worker (e.g. EMAIL_URL); with a PostgreSQL test database it uses that database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CACHE_KEY_PREFIX": queue,
        "DEBUG": "false",
        **variables,
    }
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = test_database_url()
    command = [str(CELERY), "-A", "config", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO"]
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def worker_stop(worker: subprocess.Popen, *, wait: float = 20) -> None:
    """SIGTERM (a warm shutdown), then SIGKILL if it does not end in time."""
    worker.terminate()
    try:
        worker.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(condition, what: str, *, seconds: float = 90, step: float = 0.05) -> None:
    """Wait for an outcome, not a duration."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(step)
