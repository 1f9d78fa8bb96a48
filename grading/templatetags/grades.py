"""Grades as the reader's language writes them: "1.7" in English, "1,7" in German."""

from django import template

from grading.display import explanation_text, finding_text, grade_text

register = template.Library()


@register.filter
def grade(value):
    """A grade, or a text with grades in it ("0.50 × 1.7 = 1.7"), with the active language's
    decimal separator. Empty values and words pass through as they are."""
    return grade_text(value)


@register.filter
def finding(text):
    """A failed gate or a missing part ("missing report 2") in the reader's language."""
    return finding_text(str(text))


@register.filter
def explanation(text):
    """How a final grade was computed, in the reader's language."""
    return explanation_text(str(text)) if text else ""
