"""List and dashboard pages make the same number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from seminar.enums import RegistrationStatus, StaffKind
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from seminar.tests.queries import queries_of
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db


def seminar_with(students: int, topics: int):
    seminar = SeminarFactory(capacity=students)
    session = MeetingFactory(seminar=seminar)
    supervisor = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
    materials = MaterialFactory.create_batch(3, seminar=seminar)
    for slot in range(1, topics + 1):
        topic = TopicFactory(seminar=seminar, session=session, slot=slot, supervisor=supervisor)
        topic.materials.set(materials)
    registrations = RegistrationFactory.create_batch(students, seminar=seminar)
    for i in range(students):
        RegistrationFactory(seminar=seminar, status=RegistrationStatus.WAITING, queue_number=i + 1)
    return seminar, registrations


@pytest.mark.parametrize("viewer", ["visitor", "participant"])
def test_seminar_page_queries_do_not_grow_with_topics(client, viewer):
    counts = []
    for size in (2, 30):
        seminar, registrations = seminar_with(students=size, topics=size)
        if viewer == "participant":
            client.force_login(registrations[0].student)
        counts.append(queries_of(client, seminar.get_absolute_url()))
    assert counts[0] == counts[1]


def test_dashboard_queries_do_not_grow_with_students(client):
    counts = []
    for size in (2, 50):
        seminar, registrations = seminar_with(students=size, topics=3)
        client.force_login(registrations[-1].student)
        counts.append(queries_of(client, reverse("seminar:dashboard", args=[seminar.slug])))
    assert counts[0] == counts[1]


def test_organizer_page_queries_do_not_grow_with_students(client):
    counts = []
    for size in (2, 50):
        seminar, _ = seminar_with(students=size, topics=3)
        organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
        client.force_login(organizer)
        counts.append(queries_of(client, reverse("seminar:organize", args=[seminar.slug])))
    assert counts[0] == counts[1]


def test_admin_registration_list_queries_do_not_grow_with_students(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    counts = []
    for size in (2, 50):
        seminar, _ = seminar_with(students=size, topics=1)
        url = reverse("admin:seminar_registration_changelist") + f"?seminar__id__exact={seminar.pk}"
        counts.append(queries_of(client, url))
    assert counts[0] == counts[1]


def test_seminar_list_queries_do_not_grow_with_seminars(client):
    counts = []
    for size in (2, 20):
        for _ in range(size):
            MeetingFactory()
        counts.append(queries_of(client, reverse("seminar:list")))
    assert counts[0] == counts[1]
