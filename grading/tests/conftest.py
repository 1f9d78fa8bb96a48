"""Every grading test keeps built grade sheets and handed-in files in a folder of its own."""

import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
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
