"""A person's own account settings."""

from django.conf import settings

from seminar.errors import Invalid
from seminar.models import User


def user_language_set(*, user: User, language: str) -> bool:
    """Store the language of the site and of the e-mails to `user`; True if it changed."""
    if language not in dict(settings.LANGUAGES):
        raise Invalid(f"{language!r} is not one of the site's languages.")
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True
