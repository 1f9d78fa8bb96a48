"""Every reminder e-mail, rendered by the scan with the data it passes: no template lacks a
variable, the subject starts with the seminar's tag, answers go to the seminar's contact, the
deadline is the student's own and the links use SITE_URL."""

import datetime as dt

import pytest

from mail.tests.templates import missing_variables, strict_templates, template_sets
from reminders.enums import ReminderKind
from reminders.tests.factories import (
    PREFERENCES_DUE,
    START,
    deliverable_deadline,
    deliverable_world,
    late_choice_world,
    offer_world,
    preferences_world,
    reminder_emails,
    scan,
)
from submissions.enums import DeliverableKind
from topics.models import Assignment

pytestmark = pytest.mark.django_db

SITE_URL = "https://seminar.example.org"


@pytest.fixture(autouse=True)
def _strict_templates_and_site_url(settings):
    strict_templates(settings)
    settings.SITE_URL = SITE_URL


def one_of_each_kind() -> dict[str, tuple]:
    """kind -> (seminar, the student reminded): a seminar per kind, with only that kind's
    rules on, scanned shortly before the deadline."""
    worlds = {kind: deliverable_world(kind) for kind in DeliverableKind.values}
    worlds[ReminderKind.PREFERENCES] = preferences_world()
    worlds[ReminderKind.LATE_TOPIC_CHOICE] = late_choice_world()
    worlds[ReminderKind.OFFER] = offer_world()
    deadlines = {
        kind: deliverable_deadline(worlds[kind][1]["missing"], kind)
        for kind in DeliverableKind.values
    }
    deadlines[ReminderKind.PREFERENCES] = PREFERENCES_DUE
    choosing = worlds[ReminderKind.LATE_TOPIC_CHOICE][1]["choosing"]
    deadlines[ReminderKind.LATE_TOPIC_CHOICE] = Assignment.objects.get(
        registration=choosing
    ).choice_due_at
    deadlines[ReminderKind.OFFER] = START + dt.timedelta(hours=48)
    reminded = {}
    for kind, (seminar, people) in worlds.items():
        seminar.reminder_rules.exclude(kind=kind).update(enabled=False)
        scan(deadlines[kind] - dt.timedelta(hours=1), seminar=seminar)
        student = people.get("missing") or people.get("choosing") or people["holder"]
        reminded[kind] = (seminar, student)
    return reminded


def test_every_reminder_renders_with_all_its_data():
    reminded = one_of_each_kind()
    emails = list(reminder_emails())
    assert sorted(e.kind for e in emails) == sorted(template_sets("reminder_"))
    for email in emails:
        kind = email.kind.removeprefix("reminder_")
        seminar, registration = reminded[kind]
        assert missing_variables(email.subject, email.body_text, email.body_html) == [], kind
        assert email.subject.startswith(f"[{seminar.tag}] Reminder: "), kind
        assert (email.to, email.reply_to, email.seminar) == (
            registration.student.email,
            "Contact Person <contact@example.org>",
            seminar,
        )
        assert email.body_text.startswith(f"Dear {registration.student.full_name},\n\n"), kind
        dashboard = f"{SITE_URL}/{seminar.slug}/me/"
        assert dashboard in email.body_text and f'href="{dashboard}"' in email.body_html, kind


def test_reminder_names_the_students_own_deadline_in_berlin_time():
    reminded = one_of_each_kind()
    texts = {e.kind: (e.subject, e.body_text) for e in reminder_emails()}
    seminar, _ = reminded[ReminderKind.PREFERENCES]
    assert texts["reminder_preferences"] == (
        f"[{seminar.tag}] Reminder: send your topic preferences by 14 February, 23:59",
        texts["reminder_preferences"][1],
    )
    assert (
        "They are due on Friday, 14 February 2031, 23:59 (Europe/Berlin)."
        in texts["reminder_preferences"][1]
    )
    assert f"{SITE_URL}/{seminar.slug}/preferences/" in texts["reminder_preferences"][1]
    slide_seminar, _ = reminded[DeliverableKind.SLIDE_DRAFT]
    assert (
        "is due on Wednesday, 26 February 2031, 23:59 (Europe/Berlin). "
        "Your talk is on Wednesday, 5 March 2031 at 09:30, room 1.06 (E1.1)."
    ) in texts["reminder_slide_draft"][1]
    assert (
        f"{SITE_URL}/{slide_seminar.slug}/hand-in/slide_draft/" in texts["reminder_slide_draft"][1]
    )
    assert (
        "still held for you until Wednesday, 5 February 2031, 10:00 (Europe/Berlin)"
        in (texts["reminder_offer"][1])
    )
