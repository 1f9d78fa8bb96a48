from django.db import models


class AssignmentReason(models.TextChoices):
    """How a student came to hold their topic: a fact, never an explanation.

    What the student is told is derived from this, their current preferences and the current
    state of the topics when it is shown (topics.explain), so it cannot go stale.
    """

    ALLOCATION = "allocation", "By the allocation"
    MANUAL = "manual", "By hand"
    LATE_WAITING = "late_waiting", "Joined late, choosing"
    LATE_CHOICE = "late_choice", "Joined late, chose it"
    LATE_RANDOM = "late_random", "Joined late, assigned at random"
