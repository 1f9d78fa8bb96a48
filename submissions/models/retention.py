from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class FileRetention(models.Model):
    """How long a seminar keeps its students' files after its last session, and whether they
    were purged. One row per seminar, made with the seminar (and for older ones by a migration).
    """

    seminar = models.OneToOneField(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="file_retention",
        verbose_name=_("seminar"),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("keep uploads for (days after the last session)"),
        default=365,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "After this, the organizer can delete the students' files (they are then "
            "listed as deleted after the retention period)."
        ),
    )
    purged_at = models.DateTimeField(_("uploads purged"), null=True, blank=True, editable=False)
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("purged by"),
    )

    class Meta:
        verbose_name = _("retention of uploads")
        verbose_name_plural = _("retention of uploads")

    def __str__(self) -> str:
        return f"Uploads of {self.seminar.tag} kept {self.retention_days} days"
