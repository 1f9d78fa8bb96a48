"""Which failures are retried, and when: pure functions, no database."""

import datetime as dt
import smtplib

import pytest

from mail.retry import Failure, failure_classify, retry_delay


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
            Failure(False, "451 4.3.0 Try again later"),
        ),
        (
            smtplib.SMTPSenderRefused(553, b"5.7.1 Sender address rejected", "s@example.org"),
            Failure(True, "553 5.7.1 Sender address rejected"),
        ),
        (
            smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 User unknown")}),
            Failure(True, "x@example.org: 550 5.1.1 User unknown"),
        ),
        (
            smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"4.2.0 Mailbox busy")}),
            Failure(False, "x@example.org: 450 4.2.0 Mailbox busy"),
        ),
        (
            smtplib.SMTPConnectError(421, b"4.3.2 Service not available"),
            Failure(False, "421 4.3.2 Service not available"),
        ),
        (
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            Failure(False, "SMTPServerDisconnected: Connection unexpectedly closed"),
        ),
        (
            ConnectionRefusedError(111, "Connection refused"),
            Failure(False, "ConnectionRefusedError: [Errno 111] Connection refused"),
        ),
        (
            ConnectionResetError(104, "Connection reset by peer"),
            Failure(False, "ConnectionResetError: [Errno 104] Connection reset by peer"),
        ),
        (TimeoutError("timed out"), Failure(False, "TimeoutError: timed out")),
    ],
)
def test_failure_classify_by_reply_code(error, expected):
    assert failure_classify(error) == expected


def test_failure_classify_keeps_a_multiline_reply_on_one_line():
    error = smtplib.SMTPDataError(554, b"5.7.1 Rejected\n5.7.1 see https://example.org/policy")
    assert failure_classify(error) == Failure(
        True, "554 5.7.1 Rejected 5.7.1 see https://example.org/policy"
    )


def test_retry_delay_doubles_after_each_attempt():
    delays = [retry_delay(attempts=n, base_seconds=120) for n in range(1, 6)]
    assert delays == [dt.timedelta(minutes=m) for m in (2, 4, 8, 16, 32)]
