"""A real Celery worker behind Redis builds a grade sheet from the PostgreSQL database: the
export's progress and file are on its row, where the organizer's page reads them."""

import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from config.celery import app as celery_app
from grading.enums import ExportStatus
from grading.models import GradeSheetExport
from grading.storage import grade_sheet_storage
from grading.tasks import grade_sheet_build
from grading.tests.factories import grade_completely, grading_world

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CELERY = Path(sys.executable).with_name("celery")


def test_a_real_worker_builds_the_grade_sheet(tmp_path, private_storage):
    world = grading_world(3, criteria=0)
    for registration in world.students:
        grade_completely(registration, by=world.organizer)
    export = GradeSheetExport.objects.create(seminar=world.seminar, students=3)
    queue = f"test-grades-{uuid.uuid4().hex}"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        # The test's own database and private folder, so the worker sees what the test made.
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "SUBMISSIONS_ROOT": str(private_storage),
    }
    command = [str(CELERY), "-A", "config", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    log = tmp_path / "worker.log"
    with log.open("wb") as log_file:
        worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        grade_sheet_build.apply_async(args=[export.pk], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if not export.is_pending:
                break
            time.sleep(0.2)
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        print(log.read_text())  # shown by pytest only if the test failed
        with redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]) as client:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    assert (export.status, export.progress, export.error) == (ExportStatus.DONE, 100, "")
    with grade_sheet_storage().open(export.file_name, "rb") as stored:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored.read())).pages)
    assert [r.student.full_name in text for r in world.students] == [True, True, True]
