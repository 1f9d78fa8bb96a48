"""The one family of refusals that services raise. Each carries a message for people.

Services know nothing of HTTP: views and the admin map the kind of refusal to an answer
(`seminar.views.refusals.status_of`). Whatever raised it changed nothing.
"""

from django.utils.translation import gettext


class DomainError(Exception):
    """A refusal to show as it is; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    """The input breaks a rule (e.g. two preferences for the same topic)."""


class NotAllowed(DomainError):
    """This person may not do this (e.g. not eligible, deadline passed)."""


class Conflict(DomainError):
    """The current state does not allow it (e.g. already registered, already published)."""


class Busy(DomainError):
    """The seminar's lock could not be taken in time; trying again shortly will work."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or gettext(
                "Many people are using this seminar right now. "
                "Nothing was changed; please try again."
            )
        )
