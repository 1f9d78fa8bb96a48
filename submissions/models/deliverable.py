from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminar.validators import validate_one_line
from submissions.enums import DeliverableKind, DueRule


class Deliverable(models.Model):
    """One thing a seminar asks of its students, with the rule for when it is due.

    One row per seminar and kind. The numbers that only some kinds use (reports: how many and
    their pages; project: team size and specification) sit here too, so that the organizer sees
    every rule of a deliverable in one place.
    """

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("seminar"),
    )
    kind = models.CharField(max_length=24, choices=DeliverableKind.choices, verbose_name=_("kind"))
    enabled = models.BooleanField(
        default=True,
        help_text=_("Switched off, students are not asked for it and see nothing of it."),
        verbose_name=_("enabled"),
    )
    due_rule = models.CharField(max_length=24, choices=DueRule.choices, verbose_name=_("due rule"))
    due_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("Days before or after, for the relative rules."),
        verbose_name=_("due days"),
    )
    due_fixed_at = models.DateTimeField(
        _("fixed due moment"), null=True, blank=True, help_text=_("For the fixed rule.")
    )
    text = models.TextField(
        blank=True, help_text=_("Shown on the seminar page."), verbose_name=_("text")
    )
    count = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Reports: how many each student writes."),
        verbose_name=_("count"),
    )
    min_pages = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
        help_text=_("PDFs: fewest pages."),
        verbose_name=_("min pages"),
    )
    max_pages = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
        help_text=_("PDFs: most pages."),
        verbose_name=_("max pages"),
    )
    team_max = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Project: the largest team."),
        verbose_name=_("team max"),
    )
    spec_url = models.URLField(
        _("specification link"), blank=True, max_length=500, validators=[validate_one_line]
    )

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["seminar", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "kind"], name="deliverable_one_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(due_rule=DueRule.FIXED) | models.Q(due_fixed_at__isnull=False),
                name="deliverable_fixed_rule_has_moment",
            ),
            models.CheckConstraint(
                condition=models.Q(min_pages__isnull=True)
                | models.Q(max_pages__isnull=True)
                | models.Q(min_pages__lte=models.F("max_pages")),
                name="deliverable_pages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.seminar.tag}"

    def clean(self) -> None:
        if self.due_rule == DueRule.FIXED and self.due_fixed_at is None:
            raise ValidationError({"due_fixed_at": _("A fixed rule needs its moment.")})
        if self.min_pages and self.max_pages and self.max_pages < self.min_pages:
            raise ValidationError({"max_pages": _("The page maximum is below the minimum.")})
