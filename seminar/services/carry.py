"""The next run of a seminar: its texts, rules, staff and topics, without any of its students.

This app copies what is the seminar's own (its fields, kick-off and sessions, staff roles,
presentation criteria); the apps above copy their settings on the `seminar_carried_forward`
signal. Dates move by whole weeks on the local calendar, at the same wall-clock time, or stay
empty to be entered later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seminar.deadlines import shifted_by_weeks
from seminar.errors import Conflict, Invalid, NotAllowed
from seminar.models import Meeting, PresentationCriterion, Seminar, StaffRole, User
from seminar.models.seminar import FIRST_YEAR, LAST_YEAR
from seminar.selectors import is_organizer
from seminar.services.activity import activity_log
from seminar.services.registration import registration_window_check
from seminar.signals import seminar_carried_forward, seminar_created
from seminar.slugs import slug_base, slug_for
from seminar.validators import unprintable

MAX_SHIFT_WEEKS = 520

# The seminar's own fields that come along unchanged. Left out: the id, slug, title and term
# (new), created_at, and preferences_opened_at (a state of the old run, not a setting).
COPIED_FIELDS = (
    "tag",
    "overview",
    "background",
    "language",
    "ects",
    "mode",
    "eligibility",
    "admits_bachelor",
    "admits_master",
    "admits_graduate",
    "contact_name",
    "contact_email",
    "capacity",
    "has_waiting_list",
    "offer_hours",
    "exam_registration_note",
    "requirements",
    "presentation_text",
    "talk_minutes",
    "talk_max_minutes",
    "discussions_text",
)
# Moments that move with the shift (or stay empty when the dates are entered later).
SHIFTED_MOMENTS = ("registration_opens_at", "registration_closes_at", "preference_deadline")
SHIFTED_DATES = ("exam_registration_date",)


@dataclass
class CarryShift:
    """How the next run's dates follow from the old ones, and which new row stands for which
    old one. `weeks` None: dates are entered later (kept empty where a field allows it)."""

    weeks: int | None
    staff: dict[int, StaffRole] = field(default_factory=dict)  # old role id -> new role
    meetings: dict[int, Meeting] = field(default_factory=dict)  # old meeting id -> new meeting

    @property
    def dates_later(self) -> bool:
        return self.weeks is None

    def moment(self, value: dt.datetime | None) -> dt.datetime | None:
        """The moment `weeks` later at the same local time; None while dates come later."""
        if value is None or self.weeks is None:
            return None
        return shifted_by_weeks(value, self.weeks)

    def date(self, value: dt.date | None) -> dt.date | None:
        if value is None or self.weeks is None:
            return None
        return value + dt.timedelta(weeks=self.weeks)


def seminar_next_slug(*, source: Seminar, term: str, title: str | None = None) -> str:
    """The new run's slug: the old slug's base (or the new title) and the new term."""
    base = slug_base(source.slug, source.term) if not title or title == source.title else title
    return slug_for(base, term, lambda slug: Seminar.objects.filter(slug=slug).exists())


@transaction.atomic
def seminar_carry_forward(
    *,
    source: Seminar,
    term: str,
    title: str | None = None,
    shift_weeks: int | None = None,
    actor: User | None,
) -> Seminar:
    """Start the next run of `source` as a new seminar and return it; `source` is unchanged.

    Only its organizers (and superusers) may; `actor` None is the system (e.g. a command)."""
    if actor is not None and not is_organizer(actor, source):
        raise NotAllowed(_("Only the seminar's organizers can start its next run."))
    term = term.strip()
    title = (title or "").strip() or source.title
    if not term:
        raise Invalid(_("Give the new run's term, e.g. “Winter 2026/27”."))
    if unprintable(term) or unprintable(title):
        raise Invalid(_("Use one line of ordinary text, without control characters."))
    if shift_weeks is not None and not 0 <= shift_weeks <= MAX_SHIFT_WEEKS:
        raise Invalid(_("Move the dates by 0 to %d weeks.") % MAX_SHIFT_WEEKS)
    shift = CarryShift(weeks=shift_weeks)

    target = Seminar(
        title=title,
        term=term,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
        **{name: shift.moment(getattr(source, name)) for name in SHIFTED_MOMENTS},
        **{name: shift.date(getattr(source, name)) for name in SHIFTED_DATES},
    )
    _check_years(target, SHIFTED_MOMENTS + SHIFTED_DATES)
    _save_with_free_slug(target, source=source)

    for role in source.staff.select_related("user").order_by("position", "pk"):
        shift.staff[role.pk] = StaffRole.objects.create(
            seminar=target,
            user=role.user,
            kind=role.kind,
            listed_as=role.listed_as,
            initials=role.initials,
            max_students=role.max_students,
            position=role.position,
        )
    if not shift.dates_later:  # a meeting needs its date: without one it is entered later
        for meeting in source.meetings.all():
            new = Meeting(
                seminar=target,
                kind=meeting.kind,
                date=shift.date(meeting.date),
                start_time=meeting.start_time,  # the same local wall-clock time
                room=meeting.room,
                talk_slots=meeting.talk_slots,
                slot_minutes=meeting.slot_minutes,
            )
            _check_years(new, ("date",))
            new.save()
            shift.meetings[meeting.pk] = new
    PresentationCriterion.objects.bulk_create(
        PresentationCriterion(seminar=target, position=criterion.position, text=criterion.text)
        for criterion in source.criteria.order_by("position", "pk")
    )

    # Every app first gives the new seminar its defaults (as for any new seminar), then copies
    # the old run's settings over them.
    seminar_created.send(sender=Seminar, seminar=target)
    seminar_carried_forward.send(sender=Seminar, source=source, target=target, shift=shift)
    _opening_keep(target)
    activity_log(
        action="seminar.carried_forward",
        seminar=target,
        obj=target,
        old={"from": source.slug},
        new={
            "slug": target.slug,
            "term": term,
            "title": title,
            "shift_weeks": shift_weeks,
            "registration_opens_at": target.registration_opens_at,
        },
        actor=actor,
    )
    return target


def _opening_keep(target: Seminar) -> None:
    """The moved opening is a scheduled opening of the new run: it stays only if the new run's
    own checklist is complete (its rules are reviewed anew), as for any opening; otherwise the
    organizer opens registration once the setup is done. A window already past stays as moved."""
    try:
        registration_window_check(target, old_opens=None, old_closes=None)
    except Conflict:
        target.registration_opens_at = None
        target.save(update_fields=["registration_opens_at"])


def _save_with_free_slug(target: Seminar, *, source: Seminar, attempts: int = 5) -> None:
    """Save under the next free slug; a slug taken meanwhile (a copy made at the same moment)
    moves on to the next one."""
    for attempt in range(attempts):
        target.slug = seminar_next_slug(source=source, term=target.term, title=target.title)
        try:
            with transaction.atomic():
                target.save(force_insert=True)
            return
        except IntegrityError:
            target.pk = None
            if attempt == attempts - 1:
                raise Conflict(_("The address is taken just now; please try again.")) from None


def _check_years(obj, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise Invalid(
                _(
                    "Moved by these weeks, a date would lie in %(year)s; dates must lie in the "
                    "years %(first)s–%(last)s."
                )
                % {"year": value.year, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
