"""For every rule: who gets the reminder, and who does not (handed in, extended, not a
participant, withdrawn), at the moment the rule is due."""

import datetime as dt

import pytest

from reminders.enums import ReminderKind
from reminders.tests.factories import (
    PREFERENCES_DUE,
    SESSION_DAY,
    START,
    at,
    deliverable_deadline,
    deliverable_world,
    hand_in,
    late_choice_world,
    moment_of,
    offer_world,
    preferences_world,
    reminded,
    reminder_emails,
    rule_of,
    scan,
)
from seminar.enums import RegistrationStatus
from seminar.models import Registration
from seminar.services import registration as registration_services
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    UserFactory,
)
from submissions.enums import DeliverableKind
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.tests.factories import seminar_with_talks
from topics import services as topic_services
from topics.enums import AssignmentReason
from topics.models import Assignment

pytestmark = pytest.mark.django_db

US = dt.timedelta(microseconds=1)

# kind -> (the rule that is due first, its hours before the deadline)
DELIVERABLE_RULES = {
    DeliverableKind.SLIDE_DRAFT: 72,
    DeliverableKind.MOCK_PRESENTATION: 48,
    DeliverableKind.REPORTS: 168,
    DeliverableKind.PROJECT: 168,
}


@pytest.mark.parametrize("kind", DELIVERABLE_RULES)
def test_deliverable_reminder_goes_to_those_who_have_not_handed_in(kind):
    seminar, people = deliverable_world(kind)
    rule = rule_of(seminar, kind, hours=DELIVERABLE_RULES[kind])
    deadline = deliverable_deadline(people["missing"], kind)
    moment = moment_of(rule, deadline)

    scan(moment - US)
    assert reminded(kind) == []
    scan(moment)
    assert reminded(kind) == [people["missing"].student.email]
    [email] = reminder_emails(kind)
    in_utc = deadline.astimezone(dt.UTC).isoformat()
    assert email.key == f"reminder:{rule.pk}:{people['missing'].pk}:{in_utc}"
    assert email.seminar == seminar
    # The one with the extension is reminded a week later, of the later deadline.
    extended = deliverable_deadline(people["extended"], kind)
    assert extended == deadline + dt.timedelta(days=7)
    scan(moment_of(rule, extended))
    assert reminded(kind) == sorted(
        [people["missing"].student.email, people["extended"].student.email]
    )


def test_reports_reminder_says_how_many_are_in():
    seminar, people = deliverable_world(DeliverableKind.REPORTS)
    deadline = deliverable_deadline(people["missing"], DeliverableKind.REPORTS)
    scan(deadline - dt.timedelta(days=2))
    [email] = reminder_emails(ReminderKind.REPORTS)
    assert "you have handed in 1 of 3 reports for" in email.body_text


def test_project_reminder_goes_to_teams_without_a_submission_and_to_students_in_no_team():
    with at(START):
        seminar, registrations, _, _ = _talks(6)
        alone, ann, ben, cat, dan, handed_in_alone = registrations
        _team(ann, ben)  # a team without a project: both are reminded
        _team(cat, dan)  # a team whose project is in: neither is
        hand_in(cat, DeliverableKind.PROJECT)
        hand_in(handed_in_alone, DeliverableKind.PROJECT)
    deadline = deliverable_deadline(alone, DeliverableKind.PROJECT)
    scan(deadline - dt.timedelta(days=1, hours=1))

    assert reminded(ReminderKind.PROJECT) == sorted(r.student.email for r in (alone, ann, ben))
    texts = {e.to: e.body_text for e in reminder_emails(ReminderKind.PROJECT)}
    assert (
        "you have not handed in the practical project for "
        f"{seminar.title} yet, and you are in no team: work alone, or invite a partner on your "
        "page (teams of up to 2)."
    ) in texts[alone.student.email]
    assert "your team has not handed in the practical project" in texts[ann.student.email]


