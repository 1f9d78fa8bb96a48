"""Words for people that depend on the reader's language."""

from django.utils.translation import get_language


def in_sentence(label) -> str:
    """A choice's label inside a sentence ("You are confirmed."): lower case in English;
    in German as it is, since nouns keep their capital ("Ihr Status: Auf der Warteliste.")."""
    text = str(label)
    return text.lower() if (get_language() or "en").startswith("en") else text
