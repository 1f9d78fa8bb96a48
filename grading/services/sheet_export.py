"""The grade-sheet PDF on request: rendered in the request for small seminars, by a worker for
large ones (the page then shows its progress and offers the file)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from grading.models import GradeSheetExport
from grading.tasks import grade_sheet_build
from seminar.errors import NotAllowed
from seminar.models import Seminar, User
from seminar.selectors import is_organizer

# Up to this many students the PDF is rendered in the request (about a second); above it a
# Celery task builds it, so that no web worker is held for long.
PDF_IN_REQUEST_MAX_STUDENTS = 100


def pdf_in_request(students: int) -> bool:
    return students <= PDF_IN_REQUEST_MAX_STUDENTS


def grade_sheet_export_start(*, seminar: Seminar, by: User, students: int) -> GradeSheetExport:
    """Queue a grade-sheet PDF for a worker (sent after commit)."""
    if not is_organizer(by, seminar):
        raise NotAllowed(gettext("Only the seminar's organizers export its grades."))
    with transaction.atomic():
        export = GradeSheetExport.objects.create(
            seminar=seminar, requested_by=by, students=students
        )
        transaction.on_commit(lambda: grade_sheet_build.delay(export.pk), robust=True)
    return export
