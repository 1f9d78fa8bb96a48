from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentReason(models.TextChoices):
    """How a student came to hold their topic: a fact, never an explanation.

    What the student is told is derived from this, their current preferences and the current
    state of the topics when it is shown (topics.explain), so it cannot go stale.
    """

    ALLOCATION = "allocation", _("By the allocation")
    MANUAL = "manual", _("By hand")
    LATE_WAITING = "late_waiting", _("Joined late, choosing")
    LATE_CHOICE = "late_choice", _("Joined late, chose it")
    LATE_RANDOM = "late_random", _("Joined late, assigned at random")
