"""A participant's personal calendar feed (iCalendar) at a secret address.

Kick-off, sessions, the participant's own talk and every deadline with its extension, read
whenever the calendar application asks, so a moved talk or a granted extension shows up there.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from seminar.enums import RegistrationStatus
from seminar.selectors import seminar_meetings
from submissions import selectors
from submissions.enums import DeliverableKind
from submissions.models import CalendarFeed

KICKOFF_LENGTH = dt.timedelta(hours=1)  # the kick-off has no end time of its own
DEADLINE_SUMMARIES = {
    DeliverableKind.SLIDE_DRAFT: "Slide draft due",
    DeliverableKind.MOCK_PRESENTATION: "Mock presentation (in your group) by",
    DeliverableKind.REPORTS: "Reports due",
    DeliverableKind.PROJECT: "Practical project due",
}


@require_GET
def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    feed = (
        CalendarFeed.objects.select_related("registration__seminar", "registration__student")
        .filter(token=token, registration__seminar__slug=slug)
        .first()
    )
    if feed is None or feed.registration.status != RegistrationStatus.CONFIRMED:
        raise Http404("No such calendar.")
    response = HttpResponse(feed_build(feed).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def feed_build(feed: CalendarFeed) -> Calendar:
    registration = feed.registration
    seminar = registration.seminar
    host = urlsplit(settings.SITE_URL).hostname or "seminar"
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Seminar//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{seminar.title}: {registration.student.full_name}")

    def event(uid: str, summary: str, start: dt.datetime, **fields) -> None:
        item = Event()
        item.add("uid", f"{seminar.slug}-{uid}-{registration.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("summary", f"{seminar.subject_prefix} {summary}")
        item.add("dtstart", timezone.localtime(start))
        for name, value in fields.items():
            item.add(name, value)
        calendar.add_component(item)

    meetings = seminar_meetings(seminar)
    if meetings.kickoff:
        kickoff = meetings.kickoff
        event(
            "kickoff",
            "Kick-off meeting",
            kickoff.starts_at,
            duration=KICKOFF_LENGTH,
            location=kickoff.room,
        )
    for number, session in enumerate(meetings.sessions, start=1):
        event(
            f"session-{session.pk}",
            f"Seminar session {number}",
            session.starts_at,
            duration=dt.timedelta(minutes=session.talk_slots * session.slot_minutes),
            location=session.room,
        )
    calendar_data = selectors.seminar_calendar(seminar, registration_ids=[registration.pk])
    talk = calendar_data.talks.get(registration.pk)
    if talk is not None:
        assignment = selectors.published_assignments(
            seminar, registration_ids=[registration.pk]
        ).get(registration.pk)
        title = assignment.topic.title if assignment and assignment.topic else "your topic"
        event(
            "talk",
            f"Your talk: {title}",
            talk.starts_at,
            duration=dt.timedelta(minutes=seminar.talk_minutes),
            location=talk.session.room,
        )
    for kind, deliverable in selectors.deliverables_of(seminar).items():
        due = selectors.deadline_of(deliverable, registration, calendar_data)
        if due is not None:
            # A deadline is a moment: shown at its minute (23:59), ending where it starts.
            event(f"due-{kind}", DEADLINE_SUMMARIES[kind], due.replace(second=0, microsecond=0))
    calendar.add_missing_timezones()
    return calendar
