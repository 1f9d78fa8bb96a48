"""What a student is told about their topic (topics/explain.py, a pure module written in
English) in the reader's language. Applied when a page or an e-mail is rendered, so that an
e-mail is in its recipient's language whoever caused it."""

from django.utils.translation import gettext_lazy as _

from topics.explain import WHY_NOT_YOURS, Availability

_LATE_RANDOM = (
    "You joined after the topics were published and chose no topic in time, so this free "
    "topic was assigned to you at random"
)
_MANUAL = "The organizer assigned this topic by hand"
_IS = "; it is one of your preferences"
_IS_NOT = "; it is not one of your preferences"

SENTENCES = {
    "You joined after the topics were published: choose your topic among those still free.": _(
        "You joined after the topics were published: choose your topic among those still free."
    ),
    "You joined after the topics were published and chose this topic among those still free.": _(
        "You joined after the topics were published and chose this topic among those still free."
    ),
    "You joined after the topics were published and chose no topic in time; no topic was free, "
    "so the organizer will contact you.": _(
        "You joined after the topics were published and chose no topic in time; no topic was "
        "free, so the organizer will contact you."
    ),
    f"{_LATE_RANDOM}.": _(
        "You joined after the topics were published and chose no topic in time, so this free "
        "topic was assigned to you at random."
    ),
    f"{_LATE_RANDOM}{_IS}.": _(
        "You joined after the topics were published and chose no topic in time, so this free "
        "topic was assigned to you at random; it is one of your preferences."
    ),
    f"{_LATE_RANDOM}{_IS_NOT}.": _(
        "You joined after the topics were published and chose no topic in time, so this free "
        "topic was assigned to you at random; it is not one of your preferences."
    ),
    "The organizer removed your topic by hand; they will contact you.": _(
        "The organizer removed your topic by hand; they will contact you."
    ),
    f"{_MANUAL}.": _("The organizer assigned this topic by hand."),
    f"{_MANUAL}{_IS}.": _(
        "The organizer assigned this topic by hand; it is one of your preferences."
    ),
    f"{_MANUAL}{_IS_NOT}.": _(
        "The organizer assigned this topic by hand; it is not one of your preferences."
    ),
    "There was no topic left for you; the organizer will contact you.": _(
        "There was no topic left for you; the organizer will contact you."
    ),
    "This is one of your preferences.": _("This is one of your preferences."),
    "None of your preferences could be given to you; this was a free topic.": _(
        "None of your preferences could be given to you; this was a free topic."
    ),
    "You sent no preferences; this was a free topic.": _(
        "You sent no preferences; this was a free topic."
    ),
    WHY_NOT_YOURS[Availability.TAKEN_BY_CHOOSER]: _(
        "it went to another student who had chosen it too"
    ),
    WHY_NOT_YOURS[Availability.TAKEN]: _("it went to another student"),
    WHY_NOT_YOURS[Availability.SUPERVISOR_LIMIT]: _(
        "its supervisor has reached their limit of students"
    ),
    WHY_NOT_YOURS[Availability.FREE]: _(
        "it is free now; ask the organizer if you would like to change"
    ),
}


def explanation_text(text: str) -> str:
    """A headline or a reason of topics.explain in the reader's language (unknown: as is)."""
    translated = SENTENCES.get(text)
    return str(translated) if translated is not None else text
