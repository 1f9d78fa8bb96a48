"""How a service's refusal reaches a person: one mapping from the kind of refusal to HTTP."""

from contextlib import suppress

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seminar.errors import Busy, Conflict, DomainError, Invalid, NotAllowed
from seminar.models import Seminar
from seminar.services.registration import offers_expire

_STATUS = {Invalid: 400, NotAllowed: 403, Conflict: 409, Busy: 503}
RETRY_AFTER_SECONDS = "2"


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 409


def refusal_page(request: HttpRequest, seminar: Seminar, error: DomainError) -> HttpResponse:
    """The refusal as a page of its own, with the status that fits it."""
    response = render(
        request,
        "seminar/refused.html",
        {"seminar": seminar, "message": error.message},
        status=status_of(error),
    )
    if isinstance(error, Busy):
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def offers_expire_unless_busy(seminar: Seminar) -> None:
    """Pass on seats whose offers ran out before a page is shown, unless the seminar's lock is
    busy: then the page is shown as it is, and the next reading or the beat task passes them on.
    A page that only reads never answers "busy"."""
    with suppress(Busy):
        offers_expire(seminar=seminar)
