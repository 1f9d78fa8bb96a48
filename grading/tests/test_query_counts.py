"""The grading pages and both exports make as many queries with 50 students as with 2."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.services import grades_release
from grading.tests.factories import grade_completely, grading_world
from seminar.tests.queries import queries_of
from topics.models import Topic

pytestmark = pytest.mark.django_db


def graded(students: int):
    """Every student graded completely; one supervisor holds every topic."""
    world = grading_world(students)
    supervisor = world.topics[0].supervisor
    Topic.objects.filter(seminar=world.seminar).update(supervisor=supervisor)
    for registration in world.students:
        grade_completely(registration, by=world.organizer)
    return world


def counts(students: int) -> dict[str, int]:
    world = graded(students)
    slug = world.seminar.slug
    organizer, supervisor = Client(), Client()
    organizer.force_login(world.organizer)
    supervisor.force_login(world.supervisor)
    grading_list = reverse("admin:grading_gradedstudent_changelist")
    grading_page = reverse("admin:grading_gradedstudent_change", args=[world.students[0].pk])
    result = {
        "admin list (organizer)": queries_of(organizer, grading_list),
        "admin list (supervisor)": queries_of(supervisor, grading_list),
        "admin grading page": queries_of(supervisor, grading_page),
        "organizer grades page": queries_of(organizer, reverse("grading:grades", args=[slug])),
        "organizer page": queries_of(organizer, reverse("seminar:organize", args=[slug])),
        "csv": queries_of(organizer, reverse("grading:sheet_csv", args=[slug])),
    }
    with CaptureQueriesContext(connection) as captured:
        response = organizer.post(reverse("grading:sheet_pdf", args=[slug]))
    assert response["Content-Type"] == "application/pdf"
    result["pdf"] = len(captured)
    grades_release(seminar=world.seminar, by=world.organizer)
    student = Client()
    student.force_login(world.students[0].student)
    result["dashboard"] = queries_of(student, reverse("seminar:dashboard", args=[slug]))
    return result


def test_grading_pages_and_exports_make_the_same_queries_for_2_and_50_students():
    assert counts(2) == counts(50)
