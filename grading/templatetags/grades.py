"""Grades as the reader's language writes them: "1.7" in English, "1,7" in German."""

from django import template

from grading.display import grade_text

register = template.Library()


@register.filter
def grade(value):
    """A grade, or a text with grades in it ("0.50 × 1.7 = 1.7"), with the active language's
    decimal separator. Empty values and words pass through as they are."""
    return grade_text(value)
