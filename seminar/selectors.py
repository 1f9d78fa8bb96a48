"""Reads used in more than one place."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from seminar.cache import kept_per_version
from seminar.deadlines import at_local
from seminar.enums import MeetingKind, RegistrationStatus, StaffKind
from seminar.models import Meeting, Registration, Seminar, StaffRole, User


@dataclass(frozen=True)
class ListedSeminar:
    seminar: Seminar
    first_day: dt.date | None
    last_day: dt.date | None
    state: "RegistrationState"


def seminar_list(now: dt.datetime | None = None) -> list[ListedSeminar]:
    """Every seminar with its dates and its state; current (not yet over) first.

    A fixed number of queries: the seats and the line are counted in the seminars' query, the
    meetings of all seminars come in one more.
    """
    now = now or timezone.now()
    waiting = Q(registrations__status=RegistrationStatus.WAITING)
    seminars = (
        Seminar.objects.annotate(
            seats_held=Count(
                "registrations",
                filter=Q(registrations__status__in=RegistrationStatus.holding_seat()),
                distinct=True,
            ),
            waiting_count=Count("registrations", filter=waiting, distinct=True),
        )
        .prefetch_related(Prefetch("meetings", Meeting.objects.order_by("date", "start_time")))
        .order_by("pk")
    )
    listed = []
    for seminar in seminars:
        meetings = list(seminar.meetings.all())
        sessions = [m for m in meetings if m.kind == MeetingKind.SESSION]
        state = registration_state(
            seminar,
            now,
            sessions,
            seats_held=seminar.seats_held,
            someone_waits=seminar.waiting_count > 0,
        )
        listed.append(
            ListedSeminar(
                seminar=seminar,
                first_day=meetings[0].date if meetings else None,
                last_day=sessions[-1].date if sessions else None,
                state=state,
            )
        )
    today = timezone.localdate(now)
    current = [s for s in listed if s.last_day is None or s.last_day >= today]
    past = [s for s in listed if s not in current]
    current.sort(key=lambda s: (s.first_day or today, s.seminar.pk))
    past.sort(key=lambda s: (s.last_day, s.seminar.pk), reverse=True)
    return current + past


@dataclass(frozen=True)
class SeminarMeetings:
    kickoff: Meeting | None
    sessions: list[Meeting]

    @property
    def last_session(self) -> Meeting | None:
        return self.sessions[-1] if self.sessions else None


@kept_per_version
def seminar_meetings(seminar: Seminar) -> SeminarMeetings:
    meetings = list(seminar.meetings.order_by("date", "start_time"))
    kickoffs = [m for m in meetings if m.kind == MeetingKind.KICKOFF]
    sessions = [m for m in meetings if m.kind == MeetingKind.SESSION]
    return SeminarMeetings(kickoff=kickoffs[0] if kickoffs else None, sessions=sessions)


def seminar_first_session_start(seminar: Seminar) -> dt.datetime | None:
    first = seminar.meetings.filter(kind=MeetingKind.SESSION).order_by("date", "start_time").first()
    return first.starts_at if first else None


def seminar_has_started(
    seminar: Seminar, now: dt.datetime, sessions: list[Meeting] | None = None
) -> bool:
    """The one answer to "has the seminar started?": its first session has begun.

    From then on registrations no longer change: nobody registers, queues, withdraws or is
    offered a seat. `sessions` (in date order) saves the query when the caller has them.
    """
    if sessions is None:
        starts = seminar_first_session_start(seminar)
    else:
        starts = sessions[0].starts_at if sessions else None
    return starts is not None and now >= starts


def seminar_has_ended(sessions: list[Meeting], now: dt.datetime) -> bool:
    """The last session's day is over."""
    return bool(sessions) and timezone.localdate(now) > sessions[-1].date


def registration_moments(seminar: Seminar, sessions: list[Meeting]) -> list[dt.datetime | None]:
    """When the seminar's registration state changes by the clock alone: registration opens or
    closes, the first session starts, the last session's day is over."""
    moments = [seminar.registration_opens_at, seminar.registration_closes_at]
    if sessions:
        moments.append(sessions[0].starts_at)
        if sessions[-1].date < dt.date.max:  # a date saved before dates were validated
            moments.append(at_local(sessions[-1].date + dt.timedelta(days=1), dt.time()))  # ended
    return moments


class Phase:
    """Where a seminar stands, as the seminar list and page name it."""

    NOT_OPEN = "not open yet"
    OPEN = "open"
    FULL = "full, waiting list open"
    FULL_NO_LIST = "full"
    CLOSED = "closed"
    RUNNING = "running"
    ENDED = "ended"


