from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class GradingScheme(models.Model):
    """How a seminar's final grade is made: the weights of its components and the bonus.

    A weight of 0 switches a component off. The database refuses weights that do not add up
    to 100 %, whichever door the values come through.
    """

    seminar = models.OneToOneField(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="grading_scheme",
        verbose_name=_("seminar"),
    )
    weight_presentation = models.PositiveSmallIntegerField(
        _("presentation weight (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    weight_reports = models.PositiveSmallIntegerField(
        _("reports weight (%)"), default=35, validators=[MaxValueValidator(100)]
    )
    weight_participation = models.PositiveSmallIntegerField(
        _("discussion participation weight (%)"), default=15, validators=[MaxValueValidator(100)]
    )
    bonus_steps = models.PositiveSmallIntegerField(
        _("project bonus (grade steps)"),
        default=1,
        validators=[MaxValueValidator(3)],
        help_text=_(
            "Steps of the scale a project bonus improves the final grade by, e.g. 1.7 → 1.3."
        ),
    )
    # Set once, by grades_release: from then on each participant sees their grades.
    released_at = models.DateTimeField(_("grades released"), null=True, blank=True, editable=False)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    weight_presentation__lte=100,
                    weight_reports__lte=100,
                    weight_participation__lte=100,
                )
                & models.Q(
                    weight_presentation=100
                    - models.F("weight_reports")
                    - models.F("weight_participation")
                ),
                name="grading_weights_add_up_to_100",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.weight_presentation}/{self.weight_reports}/{self.weight_participation} "
            f"of {self.seminar}"
        )

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def clean(self) -> None:
        total = self.weight_presentation + self.weight_reports + self.weight_participation
        if total != 100:
            raise ValidationError(
                _("The three grade weights must add up to 100 %%, not %(total)s %%.")
                % {"total": total}
            )
