"""A signed-in person sees the site in the language stored on their account."""

from django.utils import translation


class AccountLanguageMiddleware:
    """After authentication: the account's language wins over cookie and browser.

    LocaleMiddleware (earlier) has chosen from the language cookie or Accept-Language; for a
    signed-in person this replaces it with `user.language`, so that their choice follows them
    to every browser and the next login is in their language at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = translation.get_supported_language_variant(user.language or "en")
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
