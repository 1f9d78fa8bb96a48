from django.conf import settings
from django.db import models
from django.utils import timezone

from grading.enums import ExportStatus


class GradeSheetExport(models.Model):
    """A grade-sheet PDF built by a worker (large seminars), kept in the private storage.

    The task claims it (queued → running), reports its progress, and stores the file; the
    organizer's page shows the progress and offers the file when it is done.
    """

    seminar = models.ForeignKey(
        "seminar.Seminar", on_delete=models.CASCADE, related_name="grade_sheet_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=80, blank=True)
    students = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=300, blank=True, help_text="In the private storage.")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="grade_sheet_export_progress_percent"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ExportStatus.DONE) | ~models.Q(file_name=""),
                name="grade_sheet_export_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Grade sheet of {self.seminar} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
