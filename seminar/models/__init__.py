from seminar.models.activity import ActivityEntry
from seminar.models.people import StaffRole, User
from seminar.models.registration import Registration
from seminar.models.seminar import Meeting, PresentationCriterion, Seminar

__all__ = [
    "ActivityEntry",
    "Meeting",
    "PresentationCriterion",
    "Registration",
    "Seminar",
    "StaffRole",
    "User",
]
