from django.conf import settings
from django.db import models

from topics.enums import AssignmentReason


class SupplementaryMaterial(models.Model):
    """An entry of the seminar's numbered supplementary list."""

    seminar = models.ForeignKey(
        "seminar.Seminar", on_delete=models.CASCADE, related_name="materials"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    url = models.URLField("link", max_length=500, blank=True)
    marker = models.CharField(
        max_length=4,
        blank=True,
        help_text="Optional short mark, e.g. 'F'; a topic's reference to this entry shows it.",
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
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField("paper link", max_length=500, blank=True)
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
        ]

    def __str__(self) -> str:
        state = "published" if self.published_at else "draft"
        return f"Allocation #{self.pk} of {self.seminar.tag} (seed {self.seed}, {state})"


class Assignment(models.Model):
    """A student's topic in one allocation run, with the reason shown to the student."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="assignments")
    registration = models.ForeignKey(
        "seminar.Registration", on_delete=models.CASCADE, related_name="assignments"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    reason = models.CharField(max_length=24, choices=AssignmentReason.choices)
    blocked = models.JSONField(
        default=dict,
        blank=True,
        help_text="For a student without a preference: why each preferred topic was not free "
        "(topic id -> 'taken' or 'supervisor_limit').",
    )
    is_manual = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "topic__session__date", "topic__slot", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "registration"], name="assignment_one_per_student"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.student} → {self.topic or 'no topic'}"

    @property
    def got_preference(self) -> bool:
        return self.reason in (AssignmentReason.PREFERENCE, AssignmentReason.LATE_PREFERENCE)
