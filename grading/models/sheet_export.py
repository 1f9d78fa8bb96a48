from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grading.enums import ExportStatus


class GradeSheetExport(models.Model):
    """A grade-sheet PDF built by a worker (large seminars), kept in the private storage.

    The task claims it (queued → running), reports its progress, and stores the file; the
    organizer's page shows the progress and offers the file when it is done.
    """

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="grade_sheet_exports",
        verbose_name=_("seminar"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    status = models.CharField(
        max_length=8,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
        verbose_name=_("status"),
    )
    progress = models.PositiveSmallIntegerField(
        default=0, help_text=_("Percent done."), verbose_name=_("progress")
    )
    stage = models.CharField(max_length=80, blank=True, verbose_name=_("stage"))
    students = models.PositiveIntegerField(default=0, verbose_name=_("students"))
    file_name = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("In the private storage."),
        verbose_name=_("file name"),
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("grade sheet export")
        verbose_name_plural = _("grade sheet exports")
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
