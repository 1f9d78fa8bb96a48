from django.conf import settings
from django.db import models

from seminar.validators import validate_one_line
from topics.enums import AssignmentReason


class SupplementaryMaterial(models.Model):
    """An entry of the seminar's numbered supplementary list."""

    seminar = models.ForeignKey(
        "seminar.Seminar", on_delete=models.CASCADE, related_name="materials"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, validators=[validate_one_line])
    url = models.URLField("link", max_length=500, blank=True, validators=[validate_one_line])
    marker = models.CharField(
        max_length=4,
        blank=True,
        help_text="Optional short mark, e.g. 'F'; a topic's reference to this entry shows it.",
        validators=[validate_one_line],
    )

    class Meta:
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

    seminar = models.ForeignKey("seminar.Seminar", on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=300, validators=[validate_one_line])
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField("paper link", max_length=500, blank=True, validators=[validate_one_line])
    supervisor = models.ForeignKey(
        "seminar.StaffRole",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        limit_choices_to={"kind": "supervisor"},
    )
    mock_group = models.PositiveSmallIntegerField("mock-presentation group", null=True, blank=True)
    session = models.ForeignKey(
        "seminar.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        limit_choices_to={"kind": "session"},
    )
    slot = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Talk number that day."
    )
    capacity = models.PositiveSmallIntegerField(default=1, help_text="Students per topic.")
    materials = models.ManyToManyField(
        SupplementaryMaterial, blank=True, related_name="topics", verbose_name="additional material"
    )

    class Meta:
        ordering = ["seminar", "session__date", "slot", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "slot"], name="topic_unique_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class Preference(models.Model):
    """One of a participant's three (unordered) topic preferences."""

    registration = models.ForeignKey(
        "seminar.Registration", on_delete=models.CASCADE, related_name="preferences"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="preferences")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registration", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "topic"], name="preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.student} → {self.topic}"


class AllocationRun(models.Model):
    """One run of the allocation with its seed; at most one per seminar gets published."""

    seminar = models.ForeignKey(
        "seminar.Seminar", on_delete=models.CASCADE, related_name="allocation_runs"
    )
    number = models.PositiveIntegerField(help_text="1 for the seminar's first run, and so on.")
    seed = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="assignments")
    registration = models.ForeignKey(
        "seminar.Registration", on_delete=models.CASCADE, related_name="assignments"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    reason = models.CharField(
        "how it was assigned", max_length=24, choices=AssignmentReason.choices
    )
    choice_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A late joiner chooses a free topic until then; after it one is assigned "
        "at random.",
    )
    is_manual = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
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
        "seminar.Seminar", on_delete=models.CASCADE, related_name="topic_settings"
    )
    late_choice_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text="How long a student confirmed after publication has to choose a free topic "
        "before one is assigned at random. 0: assigned at once.",
    )

    class Meta:
        verbose_name = "topic settings"
        verbose_name_plural = "topic settings"

    def __str__(self) -> str:
        return f"Topic settings of {self.seminar.tag}"
