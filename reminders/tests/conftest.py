"""The mail app's local SMTP server fixture, for the tests that count what arrives."""

from mail.tests.conftest import smtp  # noqa: F401
