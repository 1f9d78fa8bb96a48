"""Who is acting right now, for the activity log: the signed-in person of the request, else nobody.

Every door that a person uses (the site's pages and the admin) passes through ActorMiddleware;
tasks and the scheduler run outside any request, so their changes are logged as "system".
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_actor: ContextVar = ContextVar("acting_user", default=None)


def current_actor():
    return _actor.get()


@contextmanager
def acting_as(user) -> Iterator[None]:
    token = _actor.set(user if user is not None and user.is_authenticated else None)
    try:
        yield
    finally:
        _actor.reset(token)


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)
