"""Registration and the waiting list.

Every decision runs in one transaction holding the seminar's lock (services.locking), so seats
are counted and taken one request at a time: the seminar is never oversold and nobody jumps the
queue. Invariant kept after every change: while seats are free and the seminar has not started,
the first people waiting are offered them (or confirmed at once when offers last 0 hours).
"""

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from seminar import slots
from seminar.cache import seminar_page_changed
from seminar.display import in_sentence
from seminar.enums import RegistrationStatus as Status
from seminar.errors import Conflict, Invalid, NotAllowed
from seminar.models import Meeting, Registration, Seminar, User
from seminar.selectors import (
    REGISTER,
    registration_state,
    seats_taken,
    seminar_has_started,
    seminar_meetings,
    waiting_position,
)
from seminar.services.activity import activity_log
from seminar.services.email import seminar_email_queue
from seminar.services.locking import seminar_locked
from seminar.signals import participant_confirmed


def registration_create(*, seminar: Seminar, student: User) -> Registration:
    """Confirm a seat if one is free and nobody waits; otherwise join the waiting list."""
    _check_eligible(seminar, student)
    offers_expire(seminar=seminar)  # its own transaction: a refusal below must not undo it
    with seminar_locked(seminar.pk) as seminar:
        now = timezone.now()
        sessions = seminar_meetings(seminar).sessions
        _check_not_started(seminar, now, sessions)
        registration = Registration.objects.filter(seminar=seminar, student=student).first()
        if registration and registration.is_active:
            raise Conflict(
                _("You are already registered (%(status)s).")
                % {"status": in_sentence(registration.get_status_display())}
            )
        # The same decision the seminar page shows, on the counts read under the lock.
        state = registration_state(seminar, now, sessions)
        if not state.action:
            raise Conflict(state.refusal)
        registration = registration or Registration(seminar=seminar, student=student)
        registration.joined_at = now
        registration.offered_at = registration.offer_expires_at = None
        if state.action == REGISTER:
            _confirm(registration, now, template="registration_confirmed")
        else:
            _enqueue(registration, now)
            _fill_free_seats(seminar, now)
        return registration


def registration_withdraw(*, seminar: Seminar, student: User) -> Registration:
    """Leave the seminar or the waiting list; a freed seat goes to the next person waiting."""
    with seminar_locked(seminar.pk) as seminar:
        now = timezone.now()
        _check_not_started(seminar, now)
        registration = _active_registration(seminar, student)
        _leave(registration, Status.WITHDRAWN, now, template="registration_withdrawn")
        _fill_free_seats(seminar, now)
        return registration


def offer_accept(*, seminar: Seminar, student: User) -> Registration:
    offers_expire(seminar=seminar)  # its own transaction: a refusal below must not undo it
    with seminar_locked(seminar.pk) as seminar:
        now = timezone.now()
        registration = _registration_with_offer(seminar, student, now)
        _confirm(registration, now, template="registration_promoted")
        return registration


def offer_decline(*, seminar: Seminar, student: User) -> Registration:
    offers_expire(seminar=seminar)  # its own transaction: a refusal below must not undo it
    with seminar_locked(seminar.pk) as seminar:
        now = timezone.now()
        registration = _registration_with_offer(seminar, student, now)
        _leave(registration, Status.DECLINED, now, template="registration_declined")
        _fill_free_seats(seminar, now)
        return registration


def offers_expire(*, seminar: Seminar) -> int:
    """Pass on every seat whose offer ran out. Cheap when nothing is due (one query, no lock)."""
    if not Registration.objects.filter(
        seminar=seminar, status=Status.OFFERED, offer_expires_at__lte=timezone.now()
    ).exists():
        return 0
    with seminar_locked(seminar.pk) as seminar:
        now = timezone.now()
        expired = _expire_due_offers(seminar, now)
        return expired


# --- Organizer actions ---------------------------------------------------------------------


