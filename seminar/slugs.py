"""Slugs of seminars: the title and the term, e.g. `deep-diffusion-ws2026`."""

import re

from django.utils.text import slugify

SLUG_MAX_LENGTH = 50
_WINTER = re.compile(r"^(?:winter(?:semester)?|wintersem\.?|wise|ws)\s*(\d{4})", re.IGNORECASE)
_SUMMER = re.compile(
    r"^(?:summer(?:semester)?|sommer(?:semester)?|sose|ss)\s*(\d{4})", re.IGNORECASE
)


def term_code(term: str) -> str:
    """'Winter 2026/27' → 'ws2026', 'Summer 2027' (or 'SoSe 2027') → 'ss2027', else the slug."""
    text = term.strip()
    for pattern, prefix in ((_WINTER, "ws"), (_SUMMER, "ss")):
        match = pattern.match(text)
        if match:
            return f"{prefix}{match.group(1)}"
    return slugify(text)


def slug_base(slug: str, term: str) -> str:
    """A seminar's slug without its term at the end: 'deep-diffusion-ws2025' → 'deep-diffusion'."""
    endings = {code for code in (term_code(term), slugify(term)) if code}
    for ending in sorted(endings, key=len, reverse=True):
        if slug.endswith(f"-{ending}"):
            return slug[: -len(ending) - 1]
    return re.sub(r"-(?:ws|ss)?\d{4}$", "", slug) or slug


def slug_for(base: str, term: str, taken) -> str:
    """`<base>-<term code>`, with -2, -3, … when `taken(slug)` says it is in use already."""
    code = term_code(term)
    room = SLUG_MAX_LENGTH - (len(code) + 1 if code else 0) - 3  # "-99"
    base = (slugify(base)[:room].strip("-")) or "seminar"
    first = f"{base}-{code}" if code else base
    slug, number = first, 2
    while taken(slug):
        slug = f"{first}-{number}"
        number += 1
    return slug
