"""Validators for text a person types that others are shown: names and the like."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Characters that reorder the text around them (bidirectional overrides and isolates): a name
# with one can show as something else on every page and in every e-mail header.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unprintable(value: str) -> list[str]:
    """The characters of `value` that have no place in one line of text: control characters
    (line breaks, tabs, escape, NUL, …) and bidirectional overrides."""
    return [c for c in value if unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS]


@deconstructible
class OneLineValidator:
    """One line of printable text (no line breaks, control characters or direction overrides);
    such a value goes into e-mail headers, CSV cells and every page unchanged."""

    message = _("Use one line of ordinary text, without control characters.")
    code = "unprintable"

    def __call__(self, value) -> None:
        if isinstance(value, str) and unprintable(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, OneLineValidator)

    def __hash__(self) -> int:
        return hash(OneLineValidator)


validate_one_line = OneLineValidator()
