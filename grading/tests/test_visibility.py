"""A student sees nothing of their grades before release, through any door; afterwards their
own grades on their dashboard, and nobody else's anywhere."""

import pytest
from django.urls import reverse

from grading.models import GradeSheetExport
from grading.services import grades_release
from grading.tests.factories import grade_completely, grading_world
from mail.models import OutgoingEmail
from submissions.enums import UPLOAD_KINDS, DeliverableKind
from submissions.models import Submission
from submissions.services.calendar import calendar_feed_reset

pytestmark = pytest.mark.django_db

SECRETS = ["Clear story, great examples", "Report one was thin", "1.745", "Your grades"]


@pytest.fixture
def world():
    world = grading_world(2)
    for registration in world.students:
        report = Submission.objects.filter(
            registration=registration, deliverable__kind=DeliverableKind.REPORTS, number=1
        ).get()
        grade_completely(
            registration,
            by=world.organizer,
            presentation_comment="Clear story, great examples",
            **{f"report_{report.pk}_comment": "Report one was thin"},
        )
    return world


def student_pages(world, registration) -> dict[str, str]:
    """Every page a student can open, by name -> URL."""
    slug = world.seminar.slug
    feed = calendar_feed_reset(registration=registration)
    report = Submission.objects.filter(registration=registration).first()
    pages = {
        "seminar list": reverse("seminar:list"),
        "my seminars": reverse("seminar:mine"),  # one seminar: leads to its dashboard
        "seminar page": reverse("seminar:detail", args=[slug]),
        "dashboard": reverse("seminar:dashboard", args=[slug]),
        "calendar feed": reverse("submissions:calendar_feed", args=[slug, feed.token]),
        "submission": reverse("submissions:submission", args=[slug, report.pk]),
        "preferences": reverse("topics:preferences", args=[slug]),
    }
    for kind in UPLOAD_KINDS:
        pages[f"hand-in {kind}"] = reverse("submissions:hand_in", args=[slug, kind])
    return pages


def closed_doors(world) -> dict[str, str]:
    """Pages with grades that a student must not open at all."""
    slug = world.seminar.slug
    export = GradeSheetExport.objects.create(seminar=world.seminar, students=2)
    return {
        "grades page": reverse("grading:grades", args=[slug]),
        "release": reverse("grading:release", args=[slug]),
        "csv": reverse("grading:sheet_csv", args=[slug]),
        "export": reverse("grading:export", args=[slug, export.pk]),
        "export file": reverse("grading:export_file", args=[slug, export.pk]),
        "admin grading": reverse("admin:grading_gradedstudent_changelist"),
        "admin grading page": reverse(
            "admin:grading_gradedstudent_change", args=[world.students[0].pk]
        ),
    }


def shown(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


def secrets_in(page: str) -> list[str]:
    return [secret for secret in SECRETS if secret in page]


def test_before_release_no_page_shows_any_part_of_a_grade(client, world):
    student = world.students[0]
    client.force_login(student.student)
    found = {
        name: secrets_in(shown(client, url)) for name, url in student_pages(world, student).items()
    }
    assert found == {name: [] for name in found}


def test_before_release_the_grade_pages_do_not_exist_for_a_student(client, world):
    client.force_login(world.students[0].student)
    statuses = {name: client.get(url).status_code for name, url in closed_doors(world).items()}
    assert statuses == {
        "grades page": 404,
        "release": 404,
        "csv": 404,
        "export": 404,
        "export file": 404,
        "admin grading": 302,  # to the admin's login
        "admin grading page": 302,
    }
    pdf = client.post(reverse("grading:sheet_pdf", args=[world.seminar.slug]))
    assert pdf.status_code == 404


def test_before_release_no_email_carries_a_grade(world):
    texts = [e.subject + e.body_text + e.body_html for e in OutgoingEmail.objects.all()]
    assert [t for t in texts if any(secret in t for secret in SECRETS)] == []
    assert OutgoingEmail.objects.filter(kind__startswith="grades_").count() == 0


def test_after_release_the_dashboard_shows_grades_and_their_explanation(client, world):
    student, other = world.students
    grades_release(seminar=world.seminar, by=world.organizer)
    client.force_login(student.student)
    page = shown(client, reverse("seminar:dashboard", args=[world.seminar.slug]))
    assert 'data-testid="my-final-grade">Final grade: <strong>1.7</strong> (passed)' in page
    assert "0.50 × 1.7 + 0.35 × 2.0 + 0.15 × 1.3 = 1.745 → 1.7" in page
    assert ("Clear story, great examples" in page, "Report one was thin" in page) == (True, True)
    assert other.student.full_name not in page


def test_after_release_no_other_page_shows_grades(client, world):
    student = world.students[0]
    grades_release(seminar=world.seminar, by=world.organizer)
    client.force_login(student.student)
    pages = student_pages(world, student)
    del pages["dashboard"], pages["my seminars"]  # the latter leads to the dashboard
    found = {name: secrets_in(shown(client, url)) for name, url in pages.items()}
    assert found == {name: [] for name in found}
    client.logout()
    page = shown(client, reverse("seminar:detail", args=[world.seminar.slug]))
    assert secrets_in(page) == []


def test_a_student_without_a_seat_sees_no_grades_after_release(client, world):
    student = world.students[0]
    grades_release(seminar=world.seminar, by=world.organizer)
    student.status = "withdrawn"
    student.save(update_fields=["status"])
    client.force_login(student.student)
    page = shown(client, reverse("seminar:dashboard", args=[world.seminar.slug]))
    assert secrets_in(page) == []
