"""The topic e-mails render with the data the services pass: no template lacks a variable."""

import pytest

from mail.models import OutgoingEmail
from mail.tests.templates import missing_variables, strict_templates, template_sets
from seminar.enums import StaffKind
from seminar.services.registration import registration_create
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    StaffRoleFactory,
    UserFactory,
)
from topics import services
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out after real commits


def test_every_topic_email_renders_with_all_its_data(settings):
    strict_templates(settings)
    session = MeetingFactory()
    seminar = session.seminar
    supervisor = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
    first, second = (
        TopicFactory(seminar=seminar, session=session, slot=slot, supervisor=supervisor)
        for slot in (1, 2)
    )
    RegistrationFactory.create_batch(2, seminar=seminar)
    services.preferences_open(seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    services.assignment_change(assignment=run.assignments.get(topic=first), topic=second)
    TopicFactory(seminar=seminar, session=session, slot=3, supervisor=supervisor)
    registration_create(seminar=seminar, student=UserFactory())  # a late joiner chooses

    emails = list(OutgoingEmail.objects.filter(kind__startswith="topic_"))
    assert {e.kind for e in emails} == template_sets("topic_")
    for email in emails:
        assert missing_variables(email.subject, email.body_text, email.body_html) == [], email.kind
    assert {e.reply_to for e in emails} == {"Contact Person <contact@example.org>"}
