"""The preference form: exactly three distinct topics of the seminar, until the deadline."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import Conflict
from seminar.models import ActivityEntry
from seminar.tests.factories import (
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from topics import services
from topics.models import Preference
from topics.rules import preference_refusal
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

Status = RegistrationStatus


@pytest.fixture
def seminar():
    return SeminarFactory(
        preferences_opened_at=timezone.now() - dt.timedelta(days=1),
        preference_deadline=timezone.now() + dt.timedelta(days=3),
    )


@pytest.fixture
def topics(seminar):
    return TopicFactory.create_batch(5, seminar=seminar)


@pytest.fixture
def participant(seminar):
    return RegistrationFactory(seminar=seminar)


def url(seminar) -> str:
    return reverse("topics:preferences", kwargs={"slug": seminar.slug})


def post(client, seminar, ids) -> tuple[int, str]:
    response = client.post(url(seminar), {"topics": [str(i) for i in ids]})
    return response.status_code, response.content.decode()


def stored(registration) -> set[int]:
    return set(
        Preference.objects.filter(registration=registration).values_list("topic_id", flat=True)
    )


def test_three_topics_are_stored(client, seminar, topics, participant):
    client.force_login(participant.student)
    status, _ = post(client, seminar, [topics[0].pk, topics[2].pk, topics[4].pk])
    assert status == 302
    assert stored(participant) == {topics[0].pk, topics[2].pk, topics[4].pk}


def test_change_before_deadline_replaces_preferences(client, seminar, topics, participant):
    client.force_login(participant.student)
    post(client, seminar, [t.pk for t in topics[:3]])
    post(client, seminar, [t.pk for t in topics[2:]])
    assert stored(participant) == {t.pk for t in topics[2:]}


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        ([0, 1], "Choose exactly three topics; you chose 2."),
        ([0, 1, 2, 3], "Choose exactly three topics; you chose 4."),
        ([], "Choose exactly three topics."),
        ([0, 1, 1], "Choose three different topics; a topic was chosen twice."),
    ],
)
def test_wrong_number_or_repeat_is_refused(client, seminar, topics, participant, picked, message):
    client.force_login(participant.student)
    post(client, seminar, [topics[i].pk for i in (0, 1, 2)])
    status, page = post(client, seminar, [topics[i].pk for i in picked])
    assert status == 400
    assert message in page
    assert stored(participant) == {topics[0].pk, topics[1].pk, topics[2].pk}


def test_topic_of_another_seminar_is_refused(client, seminar, topics, participant):
    foreign = TopicFactory()
    client.force_login(participant.student)
    status, page = post(client, seminar, [topics[0].pk, topics[1].pk, foreign.pk])
    assert status == 400
    assert "One of the chosen topics is not a topic of this seminar." in page
    assert stored(participant) == set()


def test_tampered_id_is_refused(client, seminar, topics, participant):
    client.force_login(participant.student)
    status, page = post(client, seminar, [topics[0].pk, topics[1].pk, "1 OR 1=1"])
    assert status == 400
    assert "One of the chosen topics is not a topic of this seminar." in page
    assert stored(participant) == set()


def test_change_after_deadline_is_refused_and_form_read_only(client, seminar, topics, participant):
    client.force_login(participant.student)
    post(client, seminar, [t.pk for t in topics[:3]])
    seminar.preference_deadline = timezone.now() - dt.timedelta(minutes=1)
    seminar.save()
    status, page = post(client, seminar, [t.pk for t in topics[2:]])
    assert status == 403
    assert "The preference deadline has passed; your preferences can no longer change." in page
    assert stored(participant) == {t.pk for t in topics[:3]}
    assert "<fieldset disabled>" in client.get(url(seminar)).content.decode()


def test_form_closed_before_organizer_opens_it(client, topics, participant, seminar):
    seminar.preferences_opened_at = None
    seminar.save()
    client.force_login(participant.student)
    status, page = post(client, seminar, [t.pk for t in topics[:3]])
    assert status == 403
    assert "The preference form is not open yet; it opens after the kick-off." in page
    assert stored(participant) == set()


@pytest.mark.parametrize("who", ["stranger", "withdrawn", "removed"])
def test_non_participant_is_refused(client, seminar, topics, who):
    if who == "stranger":
        student = UserFactory()
    else:
        student = RegistrationFactory(seminar=seminar, status=who).student
    client.force_login(student)
    status, page = post(client, seminar, [t.pk for t in topics[:3]])
    assert status == 403
    assert "Only participants of this seminar can send topic preferences." in page
    assert Preference.objects.count() == 0


def test_waiting_list_student_may_send_preferences(client, seminar, topics):
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    client.force_login(waiting.student)
    status, _ = post(client, seminar, [t.pk for t in topics[:3]])
    assert status == 302
    assert stored(waiting) == {t.pk for t in topics[:3]}


def test_form_shows_titles_years_and_materials(client, seminar, topics, participant):
    client.force_login(participant.student)
    page = client.get(url(seminar)).content.decode()
    for topic in topics:
        assert f"<strong>{topic.title}</strong> (2022)" in page


def ticked_in(page: str, topics) -> list[int]:
    return [i for i, t in enumerate(topics) if f'value="{t.pk}" id="topic-{t.pk}" checked' in page]


def test_refused_form_keeps_what_was_ticked(client, seminar, topics, participant):
    client.force_login(participant.student)
    post(client, seminar, [t.pk for t in topics[:3]])
    status, page = post(client, seminar, [topics[3].pk, topics[4].pk])
    assert status == 400
    assert ticked_in(page, topics) == [3, 4]
    assert 'aria-describedby="preferences-error"' in page
    assert stored(participant) == {t.pk for t in topics[:3]}


def test_same_three_again_is_not_a_change(client, seminar, topics, participant):
    client.force_login(participant.student)
    post(client, seminar, [t.pk for t in topics[:3]])
    status, _ = post(client, seminar, [t.pk for t in reversed(topics[:3])])
    assert status == 302
    assert ActivityEntry.objects.filter(action="preferences.set").count() == 1


def published_to(participant, topic):
    """Publish an allocation in which the participant holds `topic`."""
    Preference.objects.filter(registration=participant).delete()
    Preference.objects.create(registration=participant, topic=topic)
    run = services.allocation_run(seminar=participant.seminar, seed=1)
    services.allocation_publish(run=run)
    assert run.assignments.get(registration=participant).topic == topic


def test_form_is_read_only_after_publication_for_a_topic_holder(
    client, seminar, topics, participant
):
    published_to(participant, topics[0])
    client.force_login(participant.student)
    page = client.get(url(seminar)).content.decode()
    assert "Your topic is published; your preferences can no longer change." in page
    assert "<fieldset disabled>" in page
    assert "Save my preferences" not in page
    status, _ = post(client, seminar, [t.pk for t in topics[2:]])
    assert status == 403
    assert stored(participant) == {topics[0].pk}


def test_student_waiting_for_a_seat_may_still_send_after_publication(
    client, seminar, topics, participant
):
    published_to(participant, topics[0])
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    client.force_login(waiting.student)
    status, _ = post(client, seminar, [t.pk for t in topics[2:]])
    assert status == 302
    assert stored(waiting) == {t.pk for t in topics[2:]}


@pytest.mark.parametrize(
    ("situation", "allowed"),
    [
        ("participant", True),
        ("waiting", True),
        ("withdrawn", False),
        ("not_open", False),
        ("deadline_passed", False),
        ("holds_published_topic", False),
    ],
)
def test_one_decision_for_form_service_and_dashboard(client, seminar, topics, situation, allowed):
    status = situation if situation in ("waiting", "withdrawn") else Status.CONFIRMED
    registration = RegistrationFactory(seminar=seminar, status=status)
    if situation == "not_open":
        seminar.preferences_opened_at = None
    if situation == "deadline_passed":
        seminar.preference_deadline = timezone.now() - dt.timedelta(minutes=1)
    seminar.save()
    if situation == "holds_published_topic":
        published_to(registration, topics[0])
    refusal = preference_refusal(seminar, registration)
    assert (refusal is None) == allowed
    client.force_login(registration.student)
    page = client.get(url(seminar)).content.decode()
    assert ("Save my preferences" in page) == allowed
    dashboard = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert (f'href="{url(seminar)}"' in dashboard) == allowed
    status, _ = post(client, seminar, [t.pk for t in topics[1:4]])
    assert status == (302 if allowed else 403)


@pytest.mark.django_db(transaction=True)  # e-mails go out after real commits
def test_opening_the_form_emails_participants_and_those_in_line_once(client):
    seminar = SeminarFactory(tag="Open", preference_deadline=timezone.now() + dt.timedelta(days=4))
    confirmed = RegistrationFactory(seminar=seminar)
    offered = RegistrationFactory(
        seminar=seminar,
        status=Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(days=1),
    )
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    RegistrationFactory(seminar=seminar, status=Status.WITHDRAWN)
    organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
    client.force_login(organizer)
    mail.outbox.clear()

    client.post(reverse("topics:preferences_open", args=[seminar.slug]))
    again = client.post(reverse("topics:preferences_open", args=[seminar.slug]), follow=True)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.student.email for r in (confirmed, offered, waiting)
    )
    deadline = timezone.localtime(seminar.preference_deadline)
    assert {m.subject for m in mail.outbox} == {
        f"[Open] Send your three topic preferences by {deadline:%-d %B, %H:%M}"
    }
    assert f"/{seminar.slug}/preferences/" in mail.outbox[0].body
    assert "The preference form is open already." in again.content.decode()
    entry = ActivityEntry.objects.get(action="preferences.opened")
    assert entry.actor == organizer
    with pytest.raises(Conflict):
        services.preferences_open(seminar=seminar)
