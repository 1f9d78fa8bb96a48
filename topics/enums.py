from django.db import models


class AssignmentReason(models.TextChoices):
    """Why a student got the topic they got, in words shown to them."""

    PREFERENCE = "preference", "This is one of your preferences."
    PREFERENCES_TAKEN = (
        "preferences_taken",
        "Your preferences went to students who had no other of their choices left; "
        "this was a free topic.",
    )
    NO_PREFERENCES = "no_preferences", "You sent no preferences; this was a free topic."
    UNPLACED = "unplaced", "There was no topic left for you; the organizer will contact you."
    MANUAL = "manual", "The organizer assigned this topic by hand."
    LATE_PREFERENCE = (
        "late_preference",
        "You joined after the topics were published; this free topic is one of your preferences.",
    )
    LATE_FREE = (
        "late_free",
        "You joined after the topics were published; none of your preferences was free, so you "
        "got a free topic.",
    )
