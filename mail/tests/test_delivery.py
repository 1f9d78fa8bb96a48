"""Honest delivery against a real SMTP server: claim, send, and only then the sent mark."""

import datetime as dt

import pytest
import time_machine
from django.db import connection

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.services.delivery import (
    GAVE_UP_AFTER_DEAD_CLAIM,
    email_claim,
    email_send,
    emails_send_due,
    worker_id,
)
from mail.tests.conftest import PERMANENT_REPLY, TEMPORARY_REPLY, free_port, smtp_settings
from mail.tests.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)


def fresh(email: OutgoingEmail) -> OutgoingEmail:
    return OutgoingEmail.objects.get(pk=email.pk)


def test_accepted_email_is_sent_once_and_marked_after_smtp(smtp):
    with time_machine.travel(START, tick=False):
        email = OutgoingEmailFactory(to="ada@example.org")
        assert email_send(email_id=email.pk) is True
        assert email_send(email_id=email.pk) is False
        assert emails_send_due() == 0
    email = fresh(email)
    assert (email.status, email.sent_at, email.attempts, email.last_error) == (
        EmailStatus.SENT,
        START,
        1,
        "",
    )
    [message] = smtp.received
    assert (message["To"], message["Subject"], message["Reply-To"]) == (
        "ada@example.org",
        email.subject,
        "Contact Person <contact@example.org>",
    )
    assert message["Message-ID"] == f"<outbox.{email.pk}.{int(START.timestamp())}@example.org>"


def test_temporary_failure_is_retried_with_backoff_and_sent_once(smtp, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 120
    smtp.temporary_failures = 2
    with time_machine.travel(START, tick=False):
        email = OutgoingEmailFactory()
        assert email_send(email_id=email.pk) is False
    email = fresh(email)
    assert (email.status, email.attempts, email.last_error, email.next_attempt_at) == (
        EmailStatus.QUEUED,
        1,
        TEMPORARY_REPLY,
        START + dt.timedelta(minutes=2),
    )
    with time_machine.travel(START + dt.timedelta(seconds=119), tick=False):
        assert emails_send_due() == 0  # not due yet
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        assert emails_send_due() == 0  # the second try fails too: twice the wait
    assert fresh(email).next_attempt_at == START + dt.timedelta(minutes=2 + 4)
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        assert emails_send_due() == 1
    email = fresh(email)
    assert (email.status, email.attempts, email.sent_at) == (
        EmailStatus.SENT,
        3,
        START + dt.timedelta(minutes=6),
    )
    assert len(smtp.received) == 1


def test_permanent_rejection_fails_at_once_and_is_never_retried(smtp):
    smtp.unknown = {"gone@example.org"}
    with time_machine.travel(START, tick=False):
        email = OutgoingEmailFactory(to="gone@example.org")
        assert email_send(email_id=email.pk) is False
    with time_machine.travel(START + dt.timedelta(days=7), tick=False):
        assert emails_send_due() == 0
    email = fresh(email)
    assert (email.status, email.attempts, email.next_attempt_at, email.last_error) == (
        EmailStatus.FAILED,
        1,
        None,
        f"gone@example.org: {PERMANENT_REPLY}",
    )
    assert smtp.received == []


def test_temporary_failures_end_in_failed_after_the_last_attempt(smtp, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    smtp.temporary_failures = 99
    with time_machine.travel(START, tick=False):
        email = OutgoingEmailFactory()
        email_send(email_id=email.pk)
    for minutes in (1, 3):  # after 1 minute, then 2 more
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            assert emails_send_due() == 0
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        assert emails_send_due() == 0
    email = fresh(email)
    assert (email.status, email.attempts, email.next_attempt_at, email.last_error) == (
        EmailStatus.FAILED,
        3,
        None,
        TEMPORARY_REPLY,
    )
    assert smtp.temporary_failures == 96  # three conversations, no more


def test_refused_connection_is_a_temporary_failure(settings):
    smtp_settings(settings, free_port())  # nothing listens there
    email = OutgoingEmailFactory()
    assert email_send(email_id=email.pk) is False
    email = fresh(email)
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert email.last_error.startswith("ConnectionRefusedError: ")


def test_claim_of_a_dead_worker_is_taken_again_after_the_timeout_and_sent_once(smtp, settings):
    settings.EMAIL_CLAIM_TIMEOUT_SECONDS = 300
    with time_machine.travel(START, tick=False):
        email = OutgoingEmailFactory()
        # A worker claims the e-mail and dies before it talks to the SMTP server.
        assert email_claim(email_id=email.pk, worker="dead-host:4242") is not None
    assert (fresh(email).status, fresh(email).sent_at) == (EmailStatus.SENDING, None)
    with time_machine.travel(START + dt.timedelta(seconds=299), tick=False):
        assert email_send(email_id=email.pk) is False  # the claim still stands
        assert emails_send_due() == 0
    with time_machine.travel(START + dt.timedelta(seconds=300), tick=False):
        assert emails_send_due() == 1
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        assert emails_send_due() == 0
    email = fresh(email)
    assert (email.status, email.attempts, email.claimed_by) == (EmailStatus.SENT, 2, worker_id())
    assert len(smtp.received) == 1


def test_dead_worker_on_the_last_attempt_ends_failed_not_retried(smtp, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    with time_machine.travel(START, tick=False):
        email = OutgoingEmailFactory()
        email_claim(email_id=email.pk, worker="dead-host:4242")
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        assert emails_send_due() == 0
    email = fresh(email)
    assert (email.status, email.last_error) == (EmailStatus.FAILED, GAVE_UP_AFTER_DEAD_CLAIM)
    assert smtp.received == []


def test_queued_email_beyond_a_lowered_attempt_limit_ends_failed(smtp, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    email = OutgoingEmailFactory(attempts=3, last_error=TEMPORARY_REPLY)
    assert emails_send_due() == 0
    email = fresh(email)
    assert (email.status, email.next_attempt_at, email.last_error) == (
        EmailStatus.FAILED,
        None,
        TEMPORARY_REPLY,
    )
    assert smtp.received == []


@pytest.mark.django_db(transaction=True)
def test_sent_mark_is_written_only_after_smtp_accepted(smtp):
    email = OutgoingEmailFactory()
    seen_while_sending = []

    def look_at_the_row():  # runs in the SMTP server's thread, on its own connection
        seen_while_sending.append(
            OutgoingEmail.objects.values_list("status", "sent_at").get(pk=email.pk)
        )
        connection.close()

    smtp.before_data = look_at_the_row
    assert email_send(email_id=email.pk) is True
    assert seen_while_sending == [(EmailStatus.SENDING, None)]
    assert fresh(email).status == EmailStatus.SENT


def test_due_emails_go_out_oldest_first_and_only_when_due(smtp):
    with time_machine.travel(START, tick=False):
        later = OutgoingEmailFactory(next_attempt_at=START + dt.timedelta(minutes=5))
        first = OutgoingEmailFactory(next_attempt_at=START - dt.timedelta(minutes=2))
        second = OutgoingEmailFactory(next_attempt_at=START - dt.timedelta(minutes=1))
        OutgoingEmailFactory(status=EmailStatus.FAILED)
        assert emails_send_due() == 2
    assert [m["To"] for m in smtp.received] == [first.to, second.to]
    assert fresh(later).status == EmailStatus.QUEUED
