"""What supervisors enter for each participant. The final grade is never stored: it is derived
from these rows whenever it is shown (grading.selectors.gradings_of).

Grades are the scale's own text ("1.0" … "5.0", "" while not graded) and the database refuses
any other value. Rows are written only by `grading.services.grading_save`, which logs every
change with its old and new value.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grading.enums import GRADE_CHOICES, GRADE_VALUES, ProjectOutcome
from seminar.models import Registration


def _on_scale(field: str) -> models.Q:
    return models.Q(**{field: ""}) | models.Q(**{f"{field}__in": GRADE_VALUES})


def _project_outcome(field: str) -> models.Q:
    return models.Q(**{field: ""}) | models.Q(**{f"{field}__in": ProjectOutcome.values})


class StudentGrade(models.Model):
    """One participant's presentation, participation and own project result.

    `project_result` is this student's own result: it overrides the team's, and it is the only
    project result of a student whose team handed nothing in. `revision` counts the saves, so
    that each change is one event (its e-mail is queued once).
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="grade", verbose_name=_("registration")
    )
    presentation = models.CharField(
        max_length=3, blank=True, choices=GRADE_CHOICES, verbose_name=_("presentation")
    )
    presentation_comment = models.TextField(blank=True, verbose_name=_("presentation comment"))
    talk_minutes = models.PositiveSmallIntegerField(
        _("talk length (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    participation = models.CharField(
        max_length=3, blank=True, choices=GRADE_CHOICES, verbose_name=_("participation")
    )
    participation_comment = models.TextField(blank=True, verbose_name=_("participation comment"))
    project_result = models.CharField(
        _("project result of this student"),
        max_length=8,
        blank=True,
        choices=ProjectOutcome.choices,
    )
    revision = models.PositiveIntegerField(default=0, verbose_name=_("revision"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("student grade")
        verbose_name_plural = _("student grades")
        constraints = [
            models.CheckConstraint(
                condition=_on_scale("presentation"), name="student_grade_presentation_on_scale"
            ),
            models.CheckConstraint(
                condition=_on_scale("participation"), name="student_grade_participation_on_scale"
            ),
            models.CheckConstraint(
                condition=_project_outcome("project_result"),
                name="student_grade_project_result_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Grades of {self.registration.student}"


class CriterionMark(models.Model):
    """The presentation rubric: one of the seminar's presentation criteria, ticked or not, with a
    comment."""

    student_grade = models.ForeignKey(
        StudentGrade,
        on_delete=models.CASCADE,
        related_name="criterion_marks",
        verbose_name=_("student grade"),
    )
    criterion = models.ForeignKey(
        "seminar.PresentationCriterion",
        on_delete=models.RESTRICT,
        related_name="marks",
        verbose_name=_("criterion"),
    )
    met = models.BooleanField(default=False, verbose_name=_("met"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("criterion mark")
        verbose_name_plural = _("criterion marks")
        ordering = ["criterion__position", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student_grade", "criterion"], name="criterion_mark_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{'✓' if self.met else '–'} {self.criterion}"


class ReportGrade(models.Model):
    """The grade and comment of one handed-in report (a report Submission)."""

    submission = models.OneToOneField(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="report_grade",
        verbose_name=_("submission"),
    )
    grade = models.CharField(
        max_length=3, blank=True, choices=GRADE_CHOICES, verbose_name=_("grade")
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("report grade")
        verbose_name_plural = _("report grades")
        constraints = [
            models.CheckConstraint(condition=_on_scale("grade"), name="report_grade_on_scale"),
        ]

    def __str__(self) -> str:
        return f"Report grade {self.grade or '–'}"


class ProjectGrade(models.Model):
    """The result of a handed-in practical project (the team's Submission): fail, pass, bonus."""

    submission = models.OneToOneField(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="project_grade",
        verbose_name=_("submission"),
    )
    result = models.CharField(
        max_length=8, blank=True, choices=ProjectOutcome.choices, verbose_name=_("result")
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("project grade")
        verbose_name_plural = _("project grades")
        constraints = [
            models.CheckConstraint(
                condition=_project_outcome("result"), name="project_grade_result_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Project result {self.result or '–'}"


class Attendance(models.Model):
    """Whether a participant attended one session. No row: not marked yet."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        "seminar.Meeting",
        on_delete=models.RESTRICT,
        related_name="attendance",
        verbose_name=_("session"),
    )
    attended = models.BooleanField(verbose_name=_("attended"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session__date", "session__start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{'attended' if self.attended else 'absent'}: {self.session}"


class GradedStudent(Registration):
    """The admin's "Grading": a participant as their supervisor grades them."""

    class Meta:
        proxy = True
        verbose_name = _("student to grade")
        verbose_name_plural = _("students to grade")
