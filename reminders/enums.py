from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """Which deadline a reminder is about; each kind has its own e-mail (`reminder_<kind>`)."""

    PREFERENCES = "preferences", _("Topic preferences")
    SLIDE_DRAFT = "slide_draft", _("Slide draft")
    MOCK_PRESENTATION = "mock_presentation", _("Mock presentation")
    REPORTS = "reports", _("Reports")
    PROJECT = "project", _("Practical project")
    LATE_TOPIC_CHOICE = "late_topic_choice", _("Late joiner's topic choice")
    OFFER = "offer", _("Waiting-list offer")

    @property
    def template(self) -> str:
        return f"reminder_{self.value}"


# The outbox's `kind` of every reminder starts with this (the template set's name).
TEMPLATE_PREFIX = "reminder_"
