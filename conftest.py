"""Fixtures for every test: fast hashing, eager tasks, an empty cache, and skips for missing
services."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from config.celery import app as celery_app
from seminar.cache import local_forget

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns about a missing static folder; `make` creates it, a bare pytest here.
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    ):
        pytest.skip(
            "needs PostgreSQL: set DATABASE_URL=postgres://... (row locks, real concurrency)"
        )
    if item.get_closest_marker("redis") and not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")
    if item.get_closest_marker("browser"):
        if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
            pytest.skip("needs Chromium: apt-get install -y chromium")
        pytest.importorskip("playwright", reason="needs the playwright package")


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    """Cheap password hashing; tasks run in process unless a test starts a real worker; every
    test starts with an empty cache in this process's memory (no page of an earlier test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    local_forget()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Students' files (and grade sheets) on local disk under this test's temporary folder."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "submissions.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    settings.SUBMISSIONS_X_ACCEL_PREFIX = ""
    return location


@pytest.fixture
def redis_cache(settings):
    """The production cache backend on the test Redis, under a key prefix of this test's own,
    removed afterwards (for tests marked `redis`)."""
    import uuid

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "seminar.cache_backend.ReusingRedisCache",
            "LOCATION": os.environ["CELERY_BROKER_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    client = cache._cache.get_client(write=True)
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
