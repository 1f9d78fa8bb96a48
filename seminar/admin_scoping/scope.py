"""Which seminars a person works in, and how any model reaches its seminar."""

from collections.abc import Iterable
from functools import cache

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from seminar.enums import StaffKind
from seminar.models import Seminar, StaffRole, User

# --- Which seminars a person works in ------------------------------------------------------


def organized_ids(request: HttpRequest) -> set[int] | None:
    """Ids of the seminars the person organizes; None for a superuser (all of them)."""
    if request.user.is_superuser:
        return None
    if not hasattr(request, "_organized_seminar_ids"):
        request._organized_seminar_ids = set(
            StaffRole.objects.filter(user=request.user, kind=StaffKind.ORGANIZER).values_list(
                "seminar_id", flat=True
            )
        )
    return request._organized_seminar_ids


def staffed_ids(request: HttpRequest) -> set[int] | None:
    """Ids of the seminars the person holds any role in; None for a superuser."""
    if request.user.is_superuser:
        return None
    if not hasattr(request, "_staffed_seminar_ids"):
        request._staffed_seminar_ids = set(
            StaffRole.objects.filter(user=request.user).values_list("seminar_id", flat=True)
        )
    return request._staffed_seminar_ids


def organizes(request: HttpRequest, seminar_id: int | None) -> bool:
    ids = organized_ids(request)
    return ids is None or seminar_id in ids


def works_in(request: HttpRequest, seminar_id: int | None) -> bool:
    ids = staffed_ids(request)
    return ids is None or seminar_id in ids


# --- How a model reaches its seminar -------------------------------------------------------


@cache
def seminar_path_of(model: type[models.Model]) -> str | None:
    """The lookup from a model to its Seminar ("" for Seminar itself, None if it has none).

    The shortest chain of foreign keys, in field order: Topic -> "seminar",
    Preference -> "registration__seminar", Assignment -> "run__seminar".
    """
    if model is Seminar:
        return ""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _depth in range(3):
        deeper = []
        for current, prefix in frontier:
            for f in current._meta.get_fields():
                if not (f.concrete and (f.many_to_one or f.one_to_one)):
                    continue
                if f.related_model is Seminar:
                    return f"{prefix}{f.name}"
                deeper.append((f.related_model, f"{prefix}{f.name}__"))
        frontier = deeper
    return None


def seminar_id_of(obj: models.Model | None, path: str | None) -> int | None:
    """The seminar id of an object along its path, without queries for a direct key."""
    if obj is None or path is None:
        return None
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)  # an unset relation raises a subclass of AttributeError
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def within_seminars(queryset: QuerySet, ids: Iterable[int] | None) -> QuerySet:
    """Rows of the given seminars (ids None: every row); people of them for the user model."""
    if ids is None:
        return queryset
    ids = list(ids)
    model = queryset.model
    if model is User:
        return queryset.filter(
            Q(pk__in=StaffRole.objects.filter(seminar__in=ids).values("user"))
            | Q(registrations__seminar__in=ids)
        ).distinct()
    path = seminar_path_of(model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path or 'pk'}__in": ids})
