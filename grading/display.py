"""Grades for people: the active language's decimal separator ("1,7" in German)."""

import re
from decimal import Decimal

from django.utils.formats import get_format

# A decimal point between digits, as the scale and the computations write it ("1.7", "0.50").
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def grade_text(value) -> str:
    """`value` (a Decimal, a grade string, or a text containing grades) with every decimal
    point between two digits written as the active language's separator; None and "" as ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    separator = get_format("DECIMAL_SEPARATOR")
    return _DECIMAL_POINT.sub(separator, str(value))
