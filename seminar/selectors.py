"""Reads used in more than one place."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from seminar.enums import MeetingKind, RegistrationStatus, StaffKind
from seminar.models import Meeting, Registration, Seminar, StaffRole, User


def seminar_list() -> list[Seminar]:
    """Seminars with the date of their last session, current (not yet over) first."""
    seminars = list(
        Seminar.objects.annotate(
            first_day=Min("meetings__date"),
            last_day=Max("meetings__date", filter=Q(meetings__kind=MeetingKind.SESSION)),
        )
    )
    today = timezone.localdate()
    current = [s for s in seminars if s.last_day is None or s.last_day >= today]
    past = [s for s in seminars if s not in current]
    current.sort(key=lambda s: (s.first_day or today, s.pk))
    past.sort(key=lambda s: (s.last_day, s.pk), reverse=True)
    return current + past


@dataclass(frozen=True)
class SeminarMeetings:
    kickoff: Meeting | None
    sessions: list[Meeting]

    @property
    def last_session(self) -> Meeting | None:
        return self.sessions[-1] if self.sessions else None


def seminar_meetings(seminar: Seminar) -> SeminarMeetings:
    meetings = list(seminar.meetings.order_by("date", "start_time"))
    kickoffs = [m for m in meetings if m.kind == MeetingKind.KICKOFF]
    sessions = [m for m in meetings if m.kind == MeetingKind.SESSION]
    return SeminarMeetings(kickoff=kickoffs[0] if kickoffs else None, sessions=sessions)


@dataclass(frozen=True)
class RegistrationState:
    """What the seminar page says about registration, and which button it offers."""

    message: str
    action: str  # "register", "queue" or "" (no button)
    seats_free: int


def registration_state(
    seminar: Seminar, now: dt.datetime, sessions: list[Meeting]
) -> RegistrationState:
    free = max(seminar.capacity - seats_taken(seminar), 0)
    if sessions and now >= sessions[0].starts_at:
        return RegistrationState("The seminar has started; registration has ended.", "", free)
    opens = seminar.registration_opens_at
    if opens is None or now < opens:
        when = f" on {timezone.localtime(opens):%A, %d %B %Y, %H:%M}" if opens else " soon"
        return RegistrationState(f"Registration opens{when}.", "", free)
    queue = "queue" if seminar.has_waiting_list else ""
    if not seminar.registration_is_open(now):
        if queue:
            message = "Registration is closed (you can still apply for the waiting list)."
            return RegistrationState(message, queue, free)
        return RegistrationState("Registration is closed.", "", free)
    someone_waits = Registration.objects.filter(
        seminar=seminar, status=RegistrationStatus.WAITING
    ).exists()
    if free and not someone_waits:
        seats = "seat is" if free == 1 else "seats are"
        return RegistrationState(f"Registration is open: {free} {seats} free.", "register", free)
    if queue:
        message = "The seminar is full (you can still apply for the waiting list)."
        return RegistrationState(message, queue, free)
    return RegistrationState("The seminar is full.", "", free)


def seminar_first_session_start(seminar: Seminar) -> dt.datetime | None:
    first = seminar.meetings.filter(kind=MeetingKind.SESSION).order_by("date", "start_time").first()
    return first.starts_at if first else None


def seats_taken(seminar: Seminar) -> int:
    return Registration.objects.filter(
        seminar=seminar, status__in=RegistrationStatus.holding_seat()
    ).count()


def registration_counts(seminar: Seminar) -> dict[str, int]:
    """How many registrations are in each state, every state present."""
    rows = (
        Registration.objects.filter(seminar=seminar)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    counts.update(rows)
    return counts


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None if the registration is not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        seminar_id=registration.seminar_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(queue_number__lt=registration.queue_number)
        | Q(queue_number=registration.queue_number, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def with_waiting_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate `position` (1 = first in line; None unless waiting) in the same query.

    A correlated count rather than a window function, so that it stays right when the list is
    filtered or searched.
    """
    ahead = (
        Registration.objects.filter(
            seminar_id=OuterRef("seminar_id"), status=RegistrationStatus.WAITING
        )
        .filter(
            Q(queue_number__lt=OuterRef("queue_number"))
            | Q(queue_number=OuterRef("queue_number"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("seminar_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(
        position=Case(
            When(
                status=RegistrationStatus.WAITING,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def registration_of(seminar: Seminar, user: User) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(seminar=seminar, student=user).first()


def seminars_with_due_offers() -> list[int]:
    return list(
        Registration.objects.filter(
            status=RegistrationStatus.OFFERED, offer_expires_at__lte=timezone.now()
        )
        .values_list("seminar_id", flat=True)
        .distinct()
    )


def staff_of(seminar: Seminar) -> list[StaffRole]:
    return list(seminar.staff.select_related("user").order_by("position", "pk"))


def is_organizer(user: User, seminar: Seminar) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return seminar.staff.filter(user=user, kind=StaffKind.ORGANIZER).exists()


def is_staff_of(user: User, seminar: Seminar) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or seminar.staff.filter(user=user).exists()


@dataclass(frozen=True)
class MySeminar:
    """A seminar in someone's "My seminars": their registration in it and their staff roles."""

    seminar: Seminar
    registration: Registration | None
    staff_kinds: list[str]


def seminars_of(user: User) -> list[MySeminar]:
    """The seminars a person is registered for (still active) or works for, soonest first."""
    registrations = {
        r.seminar_id: r
        for r in Registration.objects.filter(
            student=user, status__in=RegistrationStatus.active()
        ).select_related("seminar")
    }
    roles: dict[int, list[StaffRole]] = {}
    for role in StaffRole.objects.filter(user=user).select_related("seminar"):
        roles.setdefault(role.seminar_id, []).append(role)
    seminars = {r.seminar_id: r.seminar for r in registrations.values()}
    seminars.update({pk: found[0].seminar for pk, found in roles.items()})
    newest_first = sorted(seminars.items(), key=lambda item: item[1].created_at, reverse=True)
    return [
        MySeminar(
            seminar=seminar,
            registration=registrations.get(pk),
            staff_kinds=[role.get_kind_display() for role in roles.get(pk, [])],
        )
        for pk, seminar in newest_first
    ]
