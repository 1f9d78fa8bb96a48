"""Queuing: one render helper, one row per event key, sent after commit, failed ones resent."""

import pytest
from django.core import mail as django_mail
from django.db import transaction

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.services.outbox import email_queue, email_render, email_resend
from mail.tests.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting_templates(settings, tmp_path):
    """A template set of our own, so that these tests need no other app's templates."""
    folder = tmp_path / "emails"
    folder.mkdir()
    plain = "{%% autoescape off %%}%s{%% endautoescape %%}"
    (folder / "greeting_subject.txt").write_text(plain % "Hello\n  {{ name }}\n")
    (folder / "greeting_body.txt").write_text(plain % "Hello {{ name }}: {{ site_url }}/x/")
    (folder / "greeting_body.html").write_text("<p>Hello {{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.SITE_URL = "https://seminar.example.org"


def queue(key: str = "event-1", **overrides):
    arguments = {
        "key": key,
        "to": "ada@example.org",
        "template": "greeting",
        "context": {"name": "Ada & Bob"},
        "subject_prefix": "[Tag]",
        "reply_to": "Contact <contact@example.org>",
    }
    return email_queue(**(arguments | overrides))


def test_email_render_one_line_subject_after_the_prefix(greeting_templates):
    rendered = email_render(
        template="greeting", context={"name": "Ada & Bob"}, subject_prefix="[Tag]"
    )
    assert (rendered.subject, rendered.text, rendered.html) == (
        "[Tag] Hello Ada & Bob",
        "Hello Ada & Bob: https://seminar.example.org/x/",
        "<p>Hello Ada &amp; Bob</p>",
    )


def test_email_queue_stores_once_per_key_and_sends_after_commit(
    greeting_templates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue()
        again = queue(context={"name": "Someone else"})
    assert (first is not None, again, len(callbacks)) == (True, None, 1)
    email = OutgoingEmail.objects.get()
    assert (email.key, email.kind, email.to, email.reply_to, email.seminar, email.status) == (
        "event-1",
        "greeting",
        "ada@example.org",
        "Contact <contact@example.org>",
        None,
        EmailStatus.SENT,
    )
    [message] = django_mail.outbox
    assert (message.subject, message.reply_to) == (
        "[Tag] Hello Ada & Bob",
        ["Contact <contact@example.org>"],
    )


def test_email_queue_rolled_back_leaves_nothing(greeting_templates):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        queue()
        raise Abort
    assert (OutgoingEmail.objects.count(), django_mail.outbox) == (0, [])


def test_email_resend_queues_a_failed_email_with_fresh_attempts(
    django_capture_on_commit_callbacks,
):
    email = OutgoingEmailFactory(status=EmailStatus.FAILED, attempts=6, last_error="550 no")
    with django_capture_on_commit_callbacks(execute=True):
        assert email_resend(email_id=email.pk) is True
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert len(django_mail.outbox) == 1


@pytest.mark.parametrize("status", [EmailStatus.QUEUED, EmailStatus.SENDING, EmailStatus.SENT])
def test_email_resend_leaves_other_emails_alone(status, django_capture_on_commit_callbacks):
    extra = {"sent_at": "2030-01-01T00:00Z"} if status == EmailStatus.SENT else {}
    email = OutgoingEmailFactory(status=status, attempts=2, **extra)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert email_resend(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts, callbacks) == (status, 2, [])
