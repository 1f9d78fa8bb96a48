"""What a student is told about their topic, in the reader's language."""

from django import template

from topics.display import explanation_text

register = template.Library()


@register.filter
def explained(text):
    """topics.explain's English headline or reason, translated when the page is rendered."""
    return explanation_text(str(text)) if text else ""
