"""The preference form: exactly three distinct topics of the seminar, until the deadline."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminar.enums import RegistrationStatus
from seminar.tests.factories import RegistrationFactory, SeminarFactory, UserFactory
from topics.models import Preference
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
