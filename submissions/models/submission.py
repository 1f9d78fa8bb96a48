from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seminar.validators import validate_one_line
from submissions.enums import FileKind

_OWNED_BY_ONE = models.Q(registration__isnull=False, team__isnull=True) | models.Q(
    registration__isnull=True, team__isnull=False
)


class Submission(models.Model):
    """What one student (or one project team) hands in for a deliverable; its files are versions.

    Slide draft: one per student. Reports: `number` 1..count per student, each on a topic of the
    seminar or under an own title, at most one per topic. Project: one per team.
    """

    deliverable = models.ForeignKey(
        "submissions.Deliverable",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("deliverable"),
    )
    registration = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("registration"),
    )
    team = models.ForeignKey(
        "submissions.Team",
        on_delete=models.RESTRICT,  # a team that handed in is kept (only its seminar goes)
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("team"),
    )
    number = models.PositiveSmallIntegerField(
        default=1, help_text=_("Reports: which of them."), verbose_name=_("number")
    )
    topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Reports: the seminar topic it is about."),
        verbose_name=_("topic"),
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Reports: the student's own topic, if not a listed one."),
        verbose_name=_("title"),
        validators=[validate_one_line],
    )
    repository_url = models.URLField(
        _("repository link"), max_length=500, blank=True, validators=[validate_one_line]
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["deliverable", "registration", "team", "number"]
        constraints = [
            models.CheckConstraint(condition=_OWNED_BY_ONE, name="submission_one_owner"),
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True) | models.Q(title=""),
                name="submission_topic_or_title",
            ),
            models.UniqueConstraint(
                fields=["deliverable", "registration", "number"],
                condition=models.Q(registration__isnull=False),
                name="submission_one_per_student_and_number",
            ),
            models.UniqueConstraint(
                fields=["deliverable", "team"],
                condition=models.Q(team__isnull=False),
                name="submission_one_per_team",
            ),
            models.UniqueConstraint(
                fields=["deliverable", "registration", "topic"],
                condition=models.Q(topic__isnull=False),
                name="submission_one_report_per_topic",
            ),
        ]

    def __str__(self) -> str:
        label = self.deliverable.get_kind_display()
        if self.deliverable.count > 1:
            label = f"{label} {self.number}"
        return f"{label} #{self.pk}"

    @property
    def subject(self) -> str:
        """What a report is about: its topic's title or the student's own."""
        return self.topic.title if self.topic_id else self.title


class SubmissionFile(models.Model):
    """One accepted upload of a submission. The current file is the latest version; older ones
    stay for the supervisor. The stored name is made by the server; the student's file name is
    kept only to name the download."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    stored_name = models.CharField(max_length=300, unique=True, verbose_name=_("stored name"))
    original_name = models.CharField(
        max_length=255, validators=[validate_one_line], verbose_name=_("original name")
    )
    kind = models.CharField(max_length=8, choices=FileKind.choices, verbose_name=_("kind"))
    size = models.BigIntegerField(help_text=_("Bytes."), verbose_name=_("size"))
    pages = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("PDFs."), verbose_name=_("pages")
    )
    sha256 = models.CharField(max_length=64, verbose_name=_("sha256"))
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    purged_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The file was deleted from storage after the seminar's retention period; "
            "this row stays as the record of the hand-in."
        ),
        verbose_name=_("purged at"),
    )

    class Meta:
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")
        ordering = ["submission", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "version"], name="submission_file_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (version {self.version})"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.ZIP: "application/zip",
    FileKind.TAR_GZ: "application/gzip",
}
