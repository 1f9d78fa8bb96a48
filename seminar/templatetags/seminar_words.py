"""Template filters for words that depend on the reader's language."""

from django import template

from seminar.display import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(label) -> str:
    """A label inside a sentence: lower case in English, as it is in German."""
    return _in_sentence(label)
