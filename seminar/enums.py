from django.db import models


class DegreeLevel(models.TextChoices):
    BACHELOR = "bachelor", "Bachelor"
    MASTER = "master", "Master"
    GRADUATE = "graduate", "Graduate (doctoral)"


class SeminarMode(models.TextChoices):
    IN_PERSON = "in_person", "in-person"
    ONLINE = "online", "online"
    HYBRID = "hybrid", "hybrid"


class StaffKind(models.TextChoices):
    ORGANIZER = "organizer", "Professor / organizer"
    SUPERVISOR = "supervisor", "Supervisor"


class MeetingKind(models.TextChoices):
    KICKOFF = "kickoff", "Kick-off meeting"
    SESSION = "session", "Seminar session"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    OFFERED = "offered", "Offered a seat"
    WAITING = "waiting", "Waiting list"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DECLINED = "declined", "Declined the offer"
    EXPIRED = "expired", "Offer expired"
    REMOVED = "removed", "Removed by the organizer"

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
