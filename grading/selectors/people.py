"""Whom a person may grade, as a queryset for lists (the same rule as grading.rules.may_grade)."""

from django.db.models import Q, QuerySet

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, Seminar, StaffRole, User


def gradable_students(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The participants this user may grade: every participant of the seminars they organize,
    and those whose published topic they supervise (superusers: every participant)."""
    queryset = Registration.objects.all() if queryset is None else queryset
    queryset = queryset.filter(status=RegistrationStatus.CONFIRMED)
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    organized = StaffRole.objects.filter(user=user, kind=StaffKind.ORGANIZER).values("seminar")
    supervised = Registration.objects.filter(
        assignments__run__published_at__isnull=False,
        assignments__topic__supervisor__user=user,
    ).values("pk")
    return queryset.filter(Q(seminar__in=organized) | Q(pk__in=supervised))


def grading_participants(seminar: Seminar) -> list[Registration]:
    """The participants a seminar's grade sheet lists: everyone confirmed, by name."""
    return list(
        Registration.objects.filter(seminar=seminar, status=RegistrationStatus.CONFIRMED)
        .select_related("student", "seminar")
        .order_by("student__full_name", "pk")
    )
