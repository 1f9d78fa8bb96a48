from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminar.validators import validate_one_line
from topics.enums import AssignmentReason


class SupplementaryMaterial(models.Model):
    """An entry of the seminar's numbered supplementary list."""

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("seminar"),
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    title = models.CharField(
        max_length=300, validators=[validate_one_line], verbose_name=_("title")
    )
    url = models.URLField(_("link"), max_length=500, blank=True, validators=[validate_one_line])
    marker = models.CharField(
        max_length=4,
        blank=True,
        help_text=_("Optional short mark, e.g. 'F'; a topic's reference to this entry shows it."),
        verbose_name=_("marker"),
        validators=[validate_one_line],
    )

    class Meta:
        verbose_name = _("supplementary material")
        verbose_name_plural = _("supplementary materials")
        ordering = ["seminar", "number"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "number"], name="material_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def label(self) -> str:
        """How a topic refers to this entry: its marker if it has one, else its number."""
        return self.marker or str(self.number)


class Topic(models.Model):
    """A paper to present, with its supervisor, mock group and talk slot."""

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("seminar"),
    )
    title = models.CharField(
        max_length=300, validators=[validate_one_line], verbose_name=_("title")
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("year"))
    url = models.URLField(
        _("paper link"), max_length=500, blank=True, validators=[validate_one_line]
    )
    supervisor = models.ForeignKey(
        "seminar.StaffRole",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        limit_choices_to={"kind": "supervisor"},
        verbose_name=_("supervisor"),
    )
    mock_group = models.PositiveSmallIntegerField(
        _("mock-presentation group"), null=True, blank=True
    )
    session = models.ForeignKey(
        "seminar.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        limit_choices_to={"kind": "session"},
        verbose_name=_("session"),
    )
    slot = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Talk number that day."), verbose_name=_("slot")
    )
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text=_("Students per topic."), verbose_name=_("capacity")
    )
    materials = models.ManyToManyField(
        SupplementaryMaterial,
        blank=True,
        related_name="topics",
        verbose_name=_("additional material"),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["seminar", "session__date", "slot", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "slot"], name="topic_unique_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class Preference(models.Model):
    """One of a participant's three (unordered) topic preferences."""

    registration = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("registration"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("topic")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["registration", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "topic"], name="preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.student} → {self.topic}"


class AllocationRun(models.Model):
    """One run of the allocation with its seed; at most one per seminar gets published."""

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="allocation_runs",
        verbose_name=_("seminar"),
    )
    number = models.PositiveIntegerField(
        help_text=_("1 for the seminar's first run, and so on."), verbose_name=_("number")
    )
    seed = models.BigIntegerField(verbose_name=_("seed"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar"],
                condition=models.Q(published_at__isnull=False),
                name="allocation_one_published_per_seminar",
            ),
            models.UniqueConstraint(
                fields=["seminar", "number"], name="allocation_run_unique_number"
            ),
        ]

    def __str__(self) -> str:
        state = "published" if self.published_at else "draft"
        return f"Allocation run {self.number} of {self.seminar.tag} (seed {self.seed}, {state})"


class Assignment(models.Model):
    """A student's topic in one allocation run, and how they came to hold it.

    A late joiner who still has to choose holds no topic and has a `choice_due_at`.
    """

    run = models.ForeignKey(
        AllocationRun, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("run")
    )
    registration = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("registration"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("topic"),
    )
    reason = models.CharField(
        _("how it was assigned"), max_length=24, choices=AssignmentReason.choices
    )
    choice_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "A late joiner chooses a free topic until then; after it one is assigned at random."
        ),
        verbose_name=_("choice due at"),
    )
    is_manual = models.BooleanField(default=False, verbose_name=_("is manual"))
    changed_at = models.DateTimeField(auto_now=True, verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["run", "topic__session__date", "topic__slot", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "registration"], name="assignment_one_per_student"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    reason=AssignmentReason.LATE_WAITING,
                    topic__isnull=True,
                    choice_due_at__isnull=False,
                )
                | (~models.Q(reason=AssignmentReason.LATE_WAITING) & models.Q(choice_due_at=None)),
                name="assignment_waiting_has_no_topic_and_a_due_moment",
            ),
        ]

    def __str__(self) -> str:
        if self.reason == AssignmentReason.LATE_WAITING:
            return f"{self.registration.student} → choosing a topic"
        return f"{self.registration.student} → {self.topic or 'no topic'}"

    @property
    def is_waiting_for_choice(self) -> bool:
        return self.reason == AssignmentReason.LATE_WAITING


class TopicSettings(models.Model):
    """The topics app's settings of one seminar."""

    seminar = models.OneToOneField(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="topic_settings",
        verbose_name=_("seminar"),
    )
    late_choice_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text=_(
            "How long a student confirmed after publication has to choose a free topic "
            "before one is assigned at random. 0: assigned at once."
        ),
        verbose_name=_("late choice hours"),
    )

    class Meta:
        verbose_name = _("topic settings")
        verbose_name_plural = _("topic settings")

    def __str__(self) -> str:
        return f"Topic settings of {self.seminar.tag}"
