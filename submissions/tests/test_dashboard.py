"""The student's dashboard panel: deadlines with countdown and state, and the calendar feed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from seminar.enums import MeetingKind, RegistrationStatus
from seminar.models import ActivityEntry, Registration
from seminar.tests.factories import MeetingFactory, RegistrationFactory
from submissions.enums import DeliverableKind
from submissions.models import CalendarFeed
from submissions.services.deliverables import mock_presentation_mark
from submissions.services.extensions import extension_grant
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, pdf_upload, seminar_with_talks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    seminar, registrations, topics, sessions = seminar_with_talks(2)
    client.force_login(registrations[0].student)
    return seminar, registrations, topics, sessions


def dashboard(client, seminar):
    return client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()


def state_of(page: str, kind: str) -> str:
    marker = f'data-testid="state-{kind}">'
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_dashboard_lists_every_deadline_with_its_state(client, world, time_machine):
    seminar, (a, _), _, (session,) = world
    submission_upload(
        registration=a,
        deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
        upload=pdf_upload(3),
        by=a.student,
    )
    mock_presentation_mark(registration=a, given=True, by=None)
    extension_grant(
        deliverable=deliverable(seminar, DeliverableKind.PROJECT),
        registration=a,
        due_at=timezone.now() + dt.timedelta(days=200),
        reason="Parental leave.",
        by=None,
    )
    page = dashboard(client, seminar)

    assert state_of(page, "slide_draft") == "submitted"
    assert state_of(page, "mock_presentation") == "given"
    assert state_of(page, "reports") == "missing (0 of 3 in)"
    assert state_of(page, "project") == "extended"
    assert "Parental leave." not in page  # the reason is for the organizers
    last = session.date + dt.timedelta(days=28)
    assert f"was {last:%-d %b}, 23:59" in page


def test_countdown_and_late_state_follow_the_clock(client, world, time_machine):
    seminar, (a, _), _, (session,) = world
    reports_due = timezone.make_aware(
        dt.datetime.combine(session.date + dt.timedelta(days=14), dt.time(23, 59, 59, 999999))
    )
    time_machine.move_to(reports_due - dt.timedelta(days=2, hours=3), tick=False)
    client.force_login(a.student)
    page = dashboard(client, seminar)
    assert "<strong>2\xa0days, 3\xa0hours</strong> left" in page

    time_machine.move_to(reports_due + dt.timedelta(microseconds=1), tick=False)
    client.force_login(a.student)
    page = dashboard(client, seminar)
    assert state_of(page, "reports") == "late (0 of 3 in)"
    assert "Uploads are closed." in page


def test_people_without_a_seat_get_no_submissions_panel(client, world):
    seminar, *_ = world
    waiting = RegistrationFactory(seminar=seminar, status=RegistrationStatus.WAITING)
    client.force_login(waiting.student)
    assert "Deadlines and submissions" not in dashboard(client, seminar)


def feed_of(client, seminar, registration) -> str:
    client.force_login(registration.student)
    client.post(reverse("submissions:calendar_reset", args=[seminar.slug]))
    token = CalendarFeed.objects.get(registration=registration).token
    return reverse("submissions:calendar_feed", args=[seminar.slug, token])


def test_calendar_feed_holds_meetings_own_talk_and_effective_deadlines(client, world):
    seminar, (a, b), topics, (session,) = world
    kickoff = MeetingFactory(
        seminar=seminar, kind=MeetingKind.KICKOFF, date=session.date - dt.timedelta(days=50)
    )
    due = timezone.make_aware(dt.datetime(2031, 2, 3, 12, 0))
    extension_grant(
        deliverable=deliverable(seminar, DeliverableKind.REPORTS),
        registration=a,
        due_at=due,
        reason="Ill.",
        by=None,
    )
    url = feed_of(client, seminar, a)
    client.logout()  # the address alone is enough
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {
        str(e["summary"]).removeprefix(f"{seminar.subject_prefix} "): e.decoded("dtstart")
        for e in calendar.walk("VEVENT")
    }
    local = timezone.localtime
    assert events == {
        "Kick-off meeting": kickoff.starts_at,
        "Seminar session 1": session.starts_at,
        f"Your talk: {topics[0].title}": session.starts_at,
        "Slide draft due": local(session.starts_at).replace(hour=23, minute=59)
        - dt.timedelta(days=7),
        "Mock presentation (in your group) by": local(session.starts_at).replace(hour=23, minute=59)
        - dt.timedelta(days=1),
        "Reports due": due,
        "Practical project due": local(session.starts_at).replace(hour=23, minute=59)
        + dt.timedelta(days=28),
    }
    assert b"BEGIN:VTIMEZONE" in response.content
    assert b"TZID=Europe/Berlin" in response.content


def test_calendar_reset_makes_the_old_address_stop_working(client, world):
    seminar, (a, _), _, _ = world
    old = feed_of(client, seminar, a)
    new = feed_of(client, seminar, a)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_calendar_address_is_private_to_its_seminar_and_participant(client, world):
    seminar, (a, b), _, _ = world
    url = feed_of(client, seminar, a)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    other_seminar, *_ = seminar_with_talks(1)
    assert (
        client.get(
            reverse("submissions:calendar_feed", args=[other_seminar.slug, token])
        ).status_code
        == 404
    )
    Registration.objects.filter(pk=a.pk).update(status=RegistrationStatus.WITHDRAWN)
    assert client.get(url).status_code == 404
    assert client.get(url.replace(token, token[:-1] + "x")).status_code == 404


def test_mock_presentation_mark_is_logged_once_and_can_be_corrected(world):
    seminar, (a, _), _, _ = world
    supervisor = seminar.staff.first().user
    mock_presentation_mark(registration=a, given=True, by=supervisor)
    mock_presentation_mark(registration=a, given=True, by=supervisor)  # again: no change
    mock = deliverable(seminar, DeliverableKind.MOCK_PRESENTATION)
    assert mock.marks.get().marked_by == supervisor
    mock_presentation_mark(registration=a, given=False, by=supervisor)
    assert mock.marks.count() == 0
    actions = ActivityEntry.objects.filter(action__startswith="mock_presentation.")
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "mock_presentation.given",
        "mock_presentation.not_given",
    ]


def test_team_forms_are_offered_until_the_project_deadline_only(client, world, time_machine):
    seminar, (a, _), _, _ = world
    project_due = deliverable(seminar, DeliverableKind.PROJECT)
    page = dashboard(client, seminar)
    assert 'action="{}"'.format(reverse("submissions:team_invite", args=[seminar.slug])) in page
    assert 'data-testid="team-closed"' not in page

    last_session = seminar.meetings.order_by("date").last().date
    after = dt.datetime.combine(
        last_session + dt.timedelta(days=project_due.due_days + 1), dt.time(12)
    )
    time_machine.move_to(timezone.make_aware(after))
    client.force_login(a.student)  # the session of before ran out
    page = dashboard(client, seminar)
    assert 'action="{}"'.format(reverse("submissions:team_invite", args=[seminar.slug])) not in page
    assert "The project deadline has passed, so teams no longer change." in page
