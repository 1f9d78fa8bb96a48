"""A real SMTP server on a free local port that accepts, or fails on purpose."""

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

TEMPORARY_REPLY = "451 4.3.0 Mail server temporarily rejected message, try again later"
PERMANENT_REPLY = "550 5.1.1 Recipient address rejected: User unknown in local recipient table"


@dataclass
class SmtpHandler:
    """aiosmtpd handler: accepts, answers 451 to the next `temporary_failures` messages, and
    550 to recipients in `unknown`. `before_data`, if set, runs in a thread of its own when a
    message arrives, before it is answered."""

    received: list[EmailMessage] = field(default_factory=list)
    temporary_failures: int = 0
    unknown: set[str] = field(default_factory=set)
    before_data: Callable[[], None] | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.unknown:
            return PERMANENT_REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.before_data is not None:
            await asyncio.to_thread(self.before_data)  # a thread of its own: it may use the ORM
        if self.temporary_failures > 0:
            self.temporary_failures -= 1
            return TEMPORARY_REPLY
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_settings(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10


@pytest.fixture
def smtp(settings):
    """The site sends through SMTP to a local aiosmtpd server; yields its handler."""
    handler = SmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_settings(settings, port)
    yield handler
    controller.stop()
