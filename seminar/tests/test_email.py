"""A seminar's e-mail: tagged, answered to the seminar's contact, queued once, never lost."""

import pytest
from django.core import mail
from django.urls import reverse

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.services.delivery import emails_send_due
from seminar.models import Registration
from seminar.services.email import seminar_email_queue
from seminar.tests.factories import SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_seminar_email_is_tagged_answered_to_contact_and_queued_once():
    seminar = SeminarFactory(
        tag="DeepDiffusion", contact_name="Prof. Dr. Helena Brandt", contact_email="hb@example.org"
    )
    student = UserFactory()
    context = {"student": student, "registration": None}
    first = seminar_email_queue(
        seminar=seminar,
        key="k-1",
        to=student.email,
        template="registration_confirmed",
        context=context,
    )
    again = seminar_email_queue(
        seminar=seminar,
        key="k-1",
        to=student.email,
        template="registration_confirmed",
        context=context,
    )
    assert (first is not None, again) == (True, None)
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.seminar, email.status) == (
        "registration_confirmed",
        seminar,
        EmailStatus.SENT,
    )
    [message] = mail.outbox
    assert message.subject == "[DeepDiffusion] Your seat is confirmed"
    assert message.reply_to == ['"Prof. Dr. Helena Brandt" <hb@example.org>']
    assert message.alternatives[0][1] == "text/html"


def test_contact_name_with_a_comma_is_quoted_in_reply_to():
    seminar = SeminarFactory(contact_name="Brandt, Helena", contact_email="hb@example.org")
    client_user = UserFactory()
    seminar_email_queue(
        seminar=seminar,
        key="k-2",
        to=client_user.email,
        template="registration_withdrawn",
        context={"student": client_user},
    )
    assert mail.outbox[0].reply_to == ['"Brandt, Helena" <hb@example.org>']
    assert mail.outbox[0].message()["Reply-To"] == '"Brandt, Helena" <hb@example.org>'


def test_broker_down_keeps_registration_and_sweeper_sends_later(client, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("mail.tasks.email_send_task.delay", broker_down)
    seminar = SeminarFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("seminar:register", args=[seminar.slug]))
    assert response.status_code == 302
    assert Registration.objects.get().status == "confirmed"
    email = OutgoingEmail.objects.get()
    assert (mail.outbox, email.status, email.sent_at) == ([], EmailStatus.QUEUED, None)
    assert emails_send_due() == 1
    assert len(mail.outbox) == 1
    assert emails_send_due() == 0
