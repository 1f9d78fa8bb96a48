"""The scan: each reminder once, at an absolute moment, never after its deadline, never for a
rule that is off; extensions move it; a missed moment is caught up while the deadline is ahead;
daylight saving changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from reminders.enums import ReminderKind
from reminders.models import ReminderRule
from reminders.services import REMINDER_DEFAULTS, reminder_rules_ensure
from reminders.tests.factories import (
    PREFERENCES_DUE,
    START,
    at,
    deliverable_deadline,
    hand_in,
    moment_of,
    preferences_world,
    reminded,
    reminder_emails,
    rule_of,
    scan,
)
from seminar.deadlines import end_of_day
from seminar.tests.factories import MeetingFactory, RegistrationFactory, SeminarFactory
from submissions.enums import DeliverableKind
from submissions.services.extensions import extension_grant
from submissions.tests.factories import deliverable, seminar_with_talks

pytestmark = pytest.mark.django_db

US = dt.timedelta(microseconds=1)
UTC = dt.UTC


# --- Once ----------------------------------------------------------------------------------


def test_a_scan_run_again_queues_nothing_more():
    seminar, people = preferences_world()
    moment = moment_of(rule_of(seminar, ReminderKind.PREFERENCES, hours=48), PREFERENCES_DUE)
    assert scan(moment).queued == 1
    assert scan(moment).queued == 0
    assert scan(moment + dt.timedelta(minutes=5)).queued == 0
    assert scan(moment + dt.timedelta(hours=20)).queued == 0
    assert reminded() == [people["missing"].student.email]


def test_the_scan_of_one_seminar_leaves_the_others_alone():
    seminar, people = preferences_world()
    other, others = preferences_world()
    scan(PREFERENCES_DUE - dt.timedelta(hours=30), seminar=seminar)
    assert reminded() == [people["missing"].student.email]


# --- Never after the deadline; a missed moment is caught up ------------------------------------


def test_a_missed_moment_is_caught_up_while_the_deadline_is_ahead():
    seminar, people = preferences_world()
    # Nothing ran at the 48-hour moment; 30 hours before the deadline the scan catches up.
    scan(PREFERENCES_DUE - dt.timedelta(hours=30))
    [email] = reminder_emails()
    assert email.key.startswith(f"reminder:{rule_of(seminar, 'preferences', hours=48).pk}:")


@pytest.mark.parametrize("after", [dt.timedelta(0), US, dt.timedelta(days=1)])
def test_nothing_is_sent_once_the_deadline_is_reached(after):
    seminar, people = preferences_world()
    assert scan(PREFERENCES_DUE + after).queued == 0
    assert reminded() == []


def test_of_several_missed_reminders_only_the_last_goes_out():
    with at(START):
        seminar, registrations, _, _ = seminar_with_talks(1, session_day=dt.date(2031, 3, 5))
    [student] = registrations
    deadline = deliverable_deadline(student, DeliverableKind.REPORTS)
    week = rule_of(seminar, ReminderKind.REPORTS, hours=168)
    day = rule_of(seminar, ReminderKind.REPORTS, hours=24)
    # Nothing ran for the whole week before the deadline; 12 hours before it, the scan runs.
    scan(deadline - dt.timedelta(hours=12))
    scan(deadline - dt.timedelta(hours=1))
    assert [e.key.split(":")[1] for e in reminder_emails(ReminderKind.REPORTS)] == [str(day.pk)]
    assert not reminder_emails().filter(key__startswith=f"reminder:{week.pk}:").exists()


def test_queued_reminder_not_sent_by_its_deadline_is_withdrawn_with_the_reason():
    seminar, people = preferences_world()
    rule_of(seminar, ReminderKind.PREFERENCES, day_at=dt.time(8, 0)).delete()
    scan(PREFERENCES_DUE - dt.timedelta(hours=30))  # queued; the SMTP server is down, say
    sent = OutgoingEmail.objects.create(  # another reminder, already sent: left alone
        key=f"reminder:999999:999999:{PREFERENCES_DUE.astimezone(UTC).isoformat()}",
        kind="reminder_preferences",
        to="sent@example.org",
        subject="s",
        body_text="b",
        status=EmailStatus.SENT,
        sent_at=START,
    )
    assert scan(PREFERENCES_DUE - US).withdrawn == 0
    assert scan(PREFERENCES_DUE).withdrawn == 1
    email = reminder_emails().exclude(pk=sent.pk).get()
    assert (email.status, email.next_attempt_at, email.last_error) == (
        EmailStatus.FAILED,
        None,
        "Not sent: its deadline (14 February 2031, 23:59) passed before it could be delivered.",
    )
    assert OutgoingEmail.objects.get(pk=sent.pk).status == EmailStatus.SENT


# --- Switched off ----------------------------------------------------------------------------


def test_nothing_is_sent_for_a_rule_that_is_switched_off():
    seminar, people = preferences_world()
    rule = rule_of(seminar, ReminderKind.PREFERENCES, hours=48)
    rule.enabled = False
    rule.save()
    assert scan(moment_of(rule, PREFERENCES_DUE)).queued == 0
    assert scan(moment_of(rule, PREFERENCES_DUE) + dt.timedelta(hours=12)).queued == 0
    # The morning rule of the same deadline is still on.
    morning = rule_of(seminar, ReminderKind.PREFERENCES, day_at=dt.time(8, 0))
    assert scan(moment_of(morning, PREFERENCES_DUE)).queued == 1
    assert reminder_emails().get().key.startswith(f"reminder:{morning.pk}:")


# --- Extensions ----------------------------------------------------------------------------


@pytest.fixture
def slide_student():
    with at(START):
        seminar, registrations, _, _ = seminar_with_talks(1, session_day=dt.date(2031, 3, 5))
    [student] = registrations
    return seminar, student


def grant(student, due_at: dt.datetime, when: dt.datetime) -> None:
    with at(when):
        extension_grant(
            deliverable=deliverable(student.seminar, DeliverableKind.SLIDE_DRAFT),
            registration=student,
            due_at=due_at,
            reason="ill",
            by=None,
        )


def test_extension_granted_before_the_reminder_moves_it(slide_student):
    seminar, student = slide_student
    rule = rule_of(seminar, ReminderKind.SLIDE_DRAFT, hours=72)
    deadline = deliverable_deadline(student, DeliverableKind.SLIDE_DRAFT)
    later = deadline + dt.timedelta(days=4)
    grant(student, later, moment_of(rule, deadline) - dt.timedelta(days=1))

    scan(moment_of(rule, deadline))
    scan(moment_of(rule, later) - US)
    assert reminded(ReminderKind.SLIDE_DRAFT) == []
    scan(moment_of(rule, later))
    [email] = reminder_emails(ReminderKind.SLIDE_DRAFT)
    assert email.key.endswith(later.astimezone(UTC).isoformat())
    assert "is due on Sunday, 2 March 2031, 23:59 (Europe/Berlin), your extended deadline" in (
        email.body_text
    )


def test_extension_granted_after_the_reminder_sends_the_new_one_and_not_the_old_again(
    slide_student,
):
    seminar, student = slide_student
    rule = rule_of(seminar, ReminderKind.SLIDE_DRAFT, hours=72)
    deadline = deliverable_deadline(student, DeliverableKind.SLIDE_DRAFT)
    later = deadline + dt.timedelta(days=4)
    scan(moment_of(rule, deadline))
    grant(student, later, moment_of(rule, deadline) + dt.timedelta(hours=1))

    for moment in (
        moment_of(rule, deadline) + dt.timedelta(hours=2),
        deadline - US,  # the old deadline's last moment
        moment_of(rule, later) - US,
    ):
        scan(moment)
    assert reminder_emails(ReminderKind.SLIDE_DRAFT).count() == 1
    scan(moment_of(rule, later))
    assert [e.key.rsplit(":", 3)[0] for e in reminder_emails(ReminderKind.SLIDE_DRAFT)] == [
        f"reminder:{rule.pk}:{student.pk}:{deadline.astimezone(UTC):%Y-%m-%dT%H}",
        f"reminder:{rule.pk}:{student.pk}:{later.astimezone(UTC):%Y-%m-%dT%H}",
    ]


def test_handing_in_after_a_reminder_stops_the_later_ones():
    with at(START):
        seminar, registrations, _, _ = seminar_with_talks(1, session_day=dt.date(2031, 3, 5))
    [student] = registrations
    deadline = deliverable_deadline(student, DeliverableKind.PROJECT)
    scan(deadline - dt.timedelta(days=6))  # the week's reminder
    with at(deadline - dt.timedelta(days=3)):
        hand_in(student, DeliverableKind.PROJECT)
    scan(deadline - dt.timedelta(hours=12))  # the day's reminder: not needed any more
    assert reminder_emails(ReminderKind.PROJECT).count() == 1


# --- Daylight saving ---------------------------------------------------------------------------

DST_DAYS = [dt.date(2026, 3, 29), dt.date(2026, 10, 25)]


@pytest.mark.parametrize("day", DST_DAYS, ids=str)
def test_48_hour_preference_reminder_goes_out_exactly_48_real_hours_before(day):
    deadline = end_of_day(day)
    with at(deadline - dt.timedelta(days=10)):
        seminar = SeminarFactory(preference_deadline=deadline, preferences_opened_at=timezone.now())
        student = RegistrationFactory(seminar=seminar)
    rule = rule_of(seminar, ReminderKind.PREFERENCES, hours=48)
    exactly = deadline.astimezone(UTC) - dt.timedelta(hours=48)

    assert scan(exactly - US).queued == 0
    assert scan(exactly).queued == 1
    email = reminder_emails().get()
    assert email.key == f"reminder:{rule.pk}:{student.pk}:{deadline.astimezone(UTC).isoformat()}"
    assert email.created_at == exactly
    assert deadline - email.created_at == dt.timedelta(hours=48)


@pytest.mark.parametrize("day", DST_DAYS, ids=str)
def test_two_day_mock_presentation_reminder_counts_real_hours_on_clock_change_days(day):
    with at(end_of_day(day) - dt.timedelta(days=20)):
        seminar = SeminarFactory()  # mock presentation: 1 day before the first session
        MeetingFactory(seminar=seminar, date=day + dt.timedelta(days=1))
        student = RegistrationFactory(seminar=seminar)
    deadline = deliverable_deadline(student, DeliverableKind.MOCK_PRESENTATION)
    assert deadline == end_of_day(day)
    exactly = deadline.astimezone(UTC) - dt.timedelta(hours=48)
    scan(exactly - US)
    assert reminded(ReminderKind.MOCK_PRESENTATION) == []
    scan(exactly)
    assert reminded(ReminderKind.MOCK_PRESENTATION) == [student.student.email]


@pytest.mark.parametrize(
    ("day", "morning_utc"),
    [
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        (dt.date(2026, 10, 25), dt.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
    ids=str,
)
def test_morning_reminder_goes_out_at_eight_local_time_on_clock_change_days(day, morning_utc):
    deadline = end_of_day(day)
    with at(deadline - dt.timedelta(days=10)):
        seminar = SeminarFactory(preference_deadline=deadline, preferences_opened_at=timezone.now())
        RegistrationFactory(seminar=seminar)
    morning = rule_of(seminar, ReminderKind.PREFERENCES, day_at=dt.time(8, 0))
    scan(morning_utc - dt.timedelta(hours=30))  # the 48-hour reminder
    scan(morning_utc - US)
    assert reminder_emails().count() == 1
    scan(morning_utc)
    assert reminder_emails().last().key.startswith(f"reminder:{morning.pk}:")


# --- Rules of a new seminar ------------------------------------------------------------------


def test_a_new_seminar_gets_the_default_rules_all_switched_on():
    seminar = SeminarFactory()
    rules = ReminderRule.objects.filter(seminar=seminar)
    assert sorted(((r.kind, r.hours_before, r.day_at, r.enabled) for r in rules), key=str) == (
        sorted(((kind, hours, at, True) for kind, hours, at in REMINDER_DEFAULTS), key=str)
    )
    assert sorted(str(r) for r in rules) == [
        "Late joiner's topic choice: 12 hours before",
        "Mock presentation: 2 days before",
        "Practical project: 1 day before",
        "Practical project: 7 days before",
        "Reports: 1 day before",
        "Reports: 7 days before",
        "Slide draft: 3 days before",
        "Topic preferences: 2 days before",
        "Topic preferences: on the day at 08:00",
        "Waiting-list offer: 12 hours before",
    ]


def test_ensuring_the_rules_again_keeps_the_organizers_own():
    seminar = SeminarFactory()
    seminar.reminder_rules.exclude(kind=ReminderKind.OFFER).delete()
    reminder_rules_ensure(seminar=seminar)
    assert list(seminar.reminder_rules.values_list("kind", flat=True)) == [ReminderKind.OFFER]
