"""The grade sheet for the organizer: the PDF (in the request, or built by a task with its
progress shown) and the CSV, from the organizer's page and the admin, from the same rows."""

import csv
import io
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from pypdf import PdfReader

from grading.enums import ExportStatus
from grading.exports import grade_sheet_csv_header, grade_sheet_csv_rows, sheet_filename
from grading.models import GradeSheetExport
from grading.pdf import expected_pages
from grading.selectors import grade_sheet_of
from grading.services import grading_save
from grading.services import sheet_export as sheet_export_services
from grading.services.sheet_build import grade_sheet_export_build
from grading.tests.factories import grade_completely, grading_world
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db

MATRICULATION = re.compile(r"\b26\d{5}\b")


def graded_world(students: int):
    """Every student graded completely but the last (incomplete); the 8th and 9th fail."""
    world = grading_world(students, criteria=0)
    for index, registration in enumerate(world.students):
        if index == students - 1:
            grading_save(
                registration=registration, values={"presentation": "2.0"}, by=world.organizer
            )
            continue
        grade_completely(
            registration,
            by=world.organizer,
            presentation="5.0" if index in (7, 8) else ["1.0", "1.7", "2.3", "3.0"][index % 4],
        )
    return world


@pytest.fixture
def big_world():
    return graded_world(60)


@pytest.fixture
def world():
    return graded_world(10)


def pdf_lines(content: bytes) -> tuple[int, dict[str, str]]:
    """The page count, and each row's text by matriculation number (a note below the name
    makes a row two lines; they are joined with a space)."""
    reader = PdfReader(io.BytesIO(content))
    lines: dict[str, str] = {}
    current = None
    for page in reader.pages:
        for line in page.extract_text().splitlines():
            if match := MATRICULATION.search(line):
                current = match.group()
                lines[current] = line
            elif current is not None and not line.startswith(("1.0–4.0", "Page ", "Matr.")):
                lines[current] += f" {line}"
        current = None
    return len(reader.pages), lines


def post_pdf(client, seminar):
    return client.post(reverse("grading:sheet_pdf", args=[seminar.slug]))


def test_grade_sheet_pdf_has_every_student_with_final_grade_and_fitting_pages(client, big_world):
    world = big_world
    client.force_login(world.organizer)
    response = post_pdf(client, world.seminar)
    name = sheet_filename(world.seminar.title, world.seminar.term, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r"grades-seminar-\d+-winter-202526\.pdf", name)
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}"')
    pages, lines = pdf_lines(response.content)
    sheet = grade_sheet_of(world.seminar)
    assert len(lines) == 60
    for row in sheet.rows:
        final = str(row.final_grade) if row.final_grade is not None else "–"
        result = {True: "passed", False: "failed", None: "incomplete"}[row.passed]
        line = lines[row.matriculation_number]
        assert (row.name in line, f" {final} {result}" in line) == (True, True), line
    # Two failed rows and the incomplete one carry a note: one more line each.
    assert pages == expected_pages(60 + 3) == 2
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert ("Prof. Dr. Helena Brandt" in text, "Winter 2025/26" in text) == (True, True)


