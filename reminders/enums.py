from django.db import models


class ReminderKind(models.TextChoices):
    """Which deadline a reminder is about; each kind has its own e-mail (`reminder_<kind>`)."""

    PREFERENCES = "preferences", "Topic preferences"
    SLIDE_DRAFT = "slide_draft", "Slide draft"
    MOCK_PRESENTATION = "mock_presentation", "Mock presentation"
    REPORTS = "reports", "Reports"
    PROJECT = "project", "Practical project"
    LATE_TOPIC_CHOICE = "late_topic_choice", "Late joiner's topic choice"
    OFFER = "offer", "Waiting-list offer"

    @property
    def template(self) -> str:
        return f"reminder_{self.value}"


# The outbox's `kind` of every reminder starts with this (the template set's name).
TEMPLATE_PREFIX = "reminder_"
