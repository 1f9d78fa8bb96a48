"""Seminars with one deadline of each kind ahead, built at a fixed moment, and helpers to scan
at a chosen moment and to read what the scan queued."""

import datetime as dt

import time_machine
from django.utils import timezone

from mail.models import OutgoingEmail
from reminders.enums import TEMPLATE_PREFIX, ReminderKind
from reminders.models import ReminderRule
from reminders.moments import reminder_moment
from reminders.services import ScanResult, reminders_scan
from seminar.deadlines import end_of_day
from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, Seminar
from seminar.services import registration as registration_services
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from submissions.enums import DeliverableKind
from submissions.selectors import deadline_of, seminar_calendar
from submissions.services.deliverables import mock_presentation_mark
from submissions.services.extensions import extension_grant
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, pdf_upload, seminar_with_talks, upload
from submissions.tests.factories import zip_bytes as project_zip
from topics import services as topic_services
from topics.models import Preference
from topics.services import preferences_set
from topics.tests.factories import TopicFactory

UTC = dt.UTC
US = dt.timedelta(microseconds=1)
START = dt.datetime(2031, 2, 3, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Berlin
SESSION_DAY = dt.date(2031, 3, 5)  # talks 09:30; slide drafts due 26 Feb, mock 4 March


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def scan(moment: dt.datetime, **kwargs) -> ScanResult:
    with at(moment):
        return reminders_scan(now=timezone.now(), **kwargs)


def reminder_emails(kind: str | None = None):
    emails = OutgoingEmail.objects.filter(kind__startswith=TEMPLATE_PREFIX)
    if kind is not None:
        emails = emails.filter(kind=ReminderKind(kind).template)
    return emails.order_by("pk")


def reminded(kind: str | None = None) -> list[str]:
    """The addresses the scans queued reminders to, sorted (a duplicate shows twice)."""
    return sorted(reminder_emails(kind).values_list("to", flat=True))


def rule_of(
    seminar: Seminar, kind: str, hours: int | None = None, day_at: dt.time | None = None
) -> ReminderRule:
    return ReminderRule.objects.get(seminar=seminar, kind=kind, hours_before=hours, day_at=day_at)


def moment_of(rule: ReminderRule, deadline: dt.datetime) -> dt.datetime:
    return reminder_moment(deadline, hours_before=rule.hours_before, day_at=rule.day_at)


def deliverable_deadline(registration: Registration, kind: str) -> dt.datetime:
    """The student's effective deadline, as every page and upload check reads it."""
    seminar = registration.seminar
    calendar = seminar_calendar(seminar, registration_ids=[registration.pk])
    return deadline_of(deliverable(seminar, kind), registration, calendar)


def withdraw(registration: Registration) -> None:
    registration_services.registration_withdraw(
        seminar=registration.seminar, student=registration.student
    )


# --- Worlds: each builds at START and returns the seminar and its students by role ----------


def deliverable_world(kind: str) -> tuple[Seminar, dict[str, Registration]]:
    """Published talks on SESSION_DAY. "missing" has handed in nothing (three reports: one),
    "submitted" everything, "extended" nothing but got a week more, "withdrawn" left,
    "waiting" never got a seat."""
    with at(START):
        seminar, registrations, _, _ = seminar_with_talks(4, session_day=SESSION_DAY)
        names = ["missing", "submitted", "extended", "withdrawn"]
        people = dict(zip(names, registrations, strict=True))
        withdraw(people["withdrawn"])
        people["waiting"] = RegistrationFactory(
            seminar=seminar, status=RegistrationStatus.WAITING, queue_number=1
        )
        hand_in_all(people["submitted"], kind)
        if kind == DeliverableKind.REPORTS:
            hand_in(people["missing"], kind, number=1)
        base = deliverable_deadline(people["extended"], kind)
        extension_grant(
            deliverable=deliverable(seminar, kind),
            registration=people["extended"],
            due_at=base + dt.timedelta(days=7),
            reason="ill",
            by=None,
        )
    return seminar, people


def hand_in_all(registration: Registration, kind: str) -> None:
    if kind == DeliverableKind.MOCK_PRESENTATION:
        mock_presentation_mark(registration=registration, given=True, by=None)
    elif kind == DeliverableKind.REPORTS:
        for number in (1, 2, 3):
            hand_in(registration, kind, number=number)
    else:
        hand_in(registration, kind)


def hand_in(registration: Registration, kind: str, *, number: int = 1) -> None:
    if kind == DeliverableKind.PROJECT:
        file = upload(project_zip(), "project.zip")
    else:
        file = pdf_upload(3)
    submission_upload(
        registration=registration,
        deliverable=deliverable(registration.seminar, kind),
        upload=file,
        by=registration.student,
        number=number,
        title=f"Own topic {number}" if kind == DeliverableKind.REPORTS else "",
    )


PREFERENCES_DUE = end_of_day(dt.date(2031, 2, 14))  # a Friday


def preferences_world(**seminar_fields) -> tuple[Seminar, dict[str, Registration]]:
    """The preference form open since START, due Friday 14 February 23:59. "missing" has sent
    nothing, "sent" three topics, "waiting" holds no seat, "withdrawn" left."""
    with at(START):
        fields = {"preference_deadline": PREFERENCES_DUE, "preferences_opened_at": START}
        seminar = SeminarFactory(capacity=3, **(fields | seminar_fields))
        topics = TopicFactory.create_batch(3, seminar=seminar)
        people = {
            "missing": RegistrationFactory(seminar=seminar),
            "sent": RegistrationFactory(seminar=seminar),
            "withdrawn": RegistrationFactory(seminar=seminar),
        }
        withdraw(people["withdrawn"])
        people["waiting"] = RegistrationFactory(
            seminar=seminar, status=RegistrationStatus.WAITING, queue_number=1
        )
        if seminar.preferences_opened_at is not None:
            preferences_set(registration=people["sent"], topic_ids=[t.pk for t in topics])
    return seminar, people


def reminder_rule(seminar: Seminar, kind: str, **fields) -> ReminderRule:
    return ReminderRule.objects.create(seminar=seminar, kind=kind, **fields)


def late_choice_world() -> tuple[Seminar, dict[str, Registration]]:
    """Published at START with topics to spare. "placed" got a topic by the allocation;
    "choosing", "chose" and "left" were confirmed afterwards: one still chooses (until
    START + 48 h), one chose, one withdrew."""
    with at(START):
        seminar = SeminarFactory(capacity=5, offer_hours=0)
        session = MeetingFactory(seminar=seminar, date=SESSION_DAY)
        supervisor = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
        topics = [
            TopicFactory(seminar=seminar, session=session, slot=slot, supervisor=supervisor)
            for slot in range(1, 6)
        ]
        placed = RegistrationFactory(seminar=seminar)
        Preference.objects.create(registration=placed, topic=topics[0])
        run = topic_services.allocation_run(seminar=seminar, seed=3)
        topic_services.allocation_publish(run=run)
        people = {"placed": placed}
        for name in ("choosing", "chose", "left"):
            people[name] = registration_services.registration_create(
                seminar=seminar, student=UserFactory()
            )
        topic_services.late_choice_make(registration=people["chose"], topic=topics[4])
        withdraw(people["left"])
    return seminar, people


def offer_world() -> tuple[Seminar, dict[str, Registration]]:
    """One seat: "first" took it and withdrew at START, so "holder" holds the offer (48 hours)
    and "waiting" waits behind them."""
    with at(START):
        seminar = SeminarFactory(capacity=1, offer_hours=48)
        people = {
            name: registration_services.registration_create(seminar=seminar, student=UserFactory())
            for name in ("first", "holder", "waiting")
        }
        withdraw(people["first"])
    return seminar, {name: Registration.objects.get(pk=r.pk) for name, r in people.items()}
