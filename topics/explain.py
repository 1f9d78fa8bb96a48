"""What a student is told about their topic, as a pure function: no Django, no database.

Nothing here is stored. The words are derived, whenever they are shown, from how the student
came to hold the topic (a fact that only a change of the assignment changes), their current
preferences and the current state of each preferred topic. A hand change, a swap, a late
joiner's choice or a withdrawal therefore changes what everyone concerned is told at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class How(StrEnum):
    """Mirrors topics.enums.AssignmentReason's values."""

    ALLOCATION = "allocation"
    MANUAL = "manual"
    LATE_WAITING = "late_waiting"
    LATE_CHOICE = "late_choice"
    LATE_RANDOM = "late_random"


class Availability(StrEnum):
    """Where one of the student's preferred topics is now."""

    TAKEN_BY_CHOOSER = "taken_by_chooser"  # every place is held by students who chose it too
    TAKEN = "taken"  # every place is held, by at least one student who did not choose it
    SUPERVISOR_LIMIT = "supervisor_limit"  # a place is free, its supervisor is at their limit
    FREE = "free"


WHY_NOT_YOURS = {
    Availability.TAKEN_BY_CHOOSER: "it went to another student who had chosen it too",
    Availability.TAKEN: "it went to another student",
    Availability.SUPERVISOR_LIMIT: "its supervisor has reached their limit of students",
    Availability.FREE: "it is free now; ask the organizer if you would like to change",
}


@dataclass(frozen=True)
class Situation:
    how: How
    has_topic: bool
    topic_is_preference: bool
    # The student's preferred topics other than their own, with where each is now.
    other_preferences: list[tuple[str, Availability]] = field(default_factory=list)


@dataclass(frozen=True)
class Explanation:
    headline: str
    unavailable: list[tuple[str, str]]  # (preferred topic's title, why it is not theirs)


def explain(situation: Situation) -> Explanation:
    headline = _headline(situation)
    shows_preferences = situation.how in (How.ALLOCATION, How.MANUAL, How.LATE_RANDOM)
    unavailable = []
    if shows_preferences and not situation.topic_is_preference:
        unavailable = [
            (title, WHY_NOT_YOURS[availability])
            for title, availability in situation.other_preferences
        ]
    return Explanation(headline, unavailable)


def _headline(s: Situation) -> str:
    sent = bool(s.other_preferences) or s.topic_is_preference
    if s.how == How.LATE_WAITING:
        return (
            "You joined after the topics were published: choose your topic among those still free."
        )
    if s.how == How.LATE_CHOICE:
        return (
            "You joined after the topics were published and chose this topic among those "
            "still free."
        )
    if s.how == How.LATE_RANDOM:
        if not s.has_topic:
            return (
                "You joined after the topics were published and chose no topic in time; "
                "no topic was free, so the organizer will contact you."
            )
        return (
            "You joined after the topics were published and chose no topic in time, so this free "
            f"topic was assigned to you at random{_whether_preference(s, sent)}."
        )
    if s.how == How.MANUAL:
        if not s.has_topic:
            return "The organizer removed your topic by hand; they will contact you."
        return f"The organizer assigned this topic by hand{_whether_preference(s, sent)}."
    # By the allocation.
    if not s.has_topic:
        return "There was no topic left for you; the organizer will contact you."
    if s.topic_is_preference:
        return "This is one of your preferences."
    if sent:
        return "None of your preferences could be given to you; this was a free topic."
    return "You sent no preferences; this was a free topic."


def _whether_preference(s: Situation, sent: bool) -> str:
    if s.topic_is_preference:
        return "; it is one of your preferences"
    return "; it is not one of your preferences" if sent else ""
