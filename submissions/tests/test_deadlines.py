"""Deadline edges through the upload service, with the clock set by time-machine: one
microsecond before, at, and after the last accepted moment, on both daylight-saving days of
2026, with and without an extension, for a student and for a project team."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from seminar.deadlines import end_of_day
from seminar.errors import NotAllowed
from seminar.tests.factories import MeetingFactory, RegistrationFactory, SeminarFactory
from submissions.enums import DeliverableKind
from submissions.models import Submission, SubmissionFile
from submissions.selectors import deadline_of, seminar_calendar
from submissions.services.extensions import extension_grant
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, pdf_upload, seminar_with_talks, zip_bytes
from submissions.tests.factories import upload as file_upload
from topics.models import Topic

pytestmark = pytest.mark.django_db

UTC = dt.UTC
US = dt.timedelta(microseconds=1)
# The last accepted moment of "23:59" on each day the clocks change in Berlin, in UTC:
# 29 March 2026 is already summer time (UTC+2) at 23:59, 25 October is winter time again.
DST_DEADLINES = {
    dt.date(2026, 3, 29): dt.datetime(2026, 3, 29, 21, 59, 59, 999999, tzinfo=UTC),
    dt.date(2026, 10, 25): dt.datetime(2026, 10, 25, 22, 59, 59, 999999, tzinfo=UTC),
}
EDGES = [(-US, True), (dt.timedelta(0), True), (US, False)]
EDGE_IDS = ["1us-before", "at", "1us-after"]


def seminar_ending(last_day: dt.date):
    """A seminar whose one session (the last) is on `last_day`; reports 14 days after, the
    project 28 days after, at 23:59."""
    seminar = SeminarFactory()
    MeetingFactory(seminar=seminar, date=last_day)
    return seminar


def hand_in_report(registration, at: dt.datetime) -> bool:
    """True if the report was accepted at that moment; a refusal must name the deadline."""
    with time_machine.travel(at, tick=False):
        try:
            submission_upload(
                registration=registration,
                deliverable=deliverable(registration.seminar, DeliverableKind.REPORTS),
                upload=pdf_upload(3),
                by=registration.student,
                number=1,
                title="Score matching, revisited",
            )
        except NotAllowed as refusal:
            assert refusal.message.startswith("The deadline for the reports was ")
            return False
    return True


def hand_in_project(registration, at: dt.datetime) -> bool:
    with time_machine.travel(at, tick=False):
        try:
            submission_upload(
                registration=registration,
                deliverable=deliverable(registration.seminar, DeliverableKind.PROJECT),
                upload=file_upload(zip_bytes(), "project.zip"),
                by=registration.student,
            )
        except NotAllowed as refusal:
            assert refusal.message.startswith("The deadline for the practical project was ")
            return False
    return True


def team_of_two(seminar):
    """Two participants who formed a team early in the year."""
    first, second = RegistrationFactory.create_batch(2, seminar=seminar)
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=UTC), tick=False):
        invitation = team_invite(registration=first, email=second.student.email)
        team = team_invitation_accept(invitation_id=invitation.pk, registration=second)
    return first, second, team


@pytest.mark.parametrize("day", DST_DEADLINES)
@pytest.mark.parametrize(("offset", "accepted"), EDGES, ids=EDGE_IDS)
def test_student_report_deadline_edge_on_clock_change_days(day, offset, accepted):
    seminar = seminar_ending(day - dt.timedelta(days=14))
    registration = RegistrationFactory(seminar=seminar)
    calendar = seminar_calendar(seminar, registration_ids=[registration.pk])
    reports = deliverable(seminar, DeliverableKind.REPORTS)
    assert deadline_of(reports, registration, calendar) == DST_DEADLINES[day]

    assert hand_in_report(registration, DST_DEADLINES[day] + offset) is accepted
    assert SubmissionFile.objects.count() == (1 if accepted else 0)


@pytest.mark.parametrize("day", DST_DEADLINES)
@pytest.mark.parametrize(("offset", "accepted"), EDGES, ids=EDGE_IDS)
def test_student_extension_edge_on_clock_change_days(day, offset, accepted):
    seminar = seminar_ending(day - dt.timedelta(days=21))  # the rule: a week before `day`
    registration = RegistrationFactory(seminar=seminar)
    other = RegistrationFactory(seminar=seminar)
    reports = deliverable(seminar, DeliverableKind.REPORTS)
    extension_grant(
        deliverable=reports,
        registration=registration,
        due_at=timezone.localtime(DST_DEADLINES[day]),
        reason="Ill for a week (certificate seen).",
        by=None,
    )

    assert hand_in_report(registration, DST_DEADLINES[day] + offset) is accepted
    # Nobody else gets the extension.
    assert hand_in_report(other, end_of_day(day - dt.timedelta(days=7)) + US) is False


def test_extension_keeps_uploads_open_after_the_rules_deadline():
    day = dt.date(2026, 3, 29)
    seminar = seminar_ending(day - dt.timedelta(days=21))
    registration = RegistrationFactory(seminar=seminar)
    rule_deadline = end_of_day(day - dt.timedelta(days=7))
    assert hand_in_report(registration, rule_deadline + US) is False
    extension_grant(
        deliverable=deliverable(seminar, DeliverableKind.REPORTS),
        registration=registration,
        due_at=DST_DEADLINES[day],
        reason="Family matters.",
        by=None,
    )
    assert hand_in_report(registration, rule_deadline + US) is True


@pytest.mark.parametrize("day", DST_DEADLINES)
@pytest.mark.parametrize(("offset", "accepted"), EDGES, ids=EDGE_IDS)
def test_team_project_deadline_edge_on_clock_change_days(day, offset, accepted):
    seminar = seminar_ending(day - dt.timedelta(days=28))
    first, second, _ = team_of_two(seminar)

    assert hand_in_project(second, DST_DEADLINES[day] + offset) is accepted
    assert Submission.objects.filter(team__isnull=False).count() == (1 if accepted else 0)


@pytest.mark.parametrize("day", DST_DEADLINES)
@pytest.mark.parametrize(("offset", "accepted"), EDGES, ids=EDGE_IDS)
def test_team_extension_applies_to_each_member_on_clock_change_days(day, offset, accepted):
    seminar = seminar_ending(day - dt.timedelta(days=35))  # the rule: a week before `day`
    first, second, team = team_of_two(seminar)
    project = deliverable(seminar, DeliverableKind.PROJECT)
    extension_grant(
        deliverable=project,
        team=team,
        due_at=DST_DEADLINES[day],
        reason="The cluster was down for a week.",
        by=None,
    )
    calendar = seminar_calendar(seminar, registration_ids=[first.pk, second.pk])
    assert deadline_of(project, first, calendar) == DST_DEADLINES[day]
    assert deadline_of(project, second, calendar) == DST_DEADLINES[day]

    assert hand_in_project(first, DST_DEADLINES[day] + offset) is accepted
    assert hand_in_project(second, DST_DEADLINES[day] + offset) is accepted


def test_a_members_own_extension_moves_the_teams_project_deadline():
    day = dt.date(2026, 10, 25)
    seminar = seminar_ending(day - dt.timedelta(days=35))
    first, second, _ = team_of_two(seminar)
    extension_grant(
        deliverable=deliverable(seminar, DeliverableKind.PROJECT),
        registration=first,
        due_at=DST_DEADLINES[day],
        reason="Ill.",
        by=None,
    )
    assert hand_in_project(second, DST_DEADLINES[day]) is True
    assert hand_in_project(second, DST_DEADLINES[day] + US) is False


def test_slide_draft_deadline_follows_the_talk_when_the_schedule_changes():
    seminar, (registration,), (topic,), (session,) = seminar_with_talks(
        1, session_day=dt.date(2026, 4, 20)
    )
    slides = deliverable(seminar, DeliverableKind.SLIDE_DRAFT)

    def due():
        calendar = seminar_calendar(seminar, registration_ids=[registration.pk])
        return deadline_of(slides, registration, calendar)

    assert due() == dt.datetime(2026, 4, 13, 21, 59, 59, 999999, tzinfo=UTC)
    later = MeetingFactory(seminar=seminar, date=dt.date(2026, 4, 27))
    Topic.objects.filter(pk=topic.pk).update(session=later, slot=1)  # moved by hand
    assert due() == dt.datetime(2026, 4, 20, 21, 59, 59, 999999, tzinfo=UTC)
