"""A real Celery worker behind Redis: broker, routing and result backend work end to end."""

import os
import uuid

import pytest
import redis

from config.celery import app as celery_app
from seminar.tasks import ping
from seminar.tests import workers

pytestmark = pytest.mark.redis


def test_ping_sent_through_redis_is_answered_by_a_real_worker(tmp_path):
    # A queue of its own, so that no other worker on this Redis takes the message.
    queue = f"test-ping-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    worker = workers.worker_start(queue, log)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # the autouse fixture made every task run eagerly
    try:
        # The message waits in Redis until the worker has started; no need to poll for it.
        result = ping.apply_async(queue=queue)
        try:
            # Not inside a task: a "would block" flag leaked by eager tasks run in parallel
            # elsewhere in the session (see test_concurrency.py) must not refuse the wait.
            assert result.get(timeout=30, disable_sync_subtasks=False) == "pong"
        finally:
            result.forget()
    finally:
        celery_app.conf.task_always_eager = eager
        workers.worker_stop(worker)
        print(log.read_text())  # shown by pytest only if the test failed
        _forget_queue(queue)
    assert worker.returncode == 0  # a warm shutdown on SIGTERM, not a crash


def _forget_queue(queue: str) -> None:
    """Drop the queue (holding the message if the worker never took it) and kombu's routing."""
    with redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]) as client:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
