from django.db import models
from django.utils.translation import gettext_lazy as _


class DegreeLevel(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    GRADUATE = "graduate", _("Graduate (doctoral)")


class SeminarMode(models.TextChoices):
    IN_PERSON = "in_person", _("in-person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class StaffKind(models.TextChoices):
    ORGANIZER = "organizer", _("Professor / organizer")
    SUPERVISOR = "supervisor", _("Supervisor")


class MeetingKind(models.TextChoices):
    KICKOFF = "kickoff", _("Kick-off meeting")
    SESSION = "session", _("Seminar session")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    OFFERED = "offered", _("Offered a seat")
    WAITING = "waiting", _("Waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined the offer")
    EXPIRED = "expired", _("Offer expired")
    REMOVED = "removed", _("Removed by the organizer")

    @classmethod
    def holding_seat(cls) -> list[str]:
        """States that occupy one of the seminar's seats."""
        return [cls.CONFIRMED, cls.OFFERED]

    @classmethod
    def active(cls) -> list[str]:
        """States in which the student is still taking part or queueing."""
        return [cls.CONFIRMED, cls.OFFERED, cls.WAITING]


class Group(models.TextChoices):
    """Django auth groups that give staff their admin permissions."""

    ORGANIZER = "Organizer"
    SUPERVISOR = "Supervisor"
