"""The outbox: every e-mail is stored, sent once after commit, and caught up if enqueuing failed."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from seminar.models import OutgoingEmail, Registration
from seminar.services.email import email_queue, email_send, emails_send_pending
from seminar.tests.factories import SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_same_key_is_queued_and_sent_once():
    seminar = SeminarFactory(tag="DeepDiffusion")
    student = UserFactory()
    context = {"student": student, "registration": None}
    first = email_queue(
        key="k-1",
        to=student.email,
        template="registration_confirmed",
        seminar=seminar,
        context=context,
    )
    again = email_queue(
        key="k-1",
        to=student.email,
        template="registration_confirmed",
        seminar=seminar,
        context=context,
    )
    assert (first is not None, again) == (True, None)
    assert email_send(email_id=first.pk) is False  # sent already, right after commit
    assert [m.subject for m in mail.outbox] == ["[DeepDiffusion] Your seat is confirmed"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_broker_down_keeps_registration_and_sends_later(client, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("seminar.tasks.email_send_task.delay", broker_down)
    seminar = SeminarFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("seminar:register", args=[seminar.slug]))
    assert response.status_code == 302
    assert Registration.objects.get().status == "confirmed"
    assert (mail.outbox, OutgoingEmail.objects.get().sent_at) == ([], None)
    assert emails_send_pending(older_than=dt.timedelta(0)) == 1
    assert len(mail.outbox) == 1
    assert emails_send_pending(older_than=dt.timedelta(0)) == 0
