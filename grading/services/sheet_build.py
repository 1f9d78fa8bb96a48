"""Building a grade-sheet PDF in a worker, with its progress on the export's row."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from grading.enums import ExportStatus
from grading.models import GradeSheetExport
from grading.pdf import grade_sheet_document
from grading.selectors import grade_sheet_of
from grading.storage import grade_sheet_name_new, grade_sheet_storage

logger = logging.getLogger(__name__)


def grade_sheet_export_build(*, export_id: int) -> bool:
    """Build the PDF of a queued export and store it. Only one run builds it: the export is
    claimed with one conditional update, so a task delivered twice (or two workers) does the
    work once; a second run, or an export that is gone, returns False and changes nothing.

    A failure is kept on the row (status failed, with the error) for the organizer's page.
    """
    claimed = GradeSheetExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING,
        started_at=timezone.now(),
        progress=5,
        stage="reading the grades",
    )
    if not claimed:
        return False
    export = GradeSheetExport.objects.select_related("seminar").get(pk=export_id)
    try:
        sheet = grade_sheet_of(export.seminar)
        _progress(export_id, 20, f"laying out {len(sheet.rows)} rows")
        document = grade_sheet_document(sheet, base_url=settings.SITE_URL)
        _progress(export_id, 85, f"writing {len(document.pages)} pages")
        name = grade_sheet_storage().save(
            grade_sheet_name_new(seminar_id=export.seminar_id), ContentFile(document.write_pdf())
        )
    except Exception as error:  # kept on the row; the organizer sees it and builds again
        logger.exception("grade sheet export %s failed", export_id)
        GradeSheetExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return False
    GradeSheetExport.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        progress=100,
        stage="",
        file_name=name,
        students=len(sheet.rows),
        finished_at=timezone.now(),
    )
    return True


def _progress(export_id: int, percent: int, stage: str) -> None:
    GradeSheetExport.objects.filter(pk=export_id).update(progress=percent, stage=stage)
