"""Test helpers for e-mail templates: make a missing variable visible, list the template sets."""

import re
from pathlib import Path

from django.conf import settings as django_settings

MISSING = "MISSING-VARIABLE"


def strict_templates(settings) -> None:
    """Render a variable the context lacks as MISSING-VARIABLE[name] instead of nothing."""
    options = {**settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid": f"{MISSING}[%s]"}
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": options}]


def missing_variables(*texts: str) -> list[str]:
    return [name for text in texts for name in re.findall(rf"{MISSING}\[([^\]]*)\]", text)]


def template_sets(prefix: str) -> set[str]:
    """Names of the e-mail template sets in templates/emails/ whose name starts with prefix."""
    folder = Path(django_settings.BASE_DIR) / "templates" / "emails"
    return {
        re.sub(r"_(subject\.txt|body\.txt|body\.html)$", "", path.name)
        for path in folder.glob(f"{prefix}*_*")
        if re.search(r"_(subject\.txt|body\.txt|body\.html)$", path.name)
    }
