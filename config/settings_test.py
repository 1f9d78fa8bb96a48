"""The test suite's settings: the site's own, with a secret key when the environment has none.

Production settings refuse to start without SECRET_KEY unless DEBUG is on; the tests run with
DEBUG off, so they bring a key of their own. Nothing else differs.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")

from config.settings import *  # noqa: E402, F403
