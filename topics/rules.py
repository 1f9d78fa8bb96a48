"""Who may do what with topics, each decided in one place for pages, panels and services."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from seminar.enums import RegistrationStatus
from seminar.errors import DomainError, NotAllowed
from seminar.models import Registration, Seminar
from topics.selectors import holds_published_topic


def preference_refusal(
    seminar: Seminar, registration: Registration | None, *, now: dt.datetime | None = None
) -> DomainError | None:
    """Why this student may not send topic preferences now, or None if they may.

    Participants, and students holding an offer or waiting for a seat, may send them from when
    the organizer opens the form until the deadline; once the topics are published, nobody who
    holds a topic may change them any more.
    """
    now = now or timezone.now()
    if registration is None or registration.status not in RegistrationStatus.active():
        return NotAllowed(_("Only participants of this seminar can send topic preferences."))
    if seminar.preferences_opened_at is None or now < seminar.preferences_opened_at:
        return NotAllowed(_("The preference form is not open yet; it opens after the kick-off."))
    if seminar.preference_deadline and now > seminar.preference_deadline:
        return NotAllowed(
            _("The preference deadline has passed; your preferences can no longer change.")
        )
    if holds_published_topic(registration):
        return NotAllowed(_("Your topic is published; your preferences can no longer change."))
    return None


def may_send_preferences(seminar: Seminar, registration: Registration | None) -> bool:
    return preference_refusal(seminar, registration) is None
