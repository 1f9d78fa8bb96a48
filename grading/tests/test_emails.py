"""The grading e-mails, rendered through the services that send them: no missing variable, the
seminar's tag in the subject, its contact as Reply-To."""

import pytest

from grading.services import grades_release, grading_save
from grading.tests.factories import grade_completely, grading_world
from mail.models import OutgoingEmail
from mail.tests.templates import missing_variables, strict_templates, template_sets

pytestmark = pytest.mark.django_db


def test_every_grading_email_renders_completely(settings):
    strict_templates(settings)
    world = grading_world(2)
    complete, incomplete = world.students
    grade_completely(complete, by=world.organizer)
    grading_save(registration=complete, values={"project_result": "fail"}, by=world.organizer)
    grades_release(seminar=world.seminar, by=world.organizer)
    grading_save(
        registration=incomplete, values={"presentation": "2.0"}, by=world.organizer, reason="Late"
    )
    emails = OutgoingEmail.objects.filter(kind__startswith="grades_")
    assert sorted({e.kind for e in emails}) == sorted(template_sets("grades_"))
    assert [(e.kind, missing_variables(e.subject, e.body_text, e.body_html)) for e in emails] == [
        (e.kind, []) for e in emails
    ]
    for email in emails:
        assert email.subject.startswith(f"[{world.seminar.tag}] ")
        assert email.reply_to == "Contact Person <contact@example.org>"
    failed = emails.get(kind="grades_released", to=complete.student.email)
    assert "Not passed because of:\n  - failed project" in failed.body_text
    assert "<li>failed project</li>" in failed.body_html
