"""Only the claimer sends: racing senders, and a sender meeting an e-mail in mid-conversation."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.services.delivery import email_send, emails_send_due
from mail.tests.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10


@pytest.mark.postgres
def test_two_senders_racing_for_one_email_send_it_once(smtp):
    for _ in range(ROUNDS):
        smtp.received.clear()
        email = OutgoingEmailFactory()
        barrier = threading.Barrier(2, timeout=10)

        def sender(worker: str, email_id: int = email.pk, barrier=barrier) -> bool:
            try:
                barrier.wait()  # both claim at the same moment, each on its own connection
                return email_send(email_id=email_id, worker=worker)
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(sender, ["worker-a", "worker-b"]))
        assert sorted(results) == [False, True]
        assert len(smtp.received) == 1
        email = OutgoingEmail.objects.get(pk=email.pk)
        assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


def test_email_in_mid_conversation_is_not_taken_by_another_sender(smtp):
    email = OutgoingEmailFactory()
    meanwhile = []

    def other_senders_try():  # while worker-a's message is with the SMTP server
        meanwhile.append(email_send(email_id=email.pk, worker="worker-b"))
        meanwhile.append(emails_send_due())
        connection.close()

    smtp.before_data = other_senders_try
    assert email_send(email_id=email.pk, worker="worker-a") is True
    assert meanwhile == [False, 0]
    assert len(smtp.received) == 1
