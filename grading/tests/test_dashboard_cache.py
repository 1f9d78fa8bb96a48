"""The student dashboard reads the seminar-wide parts (sessions, deliverables, grading scheme,
criteria, published schedule) once per page and keeps them for the seminar's page version: a
second read asks the database only about the student, and every change shows at once."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.services import grades_release
from grading.tests.factories import grade_completely, grading_world
from seminar.models import Meeting
from submissions.enums import DeliverableKind
from submissions.models import Deliverable

pytestmark = pytest.mark.django_db

SEMINAR_WIDE = {
    "seminar_meeting",
    "submissions_deliverable",
    "grading_gradingscheme",
    "seminar_presentationcriterion",
    "topics_allocationrun",
}


def tables_read(captured) -> set[str]:
    return {
        match.group(1)
        for query in captured.captured_queries
        for match in [re.search(r'\bFROM "(\w+)"', query["sql"])]
        if match
    }


def dashboard(client, world):
    return client.get(reverse("seminar:dashboard", args=[world.seminar.slug]))


def part(response, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert match is not None, testid
    return match.group(1).strip()


@pytest.fixture
def world(client):
    world = grading_world(2)
    for registration in world.students:
        grade_completely(registration, by=world.organizer)
    client.force_login(world.students[0].student)
    return world


def test_dashboard_second_read_asks_nothing_seminar_wide(client, world):
    grades_release(seminar=world.seminar, by=world.organizer)
    with CaptureQueriesContext(connection) as first:
        assert dashboard(client, world).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert dashboard(client, world).status_code == 200
    assert tables_read(first) & SEMINAR_WIDE == SEMINAR_WIDE
    assert tables_read(second) & SEMINAR_WIDE == set()


class Unreachable:
    def __getattr__(self, name):
        def unreachable(*args, **kwargs):
            raise ConnectionError("cache down")

        return unreachable


def test_dashboard_reads_every_time_without_a_cache(client, world, monkeypatch, caplog):
    grades_release(seminar=world.seminar, by=world.organizer)
    monkeypatch.setattr("seminar.cache.cache", Unreachable())
    dashboard(client, world)
    with CaptureQueriesContext(connection) as second:
        response = dashboard(client, world)
    assert response.status_code == 200
    assert tables_read(second) & SEMINAR_WIDE == SEMINAR_WIDE
    assert "cache unreachable: seminar answers read afresh" in caplog.messages


def test_dashboard_shows_released_grades_at_once(client, world):
    assert "my-final-grade" not in dashboard(client, world).content.decode()
    grades_release(seminar=world.seminar, by=world.organizer)
    assert part(dashboard(client, world), "my-final-grade").startswith("Final grade: <strong>")


def test_dashboard_shows_a_moved_session_at_once(client, world):
    before = part(dashboard(client, world), "my-talk")
    registration = world.students[0]
    from topics.selectors import talks_of

    session = Meeting.objects.get(pk=talks_of(world.seminar)[registration.pk].session.pk)
    session.start_time = dt.time(13, 5)
    session.save()
    after = part(dashboard(client, world), "my-talk")
    assert before != after
    assert re.search(r", 13:05 \(talk 1\)|, 1[3-9]:\d\d \(talk", after) is not None


def test_dashboard_shows_a_changed_deadline_at_once(client, world):
    reports = Deliverable.objects.get(seminar=world.seminar, kind=DeliverableKind.REPORTS)
    before = dashboard(client, world).content.decode()
    reports.due_days += 3
    reports.save()
    after = dashboard(client, world).content.decode()
    assert before != after
    due = re.findall(r"\d{1,2} \w+ \d{4}", after)
    assert due != re.findall(r"\d{1,2} \w+ \d{4}", before)