# The phases in words, in the reader's language (the phase itself is also a CSS class).
PHASE_LABELS = {
    Phase.NOT_OPEN: pgettext_lazy("seminar phase", "not open yet"),
    Phase.OPEN: pgettext_lazy("seminar phase", "open"),
    Phase.FULL: pgettext_lazy("seminar phase", "full, waiting list open"),
    Phase.FULL_NO_LIST: pgettext_lazy("seminar phase", "full"),
    Phase.CLOSED: pgettext_lazy("seminar phase", "closed"),
    Phase.RUNNING: pgettext_lazy("seminar phase", "running"),
    Phase.ENDED: pgettext_lazy("seminar phase", "ended"),
}


@dataclass(frozen=True)
class RegistrationState:
    """May a student register now, or join the waiting list? The one answer, for the pages and
    for the registration service alike (`registration_create` acts on `action`).

    `message` is what the seminar page says, `refusal` what a student who tries anyway is told.
    """

    phase: str
    message: str
    action: str  # REGISTER, QUEUE or "" (no button; registering is refused with `refusal`)
    seats_free: int
    refusal: str = ""

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS.get(self.phase, self.phase))


REGISTER = "register"
QUEUE = "queue"


def registration_state(
    seminar: Seminar,
    now: dt.datetime,
    sessions: list[Meeting] | None = None,
    *,
    seats_held: int | None = None,
    someone_waits: bool | None = None,
) -> RegistrationState:
    """Decide from the seminar's dates, seats and line; the counts are read when not given."""
    if sessions is None:
        sessions = seminar_meetings(seminar).sessions
    if seats_held is None:
        seats_held = seats_taken(seminar)
    free = max(seminar.capacity - seats_held, 0)
    if seminar_has_started(seminar, now, sessions):
        ended = seminar_has_ended(sessions, now)
        return RegistrationState(
            Phase.ENDED if ended else Phase.RUNNING,
            _("The seminar has ended.")
            if ended
            else _("The seminar has started; registration has ended."),
            "",
            free,
            _("The seminar has started; registrations can no longer change."),
        )
    opens = seminar.registration_opens_at
    if opens is None or now < opens:
        if opens:
            when = date_format(timezone.localtime(opens), _("l, j F Y, H:i"))
            page = _("Registration opens on %(when)s.") % {"when": when}
            refusal = _("Registration has not opened yet. It opens on %(when)s.") % {
                "when": _when(opens)
            }
        else:
            page = _("Registration opens soon.")
            refusal = _("Registration has not opened yet.")
        return RegistrationState(Phase.NOT_OPEN, page, "", free, refusal)
    keeps_list = seminar.has_waiting_list
    if not seminar.registration_is_open(now):
        if keeps_list:
            message = _("Registration is closed (you can still apply for the waiting list).")
            return RegistrationState(Phase.CLOSED, message, QUEUE, free)
        refusal = _("Registration is closed and this seminar keeps no waiting list.")
        return RegistrationState(Phase.CLOSED, _("Registration is closed."), "", free, refusal)
    if someone_waits is None:
        someone_waits = Registration.objects.filter(
            seminar=seminar, status=RegistrationStatus.WAITING
        ).exists()
    if free and not someone_waits:
        message = ngettext(
            "Registration is open: %(free)d seat is free.",
            "Registration is open: %(free)d seats are free.",
            free,
        ) % {"free": free}
        return RegistrationState(Phase.OPEN, message, REGISTER, free)
    if keeps_list:
        message = _("The seminar is full (you can still apply for the waiting list).")
        return RegistrationState(Phase.FULL, message, QUEUE, free)
    refusal = _("The seminar is full and keeps no waiting list.")
    return RegistrationState(Phase.FULL_NO_LIST, _("The seminar is full."), "", free, refusal)


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), _("j F Y, H:i"))


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


def offers_after_leaving(registration: Registration, now: dt.datetime | None = None) -> int:
    """How many people waiting would get a seat offered (or confirmed) if this registration
    ended now: the seats then free, at most as many as wait behind it, none once the seminar
    has started. What a confirmation tells the organizer before they remove someone."""
    seminar = registration.seminar
    if not registration.is_active or seminar_has_started(seminar, now or timezone.now()):
        return 0
    free = seminar.capacity - seats_taken(seminar) + (1 if registration.holds_seat else 0)
    waiting = (
        Registration.objects.filter(seminar=seminar, status=RegistrationStatus.WAITING)
        .exclude(pk=registration.pk)
        .count()
    )
    return max(0, min(free, waiting))


def next_offer_expiry(seminar: Seminar) -> dt.datetime | None:
    """When the next open offer of a seat runs out, if any."""
    return Registration.objects.filter(
        seminar=seminar, status=RegistrationStatus.OFFERED
    ).aggregate(first=Min("offer_expires_at"))["first"]


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
