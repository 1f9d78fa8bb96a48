"""Students confirmed after publication choose a free topic, or get one at random in time."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services import registration as registration_services
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from topics import services
from topics.enums import AssignmentReason
from topics.models import Assignment, Preference, TopicSettings
from topics.tasks import late_choices_expire_all
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out after real commits

Reason = AssignmentReason
NOW = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)  # 10:00 in Berlin


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def seminar(clock):
    """Published: two of four topics held, two seats free, registration open."""
    seminar = SeminarFactory(capacity=4, tag="Late")
    session = MeetingFactory(seminar=seminar, date=dt.date(2030, 3, 4))
    supervisor = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
    topics = [
        TopicFactory(
            seminar=seminar, session=session, slot=slot, supervisor=supervisor, title=f"Paper {c}"
        )
        for slot, c in enumerate("ABCD", start=1)
    ]
    holders = RegistrationFactory.create_batch(2, seminar=seminar)
    for holder, topic in zip(holders, topics, strict=False):
        Preference.objects.create(registration=holder, topic=topic)
    run = services.allocation_run(seminar=seminar, seed=5)
    services.allocation_publish(run=run)
    assert sorted(run.assignments.values_list("topic__title", flat=True)) == ["Paper A", "Paper B"]
    mail.outbox.clear()
    return seminar


def join(seminar, **user):
    student = UserFactory(**user)
    registration_services.registration_create(seminar=seminar, student=student)
    return Assignment.objects.get(registration__student=student)


def subjects(student) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [student.email]]


def body_to(student) -> str:
    return next(m.body for m in reversed(mail.outbox) if m.to == [student.email])


def test_late_joiner_has_no_topic_until_they_choose(client, seminar):
    late = join(seminar, full_name="Lena Late")
    assert (late.topic, late.reason) == (None, Reason.LATE_WAITING)
    assert late.choice_due_at == NOW + dt.timedelta(hours=48)
    entry = ActivityEntry.objects.get(action="assignment.late_waiting")
    assert (entry.object_id, entry.new) == (
        str(late.pk),
        {"topic": None, "choice_due_at": "2030-01-09T09:00:00Z"},
    )
    assert subjects(late.registration.student) == [
        "[Late] Your seat is confirmed",
        "[Late] Choose your topic by 9 January, 10:00",
    ]
    body = body_to(late.registration.student)
    assert f"/{seminar.slug}/topic/choose/" in body
    assert "Choose by Wednesday, 9 January 2030, 10:00." in body
    assert "Free right now:\n- Paper C (2022)\n- Paper D (2022)" in body
    client.force_login(late.registration.student)
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert (
        "You joined after the topics were published: choose your topic among those still free."
        in page
    )
    assert "Choose by <strong>Wednesday, 9 January 2030, 10:00</strong>" in page
    assert "Choose your topic (2 free)" in page
    assert "none of your preferences" not in page.lower()


def test_organizer_sees_late_joiner_waiting_for_a_choice(client, seminar):
    join(seminar, full_name="Lena Late")
    organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
    client.force_login(organizer)
    allocation = client.get(reverse("topics:allocation", args=[seminar.slug])).content.decode()
    assert (
        "Joined after publication, choosing among the free topics: Lena Late (until 9 January, "
        "10:00)." in allocation
    )
    organize = client.get(reverse("seminar:organize", args=[seminar.slug])).content.decode()
    assert "Waiting for their choice of topic: Lena Late (until 9 January, 10:00)." in organize


def test_late_joiner_chooses_a_free_topic(client, seminar):
    late = join(seminar)
    paper_c = seminar.topics.get(title="Paper C")
    client.force_login(late.registration.student)
    url = reverse("topics:late_choice", args=[seminar.slug])
    page = client.get(url).content.decode()
    assert [t for t in ("Paper A", "Paper B", "Paper C", "Paper D") if t in page] == [
        "Paper C",
        "Paper D",
    ]
    response = client.post(url, {"topic": paper_c.pk})
    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.topic, late.reason, late.choice_due_at) == (paper_c, Reason.LATE_CHOICE, None)
    assert subjects(late.registration.student)[-1] == "[Late] Your topic: Paper C"
    told = "You joined after the topics were published and chose this topic among those still free."
    assert told in body_to(late.registration.student)
    dashboard = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert told in dashboard
    entry = ActivityEntry.objects.get(action="assignment.late_chosen")
    assert (entry.actor, entry.new) == (late.registration.student, {"topic": paper_c.pk})


def test_choice_page_marks_the_free_topics_among_own_preferences(client, seminar):
    late = join(seminar)
    Preference.objects.bulk_create(
        Preference(registration=late.registration, topic=t)
        for t in seminar.topics.filter(title__in=["Paper A", "Paper B", "Paper D"])
    )
    client.force_login(late.registration.student)
    page = client.get(reverse("topics:late_choice", args=[seminar.slug])).content.decode()
    badge = '<span class="badge text-bg-primary">one of your preferences</span>'
    assert f"<strong>Paper D</strong> (2022) {badge}" in page
    assert "<strong>Paper C</strong> (2022)</label>" in page


def test_topic_taken_meanwhile_is_refused_and_the_free_ones_are_shown(client, seminar):
    first, second = join(seminar), join(seminar)
    paper_c = seminar.topics.get(title="Paper C")
    services.late_choice_make(registration=first.registration, topic=paper_c)
    client.force_login(second.registration.student)
    response = client.post(
        reverse("topics:late_choice", args=[seminar.slug]), {"topic": paper_c.pk}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "“Paper C” is no longer free; please choose another topic." in page
    assert 'value="' + str(seminar.topics.get(title="Paper D").pk) + '"' in page
    assert f'value="{paper_c.pk}"' not in page
    second.refresh_from_db()
    assert (second.topic, second.reason) == (None, Reason.LATE_WAITING)


def test_choice_without_a_topic_keeps_the_page_and_says_why(client, seminar):
    late = join(seminar)
    client.force_login(late.registration.student)
    response = client.post(reverse("topics:late_choice", args=[seminar.slug]), {})
    assert response.status_code == 400
    assert "Choose one of the free topics." in response.content.decode()


def test_student_holding_a_topic_has_nothing_to_choose(client, seminar):
    holder = Assignment.objects.filter(run__seminar=seminar, topic__isnull=False).first()
    client.force_login(holder.registration.student)
    url = reverse("topics:late_choice", args=[seminar.slug])
    assert client.get(url).status_code == 302
    response = client.post(url, {"topic": seminar.topics.get(title="Paper D").pk})
    assert response.status_code == 409
    holder_topic = holder.topic_id
    holder.refresh_from_db()
    assert holder.topic_id == holder_topic


def test_without_a_choice_the_task_assigns_a_free_preference_at_random(seminar, clock):
    late = join(seminar)
    paper_d = seminar.topics.get(title="Paper D")
    Preference.objects.bulk_create(
        Preference(registration=late.registration, topic=t)
        for t in seminar.topics.filter(title__in=["Paper A", "Paper B", "Paper D"])
    )
    clock.move_to(NOW + dt.timedelta(hours=47, minutes=59))
    assert late_choices_expire_all() == 0
    clock.move_to(NOW + dt.timedelta(hours=48))
    assert late_choices_expire_all() == 1
    assert late_choices_expire_all() == 0  # a second run finds nothing
    late.refresh_from_db()
    assert (late.topic, late.reason, late.choice_due_at) == (paper_d, Reason.LATE_RANDOM, None)
    student = late.registration.student
    assert subjects(student)[-1] == "[Late] Your topic: Paper D"
    assert (
        "You joined after the topics were published and chose no topic in time, so this free "
        "topic was assigned to you at random; it is one of your preferences." in body_to(student)
    )
    entry = ActivityEntry.objects.get(action="assignment.late_assigned")
    assert (entry.actor_name, entry.new) == (
        "system",
        {"topic": paper_d.pk, "one_of_preferences": True},
    )


def test_without_a_choice_any_free_topic_is_assigned_on_the_next_page_read(client, seminar, clock):
    late = join(seminar)
    clock.move_to(NOW + dt.timedelta(hours=49))
    client.force_login(UserFactory())  # anyone reading the seminar's page
    client.get(seminar.get_absolute_url())
    late.refresh_from_db()
    assert late.reason == Reason.LATE_RANDOM
    assert late.topic.title in {"Paper C", "Paper D"}
    entry = ActivityEntry.objects.get(action="assignment.late_assigned")
    assert entry.actor_name == "system"


def test_random_draw_is_repeatable_from_the_run_seed(seminar, clock):
    late = join(seminar)
    clock.move_to(NOW + dt.timedelta(hours=48))
    services.late_choices_expire(seminar=seminar)
    late.refresh_from_db()
    first = late.topic_id
    # Back to waiting, as if the same moment came again: the same draw.
    Assignment.objects.filter(pk=late.pk).update(
        topic=None, reason=Reason.LATE_WAITING, choice_due_at=timezone.now()
    )
    services.late_choices_expire(seminar=seminar)
    late.refresh_from_db()
    assert late.topic_id == first


def test_no_hours_to_choose_assigns_a_free_topic_at_once(seminar):
    TopicSettings.objects.filter(seminar=seminar).update(late_choice_hours=0)
    late = join(seminar)
    assert late.reason == Reason.LATE_RANDOM
    assert late.topic.title in {"Paper C", "Paper D"}
    assert subjects(late.registration.student)[-1] == f"[Late] Your topic: {late.topic.title}"


def test_without_free_topics_the_late_joiner_waits_then_hears_from_the_organizer(
    client, seminar, clock
):
    first, second = join(seminar), join(seminar)
    services.late_choice_make(
        registration=first.registration, topic=seminar.topics.get(title="Paper C")
    )
    services.late_choice_make(
        registration=second.registration, topic=seminar.topics.get(title="Paper D")
    )
    registration_services.seminar_capacity_set(seminar=seminar, capacity=5)
    third = join(seminar)
    assert "Right now no topic is free." in body_to(third.registration.student)
    clock.move_to(NOW + dt.timedelta(hours=48))
    late_choices_expire_all()
    third.refresh_from_db()
    assert (third.topic, third.reason) == (None, Reason.LATE_RANDOM)
    client.force_login(third.registration.student)
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert "no topic was free, so the organizer will contact you." in page


def test_organizer_sets_the_hours_to_choose(client, seminar):
    organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
    url = reverse("topics:late_choice_hours", args=[seminar.slug])
    client.force_login(UserFactory())
    assert client.post(url, {"late_choice_hours": "12"}).status_code == 404
    client.force_login(organizer)
    client.post(url, {"late_choice_hours": "12"})
    assert TopicSettings.objects.get(seminar=seminar).late_choice_hours == 12
    entry = ActivityEntry.objects.get(action="topics.late_choice_hours_set")
    assert (entry.actor, entry.old, entry.new) == (
        organizer,
        {"late_choice_hours": 48},
        {"late_choice_hours": 12},
    )
    response = client.post(url, {"late_choice_hours": "-1"}, follow=True)
    assert "The hours must be a whole number from 0 to 720." in response.content.decode()
    assert join(seminar).choice_due_at == NOW + dt.timedelta(hours=12)


def test_new_seminar_gets_topic_settings_with_48_hours():
    assert TopicSettings.objects.get(seminar=SeminarFactory()).late_choice_hours == 48
