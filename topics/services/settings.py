"""The topics app's settings of a seminar."""

from seminar.models import Seminar
from seminar.services.activity import activity_log
from topics.models import TopicSettings


def topic_settings_ensure(*, seminar: Seminar) -> TopicSettings:
    """Give a new seminar its topic settings with the defaults; changes nothing that exists."""
    settings, _ = TopicSettings.objects.get_or_create(seminar=seminar)
    return settings


def late_choice_hours_set(*, seminar: Seminar, hours: int) -> TopicSettings:
    """How long a late joiner has to choose; applies to those who start choosing from now on."""
    settings = topic_settings_ensure(seminar=seminar)
    if settings.late_choice_hours == hours:
        return settings
    activity_log(
        action="topics.late_choice_hours_set",
        seminar=seminar,
        obj=settings,
        old={"late_choice_hours": settings.late_choice_hours},
        new={"late_choice_hours": hours},
    )
    settings.late_choice_hours = hours
    settings.save(update_fields=["late_choice_hours"])
    return settings
