"""The organizer's allocation page and the query counts of the topic pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from seminar.enums import StaffKind
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from seminar.tests.queries import queries_of
from topics import services
from topics.models import AllocationRun, Preference
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db


def seminar_with(students: int):
    seminar = SeminarFactory(
        capacity=students,
        preferences_opened_at=timezone.now() - dt.timedelta(days=1),
        preference_deadline=timezone.now() + dt.timedelta(days=1),
    )
    session = MeetingFactory(seminar=seminar)
    supervisors = StaffRoleFactory.create_batch(2, seminar=seminar, kind=StaffKind.SUPERVISOR)
    materials = MaterialFactory.create_batch(2, seminar=seminar)
    topics = []
    for slot in range(1, students + 1):
        topic = TopicFactory(
            seminar=seminar, session=session, slot=slot, supervisor=supervisors[slot % 2]
        )
        topic.materials.set(materials)
        topics.append(topic)
    registrations = RegistrationFactory.create_batch(students, seminar=seminar)
    for i, registration in enumerate(registrations):
        Preference.objects.bulk_create(
            Preference(registration=registration, topic=topics[(i + k) % students])
            for k in range(min(3, students))
        )
    organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
    return seminar, registrations, organizer


def test_allocation_page_is_404_for_non_organizers(client):
    seminar, registrations, _ = seminar_with(2)
    url = reverse("topics:allocation", args=[seminar.slug])
    for user in (registrations[0].student, UserFactory(), StaffRoleFactory(seminar=seminar).user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"seed": "1"}).status_code == 404
    assert AllocationRun.objects.count() == 0
    client.force_login(registrations[0].student)
    run = services.allocation_run(seminar=seminar, seed=1)
    publish = reverse("topics:allocation_publish", args=[seminar.slug, run.pk])
    assert (client.get(publish).status_code, client.post(publish).status_code) == (404, 404)
    run.refresh_from_db()
    assert run.published_at is None


def test_organizer_runs_previews_and_publishes(client):
    seminar, registrations, organizer = seminar_with(3)
    client.force_login(organizer)
    response = client.post(
        reverse("topics:allocation", args=[seminar.slug]), {"seed": "11"}, follow=True
    )
    run = AllocationRun.objects.get()
    assert run.seed == 11
    assert (
        "<strong>3 of 3</strong> students hold one of their preferences."
        in response.content.decode()
    )
    assert "Run 1 · seed 11 · draft" in response.content.decode()
    publish = reverse("topics:allocation_publish", args=[seminar.slug, run.pk])
    confirm = client.get(publish).content.decode()
    assert "<strong>3 students</strong> their topic" in confirm
    run.refresh_from_db()
    assert run.published_at is None  # asking changes nothing
    client.post(publish)
    run.refresh_from_db()
    assert run.published_at is not None


def test_bad_seed_is_refused_and_nothing_runs(client):
    seminar, _, organizer = seminar_with(2)
    client.force_login(organizer)
    response = client.post(reverse("topics:allocation", args=[seminar.slug]), {"seed": "-5"})
    assert "The seed must be a whole number from 0." in response.content.decode()
    assert AllocationRun.objects.count() == 0


def test_allocation_preview_queries_do_not_grow_with_students(client):
    counts = []
    for size in (2, 30):
        seminar, _, organizer = seminar_with(size)
        run = services.allocation_run(seminar=seminar, seed=1)
        client.force_login(organizer)
        counts.append(
            queries_of(client, reverse("topics:allocation_run", args=[seminar.slug, run.pk]))
        )
    assert counts[0] == counts[1]


def test_preference_page_queries_do_not_grow_with_students(client):
    counts = []
    for size in (2, 30):
        seminar, registrations, _ = seminar_with(size)
        client.force_login(registrations[0].student)
        counts.append(queries_of(client, reverse("topics:preferences", args=[seminar.slug])))
    assert counts[0] == counts[1]


def test_published_reading_list_queries_do_not_grow_with_students(client):
    counts = []
    for size in (2, 30):
        seminar, registrations, _ = seminar_with(size)
        services.allocation_publish(run=services.allocation_run(seminar=seminar, seed=1))
        client.force_login(registrations[0].student)
        counts.append(queries_of(client, seminar.get_absolute_url()))
        counts.append(queries_of(client, reverse("seminar:dashboard", args=[seminar.slug])))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


def test_hand_change_panel_shows_preferences_and_which_topics_are_free(client):
    seminar, registrations, organizer = seminar_with(3)
    spare = TopicFactory(seminar=seminar, title="Spare paper")
    run = services.allocation_run(seminar=seminar, seed=1)
    client.force_login(organizer)
    page = client.get(
        reverse("topics:allocation_run", args=[seminar.slug, run.pk])
    ).content.decode()
    first = run.assignments.get(registration=registrations[0])
    wanted = sorted(
        Preference.objects.filter(registration=registrations[0]).values_list(
            "topic__title", flat=True
        )
    )
    cell = page.split(f'data-testid="preferences-{first.pk}">')[1].split("</td>")[0]
    assert sorted(title.removesuffix(" ✓") for title in _texts(cell)) == wanted
    assert f"<strong>{first.topic.title} ✓</strong>" in cell
    assert f'<option value="{spare.pk}">Spare paper · free</option>' in page
    held = run.assignments.get(registration=registrations[1])
    label = f"{held.topic.title} · held by {registrations[1].student.full_name} (swap)"
    assert f'<option value="{held.topic_id}">{label}</option>' in page


def _texts(cell: str) -> list[str]:
    return [t for t in re.sub(r"<[^>]+>", "|", cell).split("|") if t.strip()]


def test_late_choice_page_queries_do_not_grow_with_students(client):
    counts = []
    for size in (2, 30):
        seminar, registrations, _ = seminar_with(size)
        TopicFactory.create_batch(3, seminar=seminar)
        services.allocation_publish(run=services.allocation_run(seminar=seminar, seed=1))
        late = RegistrationFactory(seminar=seminar)
        services.late_joiner_place(registration=late)
        client.force_login(late.student)
        counts.append(queries_of(client, reverse("topics:late_choice", args=[seminar.slug])))
        counts.append(queries_of(client, reverse("seminar:dashboard", args=[seminar.slug])))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]
