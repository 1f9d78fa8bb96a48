from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Extension(models.Model):
    """A later deadline for one deliverable, for one student or for a whole project team.

    An extension of a team applies to each member. Granting again replaces the moment; every
    grant and revocation is in the activity log.
    """

    deliverable = models.ForeignKey(
        "submissions.Deliverable",
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("deliverable"),
    )
    registration = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("registration"),
    )
    team = models.ForeignKey(
        "submissions.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("team"),
    )
    due_at = models.DateTimeField(_("new deadline"))
    reason = models.TextField(verbose_name=_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(default=timezone.now, verbose_name=_("granted at"))

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["deliverable", "due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration__isnull=False, team__isnull=True)
                | models.Q(registration__isnull=True, team__isnull=False),
                name="extension_one_target",
            ),
            models.UniqueConstraint(
                fields=["deliverable", "registration"],
                condition=models.Q(registration__isnull=False),
                name="extension_one_per_student",
            ),
            models.UniqueConstraint(
                fields=["deliverable", "team"],
                condition=models.Q(team__isnull=False),
                name="extension_one_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"Extension of {self.deliverable.get_kind_display()} to {self.due_at:%Y-%m-%d %H:%M}"


class MockPresentationMark(models.Model):
    """A student gave their (ungraded) mock presentation, as their supervisor marked it."""

    deliverable = models.ForeignKey(
        "submissions.Deliverable",
        on_delete=models.CASCADE,
        related_name="marks",
        verbose_name=_("deliverable"),
    )
    registration = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="mock_presentation_marks",
        verbose_name=_("registration"),
    )
    given_at = models.DateTimeField(default=timezone.now, verbose_name=_("given at"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("mock presentation mark")
        verbose_name_plural = _("mock presentation marks")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "registration"], name="mock_presentation_marked_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Mock presentation given {self.given_at:%Y-%m-%d}"
