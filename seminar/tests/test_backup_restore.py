"""The README's backup and restore, run for real: pg_dump of the database and a tar of the
uploaded files, restored into an empty database and an empty folder, where the site finds every
row of every table (seminars, people, registrations, topics, submissions, grades, e-mails, the
log) and every file with its recorded checksum."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.core import serializers
from django.db import connection
from django.utils import timezone
from psycopg2 import sql

from demo.loader import demo_load
from submissions.enums import DeliverableKind
from submissions.models import SubmissionFile
from submissions.services.uploads import submission_upload
from submissions.storage import submission_storage
from submissions.tests.factories import deliverable, pdf_upload, seminar_with_talks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def snapshot() -> dict:
    """Every row of every table, and every submitted file's checksum as read from storage."""
    tables = {
        model._meta.label: serializers.serialize("json", model._base_manager.order_by("pk"))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    storage = submission_storage()
    files = {}
    for file in SubmissionFile.objects.order_by("pk"):
        with storage.open(file.stored_name, "rb") as stored:
            files[file.stored_name] = hashlib.sha256(stored.read()).hexdigest()
    return {"tables": tables, "files": files}


def database_url(name: str) -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (
        f"postgres://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{name}"
    )


def run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}: {result.stderr}"


@pytest.fixture
def uploads_folder(settings, tmp_path) -> Path:
    """The submissions storage on local disk, as SUBMISSIONS_ROOT sets it."""
    location = tmp_path / "submissions"
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "submissions.storage.PrivateFileSystemStorage",
            "OPTIONS": {
                "location": location,
                "file_permissions_mode": 0o640,
                "directory_permissions_mode": 0o750,
            },
        },
    }
    return location


@pytest.fixture
def empty_database():
    """A new, empty database next to the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    config = connection.settings_dict
    params = {k.lower(): config[k] for k in ("USER", "PASSWORD", "HOST", "PORT") if config[k]}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield name
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        admin.close()


def test_restored_dump_and_files_hold_everything(uploads_folder, empty_database, tmp_path):
    # A term in progress: the demo seminars, and one where students handed in files, one of
    # them twice (both versions are kept).
    demo_load(today=timezone.localdate())
    demo_files = SubmissionFile.objects.count()  # the 2023 run's hand-ins
    seminar, registrations, _, _ = seminar_with_talks(3)
    slides = deliverable(seminar, DeliverableKind.SLIDE_DRAFT)
    for pages, registration in zip((3, 4, 5), registrations, strict=True):
        submission_upload(
            registration=registration, deliverable=slides, upload=pdf_upload(pages), by=None
        )
    submission_upload(
        registration=registrations[0], deliverable=slides, upload=pdf_upload(6), by=None
    )
    before = snapshot()

    # Back up, as the README says: the database first, then the files.
    dump, archive = tmp_path / "seminar.dump", tmp_path / "submissions.tar.gz"
    source = database_url(connection.settings_dict["NAME"])
    run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
    run("tar", "--create", "--gzip", f"--file={archive}", f"--directory={uploads_folder}", ".")

    # Restore into an empty database and an empty folder.
    restored_files = tmp_path / "restored" / "submissions"
    restored_files.mkdir(parents=True)
    target = database_url(empty_database)
    run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump))
    run("tar", "--extract", "--gzip", f"--file={archive}", f"--directory={restored_files}")

    # The site, started on what was restored, finds the same.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUBMISSIONS_")} | {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": target,
        "SUBMISSIONS_STORAGE": "filesystem",
        "SUBMISSIONS_ROOT": str(restored_files),
    }
    code = (
        "import django, json; django.setup(); "
        "from seminar.tests.test_backup_restore import snapshot; "
        "print(json.dumps(snapshot()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    after = json.loads(result.stdout)

    recorded = dict(SubmissionFile.objects.values_list("stored_name", "sha256"))
    assert (len(recorded), before["files"]) == (demo_files + 4, recorded)
    rows = {label: len(json.loads(rows)) for label, rows in before["tables"].items()}
    assert [rows[label] for label in ("seminar.Seminar", "submissions.SubmissionFile")] == [
        3,
        demo_files + 4,
    ]
    assert after == before
