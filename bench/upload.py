"""A 50 MB project archive through the real upload view, under the bench's gunicorn.

Measures the upload's wall time and how much the serving worker's memory grew. The upload
must stream to disk and never be read whole into memory: a growth of 20 MB or more fails.
"""

import http.client
import os
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.harness import BENCH_DIR, ROOT, Report, Server, step

SLUG = "bench-upload"
SIZE_MB = 50
MAX_GROWTH_MB = 20
ARCHIVE = BENCH_DIR / f"upload-{SIZE_MB}mb.zip"
BOUNDARY = "----bench-upload-boundary-7d1f0c"


def run(server: Server, report: Report) -> None:
    session_key, seminar_id = _setup()
    _archive_make()
    body = _Multipart(ARCHIVE)
    workers = sorted(server.worker_pids())
    before = {pid: _status(pid, "VmRSS") for pid in workers}
    peaks_reset = all(_peak_reset(pid) for pid in workers)
    sampler = _Sampler(workers)
    step(f"POST /{SLUG}/hand-in/project/ with a {SIZE_MB} MB .zip ({len(workers)} workers watched)")
    sampler.start()
    started = time.perf_counter()
    status, location = _post(server, session_key, body)
    seconds = time.perf_counter() - started
    sampler.stop()
    peaks = {pid: _status(pid, "VmHWM") for pid in workers} if peaks_reset else sampler.peaks
    growth_kb = max(peaks[pid] - before[pid] for pid in workers)
    growth_mb = round(growth_kb / 1024, 1)
    how = "peak RSS (VmHWM) after a reset" if peaks_reset else "RSS sampled every 5 ms"
    print(f"  worker memory: grew by at most {growth_mb} MB ({how})")
    expected = f"/{SLUG}/me/"
    if status != 302 or urlsplit(location).path != expected:
        report.problem(f"upload answered {status} {location} (expected 302 to {expected})")
    if growth_mb >= MAX_GROWTH_MB:
        report.problem(f"the upload grew a worker by {growth_mb} MB (limit {MAX_GROWTH_MB} MB)")
    report.add("upload_50mb_seconds", round(seconds, 2), "s")
    report.add("upload_50mb_rss_growth_mb", growth_mb, "MB")
    _stored_files_remove(seminar_id)


def _setup() -> tuple[str, int]:
    """A seminar whose project is due in two months and one participant; their session key."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import connections, transaction
    from django.utils import timezone

    from bench.registration_burst import _session_for
    from seminar.enums import DegreeLevel, MeetingKind, RegistrationStatus
    from seminar.models import Meeting, Registration, Seminar, User
    from seminar.services.setup import seminar_setup

    step(f"creating /{SLUG}/ with one participant")
    now = timezone.now()
    with transaction.atomic():
        seminar = Seminar.objects.create(
            title="Bench upload",
            slug=SLUG,
            tag="BenchUpload",
            contact_name="Bench",
            contact_email="bench@example.org",
            registration_opens_at=now - dt.timedelta(days=1),
        )
        seminar_setup(seminar=seminar)
        Meeting.objects.create(
            seminar=seminar,
            kind=MeetingKind.SESSION,
            start_time=dt.time(9, 30),
            room="Bench",
            date=timezone.localdate() + dt.timedelta(days=30),
        )
        student = User.objects.create(
            email="bench-uploader@example.org",
            full_name="Bench Uploader",
            matriculation_number="9900001",
            degree_level=DegreeLevel.MASTER,
            password=make_password(None),
        )
        Registration.objects.create(
            seminar=seminar,
            student=student,
            status=RegistrationStatus.CONFIRMED,
            joined_at=now,
            status_changed_at=now,
            confirmed_at=now,
        )
    key = _session_for(student)
    connections.close_all()  # SQLite: hold no lock while gunicorn writes
    return key, seminar.pk


def _archive_make() -> None:
    """A .zip of 50 MB of random bytes (stored, not compressed), made once and kept."""
    if ARCHIVE.exists() and ARCHIVE.stat().st_size > SIZE_MB * 1024 * 1024 - 4096:
        return
    step(f"writing {ARCHIVE.relative_to(ROOT)}")
    payload = SIZE_MB * 1024 * 1024 - 1024  # the archive's own headers fill the rest
    with zipfile.ZipFile(ARCHIVE, "w", zipfile.ZIP_STORED) as archive:
        with archive.open("project/data.bin", "w") as entry:
            for _ in range(payload // (1024 * 1024)):
                entry.write(os.urandom(1024 * 1024))
            entry.write(os.urandom(payload % (1024 * 1024)))
        archive.writestr("project/README.md", "Bench project.\n")


class _Multipart:
    """A multipart/form-data body read from disk in blocks, never held whole in memory."""

    def __init__(self, path: Path):
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="number"\r\n\r\n1\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(head) + path.stat().st_size + len(tail)
        self._parts = [head, path, tail]

    def blocks(self):
        for part in self._parts:
            if isinstance(part, Path):
                with part.open("rb") as file:
                    while block := file.read(256 * 1024):
                        yield block
            else:
                yield part


def _post(server: Server, session_key: str, body: _Multipart) -> tuple[int, str]:
    from django.conf import settings
    from django.utils.crypto import get_random_string

    token = get_random_string(32)  # CSRF: cookie and header carry the same secret
    cookies = f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={token}"
    headers = {
        "Cookie": cookies,
        "X-CSRFToken": token,
        "Origin": server.url,
        "Referer": f"{server.url}/{SLUG}/me/",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(body.length),
    }
    connection = http.client.HTTPConnection(server.host, server.port, timeout=120)
    try:
        connection.putrequest("POST", f"/{SLUG}/hand-in/project/")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for block in body.blocks():
            connection.send(block)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def _status(pid: int, field: str) -> int:
    """A memory figure of /proc/<pid>/status, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise SystemExit(f"bench: no {field} for process {pid}")


def _peak_reset(pid: int) -> bool:
    """Reset the process's peak RSS to its current RSS (Linux 4.0+); False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class _Sampler:
    """The highest RSS of each worker, sampled while the upload runs (when peaks cannot be
    reset)."""

    pids: list[int]

    def __post_init__(self):
        self.peaks = {pid: _status(pid, "VmRSS") for pid in self.pids}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(0.005):
            for pid in self.pids:
                self.peaks[pid] = max(self.peaks[pid], _status(pid, "VmRSS"))


def _stored_files_remove(seminar_id: int) -> None:
    """The bench's files go where the developer's would (var/private/): take them away."""
    from django.db import connections

    from submissions.models import SubmissionFile
    from submissions.storage import submission_storage

    storage = submission_storage()
    names = SubmissionFile.objects.filter(
        submission__deliverable__seminar_id=seminar_id
    ).values_list("stored_name", flat=True)
    for name in names:
        storage.delete(name)
    connections.close_all()
