"""The topic admin says why a supervisor, session or material list is empty."""

import pytest
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.factories import MeetingFactory, SeminarFactory, StaffUserFactory
from topics.admin import EMPTY_CHOICES
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(client):
    staff_groups_ensure()
    seminar = SeminarFactory()
    user = StaffUserFactory()
    staff_role_add(seminar=seminar, user=user, kind=StaffKind.ORGANIZER)
    client.force_login(user)
    return seminar


def _help_texts(form) -> dict:
    return {name: str(form.fields[name].help_text) for name in EMPTY_CHOICES}


def test_topic_admin_empty_choices_say_what_to_save_first(client, seminar):
    topic = TopicFactory(seminar=seminar)
    response = client.get(reverse("admin:topics_topic_change", args=[topic.pk]))
    assert _help_texts(response.context["adminform"].form) == {
        name: str(text) for name, text in EMPTY_CHOICES.items()
    }
    assert "No supervisors to choose yet: add them under Staff" in response.content.decode()


def test_topic_admin_choices_present_no_message(client, seminar):
    staff_role_add(seminar=seminar, user=StaffUserFactory(), kind=StaffKind.SUPERVISOR)
    MeetingFactory(seminar=seminar)
    topic = TopicFactory(seminar=seminar)
    response = client.get(reverse("admin:topics_topic_change", args=[topic.pk]))
    texts = _help_texts(response.context["adminform"].form)
    assert (texts["supervisor"], texts["session"]) == ("", "")


def test_seminar_admin_topic_inline_says_why_supervisors_are_missing(client, seminar):
    TopicFactory(seminar=seminar)
    response = client.get(reverse("admin:seminar_seminar_change", args=[seminar.pk]))
    page = response.content.decode()
    assert "No supervisors to choose yet: add them under Staff" in page
    assert "No sessions to choose yet: add them under Meetings" in page