def registration_remove(*, registration: Registration) -> Registration:
    with seminar_locked(registration.seminar_id) as seminar:
        now = timezone.now()
        registration = _reload_active(registration)
        _leave(registration, Status.REMOVED, now, template="registration_removed")
        _fill_free_seats(seminar, now)
        return registration


def registration_promote(*, registration: Registration) -> tuple[Registration, int | None]:
    """Confirm a waiting or offered student by hand, ahead of the line.

    If no seat is free, the capacity grows by one: a seat is never oversold, the organizer's
    choice is explicit. Returns the registration and the new capacity if it changed.
    """
    with seminar_locked(registration.seminar_id) as seminar:
        now = timezone.now()
        registration = _reload_active(registration)
        if registration.status == Status.CONFIRMED:
            raise Conflict(
                _("%(student)s is already confirmed.") % {"student": registration.student}
            )
        new_capacity = None
        if registration.status == Status.WAITING and seats_taken(seminar) >= seminar.capacity:
            seminar.capacity += 1
            seminar.save(update_fields=["capacity"])
            activity_log(
                action="seminar.capacity_set",
                seminar=seminar,
                obj=seminar,
                old={"capacity": seminar.capacity - 1},
                new={"capacity": seminar.capacity},
                reason=f"{registration.student} confirmed ahead of the line while no seat was free",
            )
            new_capacity = seminar.capacity
        _confirm(registration, now, template="registration_promoted")
        return registration, new_capacity


def waiting_list_move(*, registration: Registration, position: int) -> int:
    """Put a waiting student at a position (1 = first in line); returns the position taken."""
    with seminar_locked(registration.seminar_id) as seminar:
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != Status.WAITING:
            raise Conflict(
                _("%(student)s is not on the waiting list.") % {"student": registration.student}
            )
        line = list(
            Registration.objects.filter(seminar=seminar, status=Status.WAITING)
            .exclude(pk=registration.pk)
            .order_by("queue_number", "pk")
        )
        old_position = _line_position(line, registration)
        position = min(max(position, 1), len(line) + 1)
        line.insert(position - 1, registration)
        for number, entry in enumerate(line, start=1):
            entry.queue_number = number
        Registration.objects.bulk_update(line, ["queue_number"])
        seminar_page_changed(seminar)  # bulk_update sends no signal; positions are shown
        activity_log(
            action="waiting_list.moved",
            seminar=seminar,
            obj=registration,
            old={"position": old_position},
            new={"position": position},
        )
        return position


def seminar_capacity_set(*, seminar: Seminar, capacity: int) -> Seminar:
    with seminar_locked(seminar.pk) as seminar:
        taken = seats_taken(seminar)
        if capacity < taken:
            raise Invalid(f"{taken} seats are taken; the capacity cannot be lower than that.")
        activity_log(
            action="seminar.capacity_set",
            seminar=seminar,
            obj=seminar,
            old={"capacity": seminar.capacity},
            new={"capacity": capacity},
        )
        seminar.capacity = capacity
        seminar.save(update_fields=["capacity"])
        _fill_free_seats(seminar, timezone.now())
        return seminar


def registration_opening_check(seminar: Seminar) -> None:
    """Refuse, with the list, while the apps above still see gaps (the setup checklist); every
    way of opening registration, at once or at a later moment, asks here."""
    gaps = slots.opening_gaps(seminar)
    if gaps:
        raise Conflict(
            _("Registration cannot open yet. Still missing: %(missing)s.")
            % {"missing": "; ".join(gaps)}
        )


def registration_window_check(
    seminar: Seminar,
    *,
    old_opens: dt.datetime | None,
    old_closes: dt.datetime | None,
    now: dt.datetime | None = None,
) -> None:
    """For a registration window set by hand (the seminar holds the new one): a window that lets
    students register at any moment from now on that the old one did not, now or later, opens
    registration and asks registration_opening_check. Shortening or closing never does, so a
    seminar already open can still be closed or cut short while gaps exist."""
    now = now or timezone.now()
    new = _window_ahead(seminar.registration_opens_at, seminar.registration_closes_at, now)
    if new is None:
        return
    old = _window_ahead(old_opens, old_closes, now)
    if old is not None and _within(new, old):
        return
    registration_opening_check(seminar)


