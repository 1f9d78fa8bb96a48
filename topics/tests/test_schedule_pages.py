"""The published schedule has no gaps: pages, e-mails and deadlines show the compacted times."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from seminar import slots
from seminar.enums import StaffKind
from seminar.services.registration import registration_create
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from topics import selectors, services
from topics.models import Preference
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out after real commits

DAY = dt.date(2031, 3, 3)


@pytest.fixture
def seminar():
    """Six topics on one day; three students who each want one of slots 1, 4 and 6."""
    seminar = SeminarFactory(capacity=4, tag="Gaps")
    session = MeetingFactory(seminar=seminar, date=DAY, start_time="09:30", slot_minutes=45)
    supervisor = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
    topics = {
        slot: TopicFactory(
            seminar=seminar, session=session, slot=slot, supervisor=supervisor, title=f"Slot {slot}"
        )
        for slot in range(1, 7)
    }
    for slot in (6, 1, 4):
        registration = RegistrationFactory(seminar=seminar, student__full_name=f"Holder {slot}")
        Preference.objects.create(registration=registration, topic=topics[slot])
    return seminar


def publish(seminar):
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    return run


def holder(seminar, slot: int):
    return seminar.registrations.get(student__full_name=f"Holder {slot}")


def talks_by_slot(seminar) -> dict[int, tuple[int, str]]:
    talks = selectors.talks_of(seminar)
    return {
        slot: (
            talks[holder(seminar, slot).pk].number,
            f"{talks[holder(seminar, slot).pk].starts_at:%H:%M}",
        )
        for slot in (1, 4, 6)
    }


def test_talks_follow_each_other_without_gaps(seminar):
    assert selectors.talks_of(seminar) == {}  # nothing before publication
    publish(seminar)
    assert talks_by_slot(seminar) == {1: (1, "09:30"), 4: (2, "10:15"), 6: (3, "11:00")}
    talk = selectors.talk_of(holder(seminar, 6))
    assert (talk.number, talk.starts_at) == (
        3,
        dt.datetime(2031, 3, 3, 11, 0, tzinfo=talk.starts_at.tzinfo),
    )
    assert talk.starts_at.utcoffset() == dt.timedelta(hours=1)  # Berlin in March, before DST


def test_reading_list_shows_the_talks_in_order_with_their_times(client, seminar):
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert "Not presented in this seminar" not in page
    assert [f"Slot {n}" for n in range(1, 7)] == re.findall(r"Slot \d", page)
    publish(seminar)
    client.force_login(holder(seminar, 1).student)
    page = client.get(seminar.get_absolute_url()).content.decode()
    rows = re.findall(r'<td class="text-nowrap">(\d\d:\d\d)</td>\s*<td>(Holder \d)', page)
    assert rows == [("09:30", "Holder 1"), ("10:15", "Holder 4"), ("11:00", "Holder 6")]
    not_presented = page.split('data-testid="not-presented">')[1].split("</ul>")[0]
    assert re.findall(r"Slot \d", not_presented) == ["Slot 2", "Slot 3", "Slot 5"]


def test_dashboard_email_and_slide_draft_deadline_use_the_compacted_time(client, seminar):
    mail.outbox.clear()
    publish(seminar)
    last = holder(seminar, 6)
    client.force_login(last.student)
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert "Monday, 3 March 2031, 11:00 (talk 3), room 1.06 (E1.1)" in page
    [email] = [m for m in mail.outbox if m.to == [last.student.email]]
    assert "  Talk:        Monday, 3 March 2031, 11:00 (talk 3), room 1.06 (E1.1)\n" in email.body
    [slide_draft] = [d for d in slots.deadlines_for(last) if d.label == "Slide draft due"]
    assert f"{slide_draft.due_at:%Y-%m-%d %H:%M}" == "2031-02-24 23:59"
    assert "- Slide draft due: Monday, 24 February 2031, 23:59" in email.body


def test_a_talk_added_later_takes_its_place_in_slot_order(seminar):
    publish(seminar)
    late = registration_create(seminar=seminar, student=UserFactory())
    services.late_choice_make(registration=late, topic=seminar.topics.get(slot=5))
    assert talks_by_slot(seminar) == {1: (1, "09:30"), 4: (2, "10:15"), 6: (4, "11:45")}
    assert selectors.talk_of(late).number == 3


def test_visitor_sees_times_but_no_names(client, seminar):
    publish(seminar)
    client.force_login(UserFactory())
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert '<td class="text-nowrap">11:00</td>' in page
    assert "Holder 6" not in page