def test_grade_sheet_csv_has_the_same_rows(client, world):
    client.force_login(world.organizer)
    response = client.get(reverse("grading:sheet_csv", args=[world.seminar.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    sheet = grade_sheet_of(world.seminar)
    assert rows == [grade_sheet_csv_header(sheet), *grade_sheet_csv_rows(sheet)]
    assert rows[1][-3:] == ["1.3", "passed", ""]  # presentation 1.0: 1.395 → 1.3
    failed = [row for row in rows[1:] if row[-2] == "failed"]
    assert [row[-1] for row in failed] == ["failed presentation (5.0)"] * 2


def test_admin_actions_give_the_same_files(client, world):
    client.force_login(world.organizer)
    changelist = reverse("admin:seminar_seminar_changelist")
    selected = {admin.helpers.ACTION_CHECKBOX_NAME: [world.seminar.pk]}
    csv_response = client.post(changelist, {"action": "grades_csv", **selected})
    page_csv = client.get(reverse("grading:sheet_csv", args=[world.seminar.slug]))
    assert csv_response.content == page_csv.content
    pdf_response = client.post(changelist, {"action": "grades_pdf", **selected})
    assert (
        pdf_lines(pdf_response.content)[1] == pdf_lines(post_pdf(client, world.seminar).content)[1]
    )


def test_admin_export_of_several_seminars_asks_for_one(client):
    world = grading_world(1, criteria=0)
    client.force_login(world.organizer)
    other = SeminarFactory()
    staff_role_add(seminar=other, user=world.organizer, kind="organizer")
    response = client.post(
        reverse("admin:seminar_seminar_changelist"),
        {"action": "grades_csv", admin.helpers.ACTION_CHECKBOX_NAME: [world.seminar.pk, other.pk]},
        follow=True,
    )
    assert "Choose one seminar: a grade sheet is of one seminar." in response.content.decode()


# --- Large seminars: a task builds the PDF -----------------------------------------------------


@pytest.fixture
def small_world():
    world = grading_world(3, criteria=0)
    for registration in world.students:
        grade_completely(registration, by=world.organizer)
    return world


def test_above_the_threshold_a_task_builds_the_pdf_and_the_page_offers_it(
    client, small_world, monkeypatch, django_capture_on_commit_callbacks
):
    world = small_world
    monkeypatch.setattr(sheet_export_services, "PDF_IN_REQUEST_MAX_STUDENTS", 2)
    client.force_login(world.organizer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_pdf(client, world.seminar)
    export = GradeSheetExport.objects.get()
    assert (len(callbacks), response.url) == (
        1,
        reverse("grading:export", args=[world.seminar.slug, export.pk]),
    )
    assert (export.status, export.progress, export.students) == (ExportStatus.DONE, 100, 3)
    page = client.get(response.url)
    assert ("Refresh" in page, "Download the PDF" in page.content.decode()) == (False, True)
    download = client.get(reverse("grading:export_file", args=[world.seminar.slug, export.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert sorted(pdf_lines(content)[1]) == sorted(
        r.student.matriculation_number for r in world.students
    )


def test_a_pending_export_page_refreshes_itself_without_a_script(client, small_world):
    world = small_world
    export = GradeSheetExport.objects.create(
        seminar=world.seminar, students=3, status=ExportStatus.RUNNING, progress=20, stage="x"
    )
    client.force_login(world.organizer)
    response = client.get(reverse("grading:export", args=[world.seminar.slug, export.pk]))
    page = response.content.decode()
    assert (response["Refresh"], "<script>" in page) == ("2", False)
    assert '<progress id="export-progress" class="w-100" value="20" max="100">' in page
    not_ready = client.get(reverse("grading:export_file", args=[world.seminar.slug, export.pk]))
    assert not_ready.status_code == 404


def test_a_build_runs_once_however_often_the_task_is_delivered(small_world):
    export = GradeSheetExport.objects.create(seminar=small_world.seminar, students=3)
    assert grade_sheet_export_build(export_id=export.pk) is True
    first = GradeSheetExport.objects.get().file_name
    assert grade_sheet_export_build(export_id=export.pk) is False
    assert GradeSheetExport.objects.get().file_name == first
    assert grade_sheet_export_build(export_id=export.pk + 1000) is False  # gone: quietly nothing


def test_a_failed_build_is_shown_with_its_error(client, small_world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of fonts")

    monkeypatch.setattr("grading.services.sheet_build.grade_sheet_document", broken)
    export = GradeSheetExport.objects.create(seminar=small_world.seminar, students=3)
    assert grade_sheet_export_build(export_id=export.pk) is False
    export.refresh_from_db()
    assert (export.status, export.error) == (ExportStatus.FAILED, "RuntimeError: out of fonts")
    client.force_login(small_world.organizer)
    response = client.get(reverse("grading:export", args=[small_world.seminar.slug, export.pk]))
    assert "Building the PDF failed: RuntimeError: out of fonts" in response.content.decode()
    assert "Refresh" not in response


def test_exports_of_one_seminar_are_not_found_through_another(client, small_world):
    world = small_world
    export = GradeSheetExport.objects.create(seminar=world.seminar, students=3)
    other = SeminarFactory()
    staff_role_add(seminar=other, user=world.organizer, kind="organizer")
    client.force_login(world.organizer)
    response = client.get(reverse("grading:export", args=[other.slug, export.pk]))
    assert response.status_code == 404
    client.force_login(world.supervisor)
    response = client.get(reverse("grading:export", args=[world.seminar.slug, export.pk]))
    assert response.status_code == 404
