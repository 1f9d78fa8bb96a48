from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliverableKind(models.TextChoices):
    """What a seminar asks of each student besides the talk."""

    SLIDE_DRAFT = "slide_draft", _("Slide draft")
    MOCK_PRESENTATION = "mock_presentation", _("Mock presentation")
    REPORTS = "reports", _("Reports")
    PROJECT = "project", _("Practical project")


class DueRule(models.TextChoices):
    """How a deliverable's due moment is found; all but FIXED end at 23:59 local time."""

    BEFORE_TALK = "before_talk", _("days before the student's own talk, 23:59")
    BEFORE_FIRST_SESSION = "before_first_session", _("days before the first session, 23:59")
    AFTER_LAST_SESSION = "after_last_session", _("days after the last session, 23:59")
    FIXED = "fixed", _("a fixed moment")


# Deliverables a student hands in as a file; the mock presentation is marked as given instead.
UPLOAD_KINDS = (DeliverableKind.SLIDE_DRAFT, DeliverableKind.REPORTS, DeliverableKind.PROJECT)


class FileKind(models.TextChoices):
    """What an accepted file is, found from its content (never from its name)."""

    PDF = "pdf", _("PDF")
    ZIP = "zip", _("ZIP archive")
    TAR_GZ = "tar.gz", _("tar.gz archive")


class DeliverableState(models.TextChoices):
    """Where a student stands with one deliverable, derived whenever it is shown."""

    MISSING = "missing", _("missing")
    SUBMITTED = "submitted", _("submitted")
    LATE = "late", _("late")
    EXTENDED = "extended", _("extended")
