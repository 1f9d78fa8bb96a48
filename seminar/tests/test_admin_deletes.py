"""Deletes in the admin go through the services or are refused with the reason, never a 500."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import ActivityEntry, Meeting, Registration, Seminar
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
    UserFactory,
)
from topics.models import AllocationRun, Assignment, Preference, Topic
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SELECTED = admin.helpers.ACTION_CHECKBOX_NAME


@pytest.fixture
def seminar():
    staff_groups_ensure()
    return SeminarFactory(title="Ours")


@pytest.fixture
def organizer(seminar, client):
    user = StaffUserFactory()
    staff_role_add(seminar=seminar, user=user, kind=StaffKind.ORGANIZER)
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def assigned_topic(seminar, *, published: bool) -> tuple[Topic, AllocationRun]:
    topic = TopicFactory(seminar=seminar, title="Assigned")
    registration = RegistrationFactory(seminar=seminar)
    run = AllocationRun.objects.create(seminar=seminar, number=1, seed=1)
    Assignment.objects.create(run=run, registration=registration, topic=topic, reason="allocation")
    if published:
        AllocationRun.objects.filter(pk=run.pk).update(published_at=run.created_at)
    return topic, run


def test_registrations_are_never_deleted_in_the_admin(client, seminar):
    registration = RegistrationFactory(seminar=seminar)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:seminar_registration_delete", args=[registration.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    response = client.get(reverse("admin:seminar_registration_changelist"))
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "promote", "remove", "export_csv"]
    assert Registration.objects.filter(pk=registration.pk).exists() is True


def test_published_allocation_cannot_be_deleted(client, seminar, organizer):
    _, run = assigned_topic(seminar, published=True)
    response = client.post(
        reverse("admin:topics_allocationrun_delete", args=[run.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Allocation run {run.number} is published: students were told their topics. "
        "It cannot be deleted; change single assignments instead."
    ]
    response = client.post(
        reverse("admin:topics_allocationrun_changelist"),
        {"action": "delete_selected", SELECTED: [run.pk], "post": "yes"},
    )
    assert AllocationRun.objects.filter(pk=run.pk).exists() is True


def test_draft_allocation_is_deleted_through_the_service(client, seminar, organizer):
    _, run = assigned_topic(seminar, published=False)
    client.post(reverse("admin:topics_allocationrun_delete", args=[run.pk]), {"post": "yes"})
    assert AllocationRun.objects.filter(pk=run.pk).exists() is False
    entry = ActivityEntry.objects.get(action="allocation.deleted")
    assert (entry.actor, entry.seminar, entry.object_id) == (organizer, seminar, str(run.pk))


def test_assigned_topic_deleted_on_the_seminar_page_is_a_form_error(client, seminar, organizer):
    topic, _ = assigned_topic(seminar, published=False)
    url = reverse("admin:seminar_seminar_change", args=[seminar.pk])
    data = page_data(client.get(url)) | {"topics-0-DELETE": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    topics = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Topic
    )
    assert topics.non_form_errors() == [
        "'Assigned (2022)' cannot be deleted: it is assigned in 1 allocation entry. "
        "Change its details instead."
    ]
    assert Topic.objects.filter(pk=topic.pk).exists() is True


def test_topic_students_chose_is_not_deleted(client, seminar, organizer):
    topic = TopicFactory(seminar=seminar, title="Chosen", year=None)
    Preference.objects.create(registration=RegistrationFactory(seminar=seminar), topic=topic)
    spare = TopicFactory(seminar=seminar)
    response = client.post(
        reverse("admin:topics_topic_changelist"),
        {"action": "delete_selected", SELECTED: [topic.pk, spare.pk], "post": "yes"},
    )
    assert list(Topic.objects.filter(seminar=seminar)) == [topic]
    assert messages_of(response)[0] == (
        "'Chosen' cannot be deleted: 1 student chose it. Change its details instead."
    )
    assert ActivityEntry.objects.filter(action="topic.deleted").count() == 1


def test_session_with_talks_is_not_deleted(client, seminar, organizer):
    session = MeetingFactory(seminar=seminar)
    TopicFactory(seminar=seminar, session=session, slot=1)
    url = reverse("admin:seminar_seminar_change", args=[seminar.pk])
    response = client.post(url, page_data(client.get(url)) | {"meetings-0-DELETE": "on"})
    meetings = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Meeting
    )
    assert meetings.non_form_errors() == [
        f"1 talk is scheduled in the session of {session.date:%Y-%m-%d}; "
        "move it to another session first."
    ]
    assert Meeting.objects.filter(pk=session.pk).exists() is True


def test_seminar_with_registrations_is_not_deleted(client, seminar, organizer):
    RegistrationFactory(seminar=seminar, status=RegistrationStatus.WITHDRAWN)
    response = client.post(
        reverse("admin:seminar_seminar_delete", args=[seminar.pk]), {"post": "yes"}
    )
    assert messages_of(response) == [
        "1 student has registered for Ours; a seminar with registrations cannot be deleted. "
        "Remove what is wrong instead."
    ]
    assert Seminar.objects.filter(pk=seminar.pk).exists() is True


def test_empty_seminar_is_deleted_by_its_organizer_only(client, seminar, organizer):
    supervisor = StaffUserFactory()
    staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    url = reverse("admin:seminar_seminar_delete", args=[seminar.pk])
    client.force_login(supervisor)
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.force_login(organizer)
    client.post(url, {"post": "yes"})
    assert Seminar.objects.filter(pk=seminar.pk).exists() is False
    organizer.refresh_from_db()
    assert (list(organizer.groups.all()), organizer.is_staff) == ([], False)
    assert ActivityEntry.objects.filter(action="seminar.deleted").count() == 1


def test_staff_groups_and_registered_people_are_not_deleted(client, seminar):
    student = RegistrationFactory(seminar=seminar).student
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    organizers = Group.objects.get(name="Organizer")
    client.post(reverse("admin:auth_group_delete", args=[organizers.pk]), {"post": "yes"})
    client.post(reverse("admin:seminar_user_delete", args=[student.pk]), {"post": "yes"})
    assert Group.objects.filter(pk=organizers.pk).exists() is True
    assert Registration.objects.filter(student=student).exists() is True
