"""The public seminar page from the cache: every change the page shows is shown at once."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grading.models import GradingScheme
from seminar.enums import MeetingKind, RegistrationStatus, StaffKind
from seminar.services.registration import registration_create
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from submissions.enums import DeliverableKind
from submissions.models import Deliverable
from topics.models import AllocationRun, Assignment
from topics.services import allocation_publish, assignment_change
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def seminar():
    seminar = SeminarFactory(title="Diffusion", capacity=2)
    MeetingFactory(seminar=seminar, date=timezone.localdate() + dt.timedelta(days=60))
    return seminar


@pytest.fixture
def page(client, seminar):
    """GET the page as a visitor without cookies; the first call fills the cache."""

    def get() -> str:
        client.cookies.clear()
        return text_of(client.get(seminar.get_absolute_url()))

    get()
    return get


def test_visitor_page_comes_from_the_cache_without_queries(client, seminar, page):
    with CaptureQueriesContext(connection) as captured:
        assert "Diffusion" in page()
    assert captured.captured_queries == []


def test_seminar_save_shows_at_once(seminar, page):
    seminar.title = "Score-based models"
    seminar.save()
    assert "Score-based models" in page()


def test_seminar_rename_of_slug_leaves_no_page_under_the_old_one(client, seminar, page):
    old_url = seminar.get_absolute_url()
    seminar.slug = "renamed"
    seminar.save()
    assert client.get(old_url).status_code == 404


def test_topic_shows_at_once(seminar, page):
    topic = TopicFactory(seminar=seminar, title="Denoising diffusion")
    assert "Denoising diffusion" in page()
    topic.title = "Denoising diffusion, revisited"
    topic.save()
    assert "Denoising diffusion, revisited" in page()
    topic.delete()
    assert "Denoising diffusion" not in page()


def test_material_and_its_reference_show_at_once(seminar, page):
    topic = TopicFactory(seminar=seminar)
    material = MaterialFactory(seminar=seminar, number=7, title="A gentle introduction")
    assert "A gentle introduction" in page()
    topic.materials.add(material)
    assert "[ 7 ]" in page()
    topic.materials.remove(material)
    assert "[ 7 ]" not in page()


def test_meeting_shows_at_once(seminar, page):
    MeetingFactory(
        seminar=seminar,
        kind=MeetingKind.KICKOFF,
        date=timezone.localdate() + dt.timedelta(days=10),
        room="328 (E 1.3)",
    )
    assert "in room 328 (E 1.3)" in page()


def test_staff_shows_at_once(seminar, page):
    role = StaffRoleFactory(seminar=seminar, initials="GG", listed_as="Greta Gruber, MSc")
    assert "Greta Gruber, MSc (GG): supervisor" in page()
    role.user.full_name = "Greta G."
    role.listed_as = ""
    role.save()
    assert "Greta Gruber, MSc" not in page()


def test_staff_rename_shows_at_once(seminar, page):
    role = StaffRoleFactory(seminar=seminar, initials="MB")
    role.user.full_name = "Moritz Bauer"
    role.user.save()
    assert "Moritz Bauer (MB): supervisor" in page()


def test_deliverable_change_shows_at_once(seminar, page):
    reports = Deliverable.objects.get(seminar=seminar, kind=DeliverableKind.REPORTS)
    reports.due_days = 21
    reports.save()
    assert "21 days after the last presentation" in page()


def test_grading_scheme_change_shows_at_once(seminar, page):
    scheme = GradingScheme.objects.get(seminar=seminar)
    scheme.weight_presentation, scheme.weight_reports = 60, 25
    scheme.save()
    assert "your presentation (60%), reports (25%)" in page()


def test_registration_count_change_shows_at_once(seminar, page):
    assert "Registration is open: 2 seats are free." in page()
    registration_create(seminar=seminar, student=UserFactory())
    assert "Registration is open: 1 seat is free." in page()
    RegistrationFactory(seminar=seminar)
    assert "The seminar is full (you can still apply for the waiting list)." in page()


def test_capacity_change_shows_at_once(seminar, page):
    seminar.capacity = 5
    seminar.save(update_fields=["capacity"])
    assert "Registration is open: 5 seats are free." in page()


def test_publication_and_hand_change_show_names_to_participants_at_once(client, seminar):
    topics = TopicFactory.create_batch(2, seminar=seminar, session=seminar.meetings.get())
    ada, bob = (
        RegistrationFactory(seminar=seminar, student=UserFactory(full_name=name))
        for name in ("Ada Lovelace", "Bob Example")
    )
    run = AllocationRun.objects.create(seminar=seminar, number=1, seed=1)
    for registration, topic in zip((ada, bob), topics, strict=True):
        Assignment.objects.create(
            run=run, registration=registration, topic=topic, reason="allocation"
        )
    client.force_login(ada.student)
    url = seminar.get_absolute_url()
    assert f"Ada Lovelace ({topics[0].mock_group}" not in text_of(client.get(url))
    allocation_publish(run=run)
    assert f"Ada Lovelace ({topics[0].mock_group}" in text_of(client.get(url))
    assignment_change(assignment=run.assignments.get(registration=ada), topic=topics[1])
    assert f"Ada Lovelace ({topics[1].mock_group}" in text_of(client.get(url))


def test_participant_sees_own_box_fresh_around_the_cached_parts(client, seminar, page):
    student = UserFactory()
    client.force_login(student)
    url = seminar.get_absolute_url()
    assert "Register" in text_of(client.get(url))
    registration_create(seminar=seminar, student=student)
    assert "You are confirmed. Your page for this seminar" in text_of(client.get(url))
    other = UserFactory()
    client.force_login(other)
    assert "You are confirmed." not in text_of(client.get(url))


def test_names_are_cached_apart_from_the_public_page(client, seminar):
    topic = TopicFactory(seminar=seminar, session=seminar.meetings.get())
    ada = RegistrationFactory(seminar=seminar, student=UserFactory(full_name="Ada Lovelace"))
    run = AllocationRun.objects.create(
        seminar=seminar, number=1, seed=1, published_at=timezone.now()
    )
    Assignment.objects.create(run=run, registration=ada, topic=topic, reason="allocation")
    client.force_login(ada.student)
    assert "Ada Lovelace (" in text_of(client.get(seminar.get_absolute_url()))
    client.logout()
    assert "Ada Lovelace (" not in text_of(client.get(seminar.get_absolute_url()))
    staff = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR).user
    client.force_login(staff)
    assert "Ada Lovelace (" in text_of(client.get(seminar.get_absolute_url()))


def test_page_changes_by_the_clock_when_registration_opens(client):
    opens = timezone.now() + dt.timedelta(hours=2)
    seminar = SeminarFactory(registration_opens_at=opens, capacity=3)
    with time_machine.travel(timezone.now(), tick=False):
        assert "Registration opens on" in text_of(client.get(seminar.get_absolute_url()))
    with time_machine.travel(opens + dt.timedelta(seconds=1), tick=False):
        page = text_of(client.get(seminar.get_absolute_url()))
    assert "Registration is open: 3 seats are free." in page


def test_page_is_rendered_again_when_an_offer_runs_out(client, seminar):
    expires = timezone.now() + dt.timedelta(hours=1)
    offered = RegistrationFactory(
        seminar=seminar, status=RegistrationStatus.OFFERED, offer_expires_at=expires
    )
    RegistrationFactory(seminar=seminar)
    assert "The seminar is full" in text_of(client.get(seminar.get_absolute_url()))
    with time_machine.travel(expires + dt.timedelta(seconds=1), tick=False):
        page = text_of(client.get(seminar.get_absolute_url()))
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.EXPIRED
    assert "Registration is open: 1 seat is free." in page


@pytest.mark.redis
def test_page_from_redis_shows_a_change_at_once(client, redis_cache):
    seminar = SeminarFactory(title="Diffusion")
    assert "Diffusion" in text_of(client.get(seminar.get_absolute_url()))
    with CaptureQueriesContext(connection) as captured:
        assert "Diffusion" in text_of(client.get(seminar.get_absolute_url()))
    assert captured.captured_queries == []
    seminar.title = "Score-based models"
    seminar.save()
    assert "Score-based models" in text_of(client.get(seminar.get_absolute_url()))


def test_presentation_criterion_shows_at_once(seminar, page):
    criterion = seminar.criteria.create(position=1, text="Use slide numbers")
    assert "Use slide numbers" in page()
    criterion.delete()
    assert "Use slide numbers" not in page()


def test_entry_of_another_shape_is_a_miss_and_replaced(client, seminar):
    from django.core.cache import cache

    from seminar.cache import local_forget

    client.get(seminar.get_absolute_url())
    version = cache.get(f"seminar-page-version:{seminar.slug}")
    key = f"seminar-page:{seminar.slug}:visitor-page:en"  # the English page
    cache.set(key, (version, b"<p>left by an older release</p>"))
    local_forget()
    assert "Diffusion" in text_of(client.get(seminar.get_absolute_url()))
    assert cache.get(key)[0] == version
    assert b"Diffusion" in cache.get(key)[2]