def test_slide_draft_without_a_talk_has_no_deadline_and_no_reminder():
    with at(START):
        seminar = SeminarFactory()
        MeetingFactory(seminar=seminar, date=SESSION_DAY)
        RegistrationFactory(seminar=seminar)  # no published topic: no talk, no deadline
    assert scan(START + dt.timedelta(days=27)).queued == 0


def test_preference_reminder_goes_to_participants_without_preferences():
    seminar, people = preferences_world()
    rule = rule_of(seminar, ReminderKind.PREFERENCES, hours=48)
    moment = moment_of(rule, PREFERENCES_DUE)

    assert scan(moment - US).queued == 0
    assert scan(moment).queued == 1
    assert reminded() == [people["missing"].student.email]
    morning = rule_of(seminar, ReminderKind.PREFERENCES, day_at=dt.time(8, 0))
    assert scan(moment_of(morning, PREFERENCES_DUE)).queued == 1
    assert reminded() == [people["missing"].student.email] * 2


def test_no_preference_reminder_while_the_form_is_not_open():
    seminar, people = preferences_world(preferences_opened_at=None)
    assert scan(PREFERENCES_DUE - dt.timedelta(hours=1)).queued == 0


def test_no_preference_reminder_for_a_participant_who_holds_a_published_topic():
    seminar, people = preferences_world()
    with at(START):
        run = topic_services.allocation_run(seminar=seminar, seed=1)
        topic_services.allocation_publish(run=run)
    assert Assignment.objects.filter(registration=people["missing"], topic__isnull=False).exists()
    assert scan(PREFERENCES_DUE - dt.timedelta(hours=1)).queued == 0


def test_late_joiner_is_reminded_to_choose_until_a_topic_is_assigned_at_random():
    seminar, people = late_choice_world()
    due = Assignment.objects.get(registration=people["choosing"]).choice_due_at
    assert due == START + dt.timedelta(hours=48)
    rule = rule_of(seminar, ReminderKind.LATE_TOPIC_CHOICE, hours=12)

    assert scan(moment_of(rule, due) - US).queued == 0
    assert scan(moment_of(rule, due)).queued == 1
    assert reminded() == [people["choosing"].student.email]
    assert people["placed"].assignments.get().reason == AssignmentReason.ALLOCATION


def test_offer_reminder_goes_to_the_student_holding_the_offer_only():
    seminar, people = offer_world()
    offered = people["holder"]
    assert offered.status == RegistrationStatus.OFFERED
    rule = rule_of(seminar, ReminderKind.OFFER, hours=12)
    moment = moment_of(rule, offered.offer_expires_at)

    assert scan(moment - US).queued == 0
    assert scan(moment).queued == 1
    assert reminded() == [offered.student.email]


def test_declined_offer_is_not_reminded_and_the_next_offer_is():
    with at(START):
        seminar = SeminarFactory(capacity=1, offer_hours=48)
        first, declines, next_one = (UserFactory() for _ in range(3))
        for student in (first, declines, next_one):
            registration_services.registration_create(seminar=seminar, student=student)
        registration_services.registration_withdraw(seminar=seminar, student=first)
    with at(START + dt.timedelta(hours=1)):
        registration_services.offer_decline(seminar=seminar, student=declines)
    scan(START + dt.timedelta(hours=40))
    assert reminded() == [next_one.email]


def test_a_seminar_without_rules_reminds_nobody():
    seminar, people = preferences_world()
    seminar.reminder_rules.all().delete()
    assert scan(PREFERENCES_DUE - dt.timedelta(hours=1)).queued == 0


# --- helpers ---------------------------------------------------------------------------------


def _talks(students: int):
    return seminar_with_talks(students, session_day=SESSION_DAY)


def _team(first: Registration, second: Registration) -> None:
    invitation = team_invite(registration=first, email=second.student.email)
    team_invitation_accept(invitation_id=invitation.pk, registration=second)
