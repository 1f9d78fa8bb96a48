"""Private files through Django's storage API: local disk by default, S3 by configuration alone.

The S3 path runs against moto's S3-compatible server, started here in a thread: an upload, a
download through the view, and refused files leave the bucket as they should.
"""

import runpy
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from moto.server import ThreadedMotoServer

from submissions.enums import DeliverableKind
from submissions.models import SubmissionFile
from submissions.services import uploads
from submissions.tests.factories import (
    deliverable,
    pdf_bytes,
    pdf_upload,
    seminar_with_talks,
    upload,
)

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"
BUCKET = "seminar-submissions"


def settings_with(monkeypatch, **variables) -> dict:
    """The settings module as it comes out with these environment variables."""
    for name in ("SUBMISSIONS_STORAGE", "SUBMISSIONS_ROOT", "AWS_STORAGE_BUCKET_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_files_are_on_local_disk_under_var_private_by_default(monkeypatch):
    values = settings_with(monkeypatch)
    storage = values["STORAGES"]["submissions"]
    location = Path(storage["OPTIONS"]["location"])
    assert storage["BACKEND"] == "submissions.storage.PrivateFileSystemStorage"
    assert location == Path(values["BASE_DIR"]) / "var" / "private" / "submissions"
    assert not location.is_relative_to(Path(values["MEDIA_ROOT"]))


def test_s3_is_switched_on_by_environment_variables(monkeypatch):
    values = settings_with(
        monkeypatch,
        SUBMISSIONS_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    storage = values["STORAGES"]["submissions"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {k: storage["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "location")} == {
        "bucket_name": BUCKET,
        "endpoint_url": "https://s3.example.org",
        "location": "submissions",
    }


def test_unknown_storage_is_refused_at_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SUBMISSIONS_STORAGE must be"):
        settings_with(monkeypatch, SUBMISSIONS_STORAGE="ftp")


@pytest.fixture(scope="module")
def moto_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(moto_url, monkeypatch, settings):
    """A fresh bucket, and the submissions storage configured for it by variables only."""
    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    values = settings_with(
        monkeypatch,
        SUBMISSIONS_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=moto_url,
        AWS_S3_REGION_NAME="us-east-1",
        **credentials,
    )
    settings.STORAGES = {**settings.STORAGES, "submissions": values["STORAGES"]["submissions"]}
    client = boto3.client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    client.close()


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_s3_upload_download_and_refusals_leave_the_bucket_as_they_should(client, bucket):
    seminar, (registration, _), _, _ = seminar_with_talks(2)
    client.force_login(registration.student)
    url = reverse("submissions:hand_in", args=[seminar.slug, "slide_draft"])

    response = client.post(url, {"number": 1, "file": pdf_upload(3, "slides.pdf")})

    assert response.status_code == 302
    file = SubmissionFile.objects.get()
    assert keys(bucket) == [f"submissions/{file.stored_name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"submissions/{file.stored_name}")
    assert stored["Body"].read() == pdf_bytes(3)

    download = client.get(reverse("submissions:download", args=[seminar.slug, file.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="slides.pdf"')
    assert b"".join(download.streaming_content) == pdf_bytes(3)

    refused = client.post(url, {"number": 1, "file": upload(b"<html>no</html>", "evil.pdf")})
    assert refused.status_code == 400
    assert SubmissionFile.objects.count() == 1
    assert keys(bucket) == [f"submissions/{file.stored_name}"]

    client.logout()
    response = client.get(reverse("submissions:download", args=[seminar.slug, file.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_s3_object_is_removed_when_recording_the_upload_fails(bucket, monkeypatch):
    seminar, (registration, _), _, _ = seminar_with_talks(2)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(uploads, "_version_add", broken)
    with pytest.raises(RuntimeError):
        uploads.submission_upload(
            registration=registration,
            deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
            upload=pdf_upload(3),
            by=None,
        )
    assert keys(bucket) == []
