"""Answers of seminar-wide selectors, shared within one read of a page.

A page assembled from panels asks several apps the same seminar-wide questions (the sessions,
the deliverables, the published talks, the grading scheme): each panel alone makes a fixed
number of queries, together they would ask the database the same thing two or three times.
Inside `read_scope()` a selector decorated with `@per_read` answers each distinct question
once; outside it (services, tasks, tests of a selector alone) it reads afresh every time.

A scope is opened only by pages that read after their writes are done (the dashboard opens it
after its clock steps ran), so an answer can never be older than the page's own state. The
shared answers are the selectors' own objects: callers do not change them.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_answers: ContextVar[dict | None] = ContextVar("seminar_read_scope", default=None)


@contextmanager
def read_scope() -> Iterator[None]:
    """Within this block, each `@per_read` selector answers one question once."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def in_read_scope() -> bool:
    return _answers.get() is not None


def memo_key(args: tuple, kwargs: dict) -> tuple:
    """A hashable key for arguments (hashable values, or collections of them)."""
    return (
        tuple(_frozen(arg) for arg in args),
        tuple(sorted((k, _frozen(v)) for k, v in kwargs.items())),
    )


def per_read(selector: Callable[P, R]) -> Callable[P, R]:
    """Share the selector's answer within a `read_scope()`. Its first argument is a model
    instance (keyed by class and pk); the others must be hashable, or collections of such."""
    return _shared(selector, lambda first: (type(first).__name__, first.pk))


def per_read_key(selector: Callable[P, R]) -> Callable[P, R]:
    """As `per_read`, for a selector whose arguments are all hashable values."""
    return _shared(selector, lambda first: first)


def _shared(selector: Callable[P, R], identity: Callable) -> Callable[P, R]:
    name = f"{selector.__module__}.{selector.__qualname__}"

    @wraps(selector)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        answers = _answers.get()
        if answers is None:
            return selector(*args, **kwargs)
        key = (name, identity(args[0]), memo_key(args[1:], kwargs))
        if key not in answers:
            answers[key] = selector(*args, **kwargs)
        return answers[key]

    return wrapper


def _frozen(value):
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(value)))
    if isinstance(value, list | tuple):
        return ("seq", tuple(value))
    try:
        hash(value)
    except TypeError:
        return ("seq", tuple(value))  # another collection, e.g. a dict's keys
    return value
