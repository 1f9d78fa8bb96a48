"""Thin Celery tasks: an id in, one service call."""

from celery import shared_task

from grading.services.sheet_build import grade_sheet_export_build


@shared_task
def grade_sheet_build(export_id: int) -> bool:
    """Build one grade-sheet PDF; quietly nothing if the export is gone or already taken."""
    return grade_sheet_export_build(export_id=export_id)