def _window_ahead(opens, closes, now) -> tuple[dt.datetime, dt.datetime | None] | None:
    """The part of a window from `now` on, as (start, end or None for open-ended); None: none.
    To the second: the admin shows and sends the moments without their microseconds."""
    if opens is None:
        return None
    opens, closes = _to_the_second(opens), closes and _to_the_second(closes)
    start = max(opens, _to_the_second(now))
    if closes is not None and closes <= start:
        return None
    return start, closes


def _to_the_second(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


def _within(inner: tuple, outer: tuple) -> bool:
    (inner_start, inner_end), (outer_start, outer_end) = inner, outer
    if inner_start < outer_start:
        return False
    return outer_end is None or (inner_end is not None and inner_end <= outer_end)


def registration_open_now(*, seminar: Seminar) -> Seminar:
    """Open registration at once; refused while the setup checklist still has gaps."""
    with seminar_locked(seminar.pk) as seminar:
        registration_opening_check(seminar)
        now = timezone.now()
        old = _registration_window(seminar)
        seminar.registration_opens_at = now
        if seminar.registration_closes_at and seminar.registration_closes_at <= now:
            seminar.registration_closes_at = None
        seminar.save(update_fields=["registration_opens_at", "registration_closes_at"])
        activity_log(
            action="registration.opened",
            seminar=seminar,
            obj=seminar,
            old=old,
            new=_registration_window(seminar),
        )
        return seminar


def registration_close_now(*, seminar: Seminar) -> Seminar:
    with seminar_locked(seminar.pk) as seminar:
        old = _registration_window(seminar)
        seminar.registration_closes_at = timezone.now()
        seminar.save(update_fields=["registration_closes_at"])
        activity_log(
            action="registration.closed",
            seminar=seminar,
            obj=seminar,
            old=old,
            new=_registration_window(seminar),
        )
        return seminar


def _registration_window(seminar: Seminar) -> dict:
    return {"opens_at": seminar.registration_opens_at, "closes_at": seminar.registration_closes_at}


def _line_position(line: list[Registration], registration: Registration) -> int:
    """1-based place of a registration among the others waiting, by queue number."""
    mine = (registration.queue_number, registration.pk)
    return sum((r.queue_number, r.pk) < mine for r in line) + 1


# --- Steps, all called with the seminar locked ---------------------------------------------


def _check_eligible(seminar: Seminar, student: User) -> None:
    if not student.degree_level:
        raise NotAllowed(
            _("Your account has no degree level, so we cannot tell whether you are eligible.")
        )
    if not seminar.admits(student.degree_level):
        raise NotAllowed(
            _("This seminar is not open to %(level)s students (eligible: %(eligible)s).")
            % {
                "level": student.get_degree_level_display(),
                "eligible": seminar.eligibility or _("see the seminar page"),
            }
        )


def _check_not_started(
    seminar: Seminar, now: dt.datetime, sessions: list[Meeting] | None = None
) -> None:
    if seminar_has_started(seminar, now, sessions):
        raise Conflict(_("The seminar has started; registrations can no longer change."))


def _active_registration(seminar: Seminar, student: User) -> Registration:
    registration = Registration.objects.filter(
        seminar=seminar, student=student, status__in=Status.active()
    ).first()
    if registration is None:
        raise Conflict(_("You are not registered for this seminar."))
    return registration


def _registration_with_offer(seminar: Seminar, student: User, now: dt.datetime) -> Registration:
    registration = Registration.objects.filter(seminar=seminar, student=student).first()
    ran_out = registration is not None and (
        registration.status == Status.EXPIRED
        or (registration.status == Status.OFFERED and registration.offer_expires_at <= now)
    )
    if ran_out:
        raise Conflict(
            _("Your offer expired on %(when)s. You can join the waiting list again.")
            % {"when": _when(registration.offer_expires_at)}
        )
    if registration is None or registration.status != Status.OFFERED:
        raise Conflict(_("You have no open offer of a seat."))
    return registration


def _reload_active(registration: Registration) -> Registration:
    registration = Registration.objects.select_related("student").get(pk=registration.pk)
    if not registration.is_active:
        raise Conflict(
            _("%(student)s is not registered any more.") % {"student": registration.student}
        )
    return registration


def _confirm(registration: Registration, now: dt.datetime, *, template: str) -> None:
    old_status = registration.status
    registration.status = Status.CONFIRMED
    registration.confirmed_at = registration.status_changed_at = now
    registration.queue_number = None
    registration.save()
    _log_status(registration, old_status)
    # The confirmation says when and where the kick-off is (and the preference deadline).
    kickoff = seminar_meetings(registration.seminar).kickoff
    _notify(registration, template, event_at=now, kickoff=kickoff)
    participant_confirmed.send(sender=Seminar, registration=registration)


def _enqueue(registration: Registration, now: dt.datetime) -> None:
    last = Registration.objects.filter(
        seminar=registration.seminar, status=Status.WAITING
    ).aggregate(last=Max("queue_number"))["last"]
    old_status = registration.status
    registration.status = Status.WAITING
    registration.queue_number = (last or 0) + 1
    registration.status_changed_at = now
    registration.confirmed_at = None
    registration.save()
    _log_status(registration, old_status, queue_number=registration.queue_number)
    _notify(
        registration,
        "registration_waiting",
        event_at=now,
        position=waiting_position(registration),
    )


def _offer(registration: Registration, now: dt.datetime, hours: int) -> None:
    old_status = registration.status
    registration.status = Status.OFFERED
    registration.offered_at = registration.status_changed_at = now
    registration.offer_expires_at = now + dt.timedelta(hours=hours)
    registration.queue_number = None
    registration.save()
    _log_status(registration, old_status, offer_expires_at=registration.offer_expires_at)
    _notify(registration, "registration_offer", event_at=now)


def _leave(registration: Registration, status: str, now: dt.datetime, *, template: str) -> None:
    old_status = registration.status
    registration.status = status
    registration.status_changed_at = now
    registration.queue_number = None
    registration.save()
    _log_status(registration, old_status)
    _notify(registration, template, event_at=now)


def _expire_due_offers(seminar: Seminar, now: dt.datetime) -> int:
    due = list(
        Registration.objects.select_related("student", "seminar").filter(
            seminar=seminar, status=Status.OFFERED, offer_expires_at__lte=now
        )
    )
    for registration in due:
        _leave(registration, Status.EXPIRED, now, template="registration_offer_expired")
    if due:
        _fill_free_seats(seminar, now)
    return len(due)


def _fill_free_seats(seminar: Seminar, now: dt.datetime) -> None:
    """Offer free seats to the first people waiting, in order (or confirm them at once)."""
    if seminar_has_started(seminar, now):
        return
    free = seminar.capacity - seats_taken(seminar)
    if free <= 0:
        return
    first_in_line = (
        Registration.objects.select_related("student", "seminar")
        .filter(seminar=seminar, status=Status.WAITING)
        .order_by("queue_number", "pk")[:free]
    )
    for registration in first_in_line:
        if seminar.offer_hours == 0:
            _confirm(registration, now, template="registration_promoted")
        else:
            _offer(registration, now, seminar.offer_hours)


def _log_status(registration: Registration, old_status: str, **new) -> None:
    activity_log(
        action=f"registration.{registration.status}",
        seminar=registration.seminar,
        obj=registration,
        old={"status": old_status or None},
        new={"status": registration.status, **new},
    )


def _notify(registration: Registration, template: str, *, event_at: dt.datetime, **context) -> None:
    seminar_email_queue(
        key=f"registration-{registration.pk}-{template}-{event_at.isoformat()}",
        to=registration.student.email,
        template=template,
        seminar=registration.seminar,
        context={"registration": registration, "student": registration.student, **context},
    )


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment), _("j F Y, H:i"))
