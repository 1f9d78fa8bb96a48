"""Who is to be reminded of which deadline, and when: the one answer for the scan, the admin's
preview and the tests.

Each kind of reminder reads the deadline from the app that owns it, extensions included
(`submissions.selectors.progress_of` / `deadline_of`, the topics app's late choices, the seminar's
preference deadline and offers), so a reminder can never name another deadline than the pages.
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Case, F, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext

from mail.models import OutgoingEmail
from reminders.enums import ReminderKind
from reminders.models import ReminderRule
from reminders.moments import latest_due, reminder_key, reminder_moment
from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar
from submissions.enums import DeliverableKind, DeliverableState
from submissions.selectors import deliverables_of, progress_of, seminar_calendar
from topics.enums import AssignmentReason
from topics.models import Assignment, Preference
from topics.selectors import published_run

DELIVERABLE_KINDS = {
    ReminderKind.SLIDE_DRAFT: DeliverableKind.SLIDE_DRAFT,
    ReminderKind.MOCK_PRESENTATION: DeliverableKind.MOCK_PRESENTATION,
    ReminderKind.REPORTS: DeliverableKind.REPORTS,
    ReminderKind.PROJECT: DeliverableKind.PROJECT,
}
RULE_ORDER = [
    Case(*(When(kind=kind, then=i) for i, kind in enumerate(ReminderKind.values))),
    F("hours_before").desc(nulls_last=True),
    "day_at",
    "pk",
]
# Students who can be due a reminder at all: participants, and those holding an offer.
REMINDABLE = [RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED]

NOT_PARTICIPANT = "not a confirmed participant"
SWITCHED_OFF = "the seminar does not ask for it"


@dataclass(frozen=True)
class Need:
    """Whether one student is to be reminded of one kind of deadline, derived from the current
    state: the deadline, or why no reminder is needed (`reason`)."""

    kind: str
    registration: Registration
    deadline: dt.datetime | None
    reason: str = ""
    context: dict = field(default_factory=dict)  # what the e-mail says besides the deadline

    @property
    def needed(self) -> bool:
        return not self.reason and self.deadline is not None


@dataclass(frozen=True)
class DueReminder:
    rule: ReminderRule
    need: Need
    moment: dt.datetime
    key: str


def rules_of(seminar: Seminar, *, enabled_only: bool = True) -> list[ReminderRule]:
    """The seminar's rules in the order a student meets their deadlines, earliest first."""
    rules = ReminderRule.objects.filter(seminar=seminar).order_by(*RULE_ORDER)
    return list(rules.filter(enabled=True) if enabled_only else rules)


def seminars_to_scan() -> QuerySet[Seminar]:
    """Seminars that have a rule switched on and someone who could be reminded."""
    return Seminar.objects.filter(
        pk__in=ReminderRule.objects.filter(enabled=True).values("seminar_id")
    ).filter(pk__in=Registration.objects.filter(status__in=REMINDABLE).values("seminar_id"))


def remindable_registrations(seminar: Seminar) -> list[Registration]:
    registrations = list(
        Registration.objects.filter(seminar=seminar, status__in=REMINDABLE)
        .select_related("student")
        .order_by("pk")
    )
    for registration in registrations:
        registration.seminar = seminar  # the e-mails read it; no query per student
    return registrations


def needs_of(
    seminar: Seminar,
    registrations: list[Registration],
    *,
    now: dt.datetime,
    kinds: Collection[str] = tuple(ReminderKind.values),
) -> dict[str, dict[int, Need]]:
    """kind -> registration id -> Need, for the given students. A fixed number of queries."""
    needs: dict[str, dict[int, Need]] = {}
    if ReminderKind.PREFERENCES in kinds:
        needs[ReminderKind.PREFERENCES] = _preferences(seminar, registrations, now)
    deliverable_kinds = [kind for kind in DELIVERABLE_KINDS if kind in kinds]
    if deliverable_kinds:
        needs |= _deliverables(seminar, registrations, now, deliverable_kinds)
    if ReminderKind.LATE_TOPIC_CHOICE in kinds:
        needs[ReminderKind.LATE_TOPIC_CHOICE] = _late_choices(seminar, registrations)
    if ReminderKind.OFFER in kinds:
        needs[ReminderKind.OFFER] = _offers(registrations)
    return needs


def due_reminders(seminar: Seminar, *, now: dt.datetime) -> list[DueReminder]:
    """Every reminder of this seminar due now: for each student and deadline still open, the
    latest switched-on rule whose moment has come (see `moments.latest_due`)."""
    rules = rules_of(seminar)
    if not rules:
        return []
    registrations = remindable_registrations(seminar)
    needs = needs_of(seminar, registrations, now=now, kinds={rule.kind for rule in rules})
    return _due_among(rules, needs, now)


def queued_keys(keys: Iterable[str]) -> set[str]:
    """Which of these reminders are in the outbox already, whatever their state."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 1000):  # keeps each IN list to a modest size
        found.update(
            OutgoingEmail.objects.filter(key__in=keys[start : start + 1000]).values_list(
                "key", flat=True
            )
        )
    return found


# --- The admin's preview: every rule, for one student ---------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    rule: ReminderRule
    need: Need
    deadline: dt.datetime  # the student's own, or an example when they have none
    example: bool  # True: the student has no such deadline now; the text shows an example
    moment: dt.datetime
    key: str
    email: OutgoingEmail | None  # what was queued for it, if anything
    status: str  # in words: sent, due, when it goes out, or why nothing is sent


def reminder_preview(
    seminar: Seminar, registration: Registration, *, now: dt.datetime | None = None
) -> list[PreviewRow]:
    """Every rule of the seminar as it applies to one student now. A fixed number of queries."""
    now = now or timezone.now()
    registration.seminar = seminar
    rules = rules_of(seminar, enabled_only=False)
    needs = needs_of(seminar, [registration], now=now, kinds={rule.kind for rule in rules})
    rows = []
    for rule in rules:
        need = needs[rule.kind][registration.pk]
        example = need.deadline is None
        deadline = need.deadline or _example_deadline(rule, now)
        rows.append(
            (rule, need, deadline, example, _moment(rule, deadline), _key(rule, need, deadline))
        )
    emails = {e.key: e for e in OutgoingEmail.objects.filter(key__in=[row[5] for row in rows])}
    due_now = {d.key for d in _due_among(rules, needs, now)}
    return [
        PreviewRow(
            rule,
            need,
            deadline,
            example,
            moment,
            key,
            emails.get(key),
            _status(rule, need, deadline, moment, emails.get(key), key in due_now, now),
        )
        for rule, need, deadline, example, moment, key in rows
    ]


def _due_among(rules, needs, now) -> list[DueReminder]:
    enabled = [rule for rule in rules if rule.enabled]
    due = []
    for kind, by_registration in needs.items():
        kind_rules = [rule for rule in enabled if rule.kind == kind]
        for need in by_registration.values():
            if need.needed and kind_rules:
                moments = [(rule, _moment(rule, need.deadline)) for rule in kind_rules]
                rule = latest_due(moments, need.deadline, now)
                if rule is not None:
                    due.append(_due(rule, need))
    return due


def _status(rule, need, deadline, moment, email, due_now: bool, now) -> str:
    if email is not None:
        state = email.get_status_display()
        if email.sent_at:
            return gettext("In the outbox: %(state)s (queued %(queued)s, sent %(sent)s).") % {
                "state": state,
                "queued": _local(email.created_at),
                "sent": _local(email.sent_at),
            }
        return gettext("In the outbox: %(state)s (queued %(queued)s).") % {
            "state": state,
            "queued": _local(email.created_at),
        }
    if need.deadline is None or need.reason:
        return gettext("Not sent to this student: %(reason)s.") % {
            "reason": need.reason or gettext("no such deadline")
        }
    if not rule.enabled:
        return gettext("Switched off: nothing is sent.")
    if now >= deadline:
        return gettext("The deadline has passed: nothing is sent.")
    if moment > now:
        return gettext("Goes out on %(moment)s.") % {"moment": _local(moment)}
    if due_now:
        return gettext("Due now: goes out with the next scan.")
    return gettext("Not sent: a later reminder of the same deadline is due and goes out instead.")


def _example_deadline(rule: ReminderRule, now: dt.datetime) -> dt.datetime:
    """A stand-in deadline for the preview of a kind the student has no deadline of."""
    return (now + dt.timedelta(days=(rule.hours_before or 0) // 24 + 3)).replace(
        microsecond=0, second=0, minute=0
    )


# --- Each kind of deadline ----------------------------------------------------------------


def _preferences(seminar: Seminar, registrations: list[Registration], now) -> dict[int, Need]:
    """Confirmed participants who have not sent preferences, while the form is open."""
    kind, deadline = ReminderKind.PREFERENCES, seminar.preference_deadline
    seminar_reason = ""
    if deadline is None:
        seminar_reason = "the seminar has no preference deadline"
    elif seminar.preferences_opened_at is None or seminar.preferences_opened_at > now:
        seminar_reason = "the preference form is not open"
    ids = [r.pk for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    sent, placed = set(), set()
    if ids and not seminar_reason:
        sent = set(
            Preference.objects.filter(registration_id__in=ids).values_list(
                "registration_id", flat=True
            )
        )
        placed = set(
            Assignment.objects.filter(
                registration_id__in=ids, run__published_at__isnull=False, topic__isnull=False
            ).values_list("registration_id", flat=True)
        )
    needs = {}
    for registration in registrations:
        if registration.status != RegistrationStatus.CONFIRMED:
            reason = NOT_PARTICIPANT
        elif seminar_reason:
            reason = seminar_reason
        elif registration.pk in placed:
            reason = "holds a published topic"
        elif registration.pk in sent:
            reason = "has sent preferences"
        else:
            reason = ""
        needs[registration.pk] = Need(kind, registration, deadline, reason)
    return needs


def _deliverables(
    seminar: Seminar, registrations: list[Registration], now, kinds: list[str]
) -> dict[str, dict[int, Need]]:
    """Participants who have not handed in everything a deliverable asks for by their own
    deadline (extensions included): no slide draft, mock presentation not given, fewer reports
    than required, no project from their team (or no team at all)."""
    deliverables = deliverables_of(seminar)
    participants = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    ids = [r.pk for r in participants]
    calendar = seminar_calendar(seminar, registration_ids=ids)
    progress = (
        progress_of(seminar, participants, calendar=calendar, deliverables=deliverables, now=now)
        if participants
        else {}
    )
    needs: dict[str, dict[int, Need]] = {}
    for kind in kinds:
        deliverable = deliverables.get(DELIVERABLE_KINDS[kind])
        row = needs[kind] = {}
        for registration in registrations:
            if deliverable is None:
                row[registration.pk] = Need(kind, registration, None, SWITCHED_OFF)
                continue
            if registration.status != RegistrationStatus.CONFIRMED:
                context = {"deliverable": deliverable}
                row[registration.pk] = Need(kind, registration, None, NOT_PARTICIPANT, context)
                continue
            item = progress[registration.pk][deliverable.kind]
            deadline = item.due.effective
            reason = ""
            if item.state == DeliverableState.SUBMITTED:
                reason = _handed_in(kind, item.required)
            elif deadline is None:
                reason = "no deadline yet (it counts from a talk not scheduled yet)"
            context = {
                "deliverable": deliverable,
                "progress": item,
                "talk": calendar.talks.get(registration.pk),
                "extended": item.due.extended,
                # A team of two or more (handing in alone makes a team of one).
                "in_team": len(calendar.members.get(calendar.team_of.get(registration.pk), [])) > 1,
            }
            row[registration.pk] = Need(kind, registration, deadline, reason, context)
    return needs


def _handed_in(kind: str, required: int) -> str:
    if kind == ReminderKind.MOCK_PRESENTATION:
        return "the mock presentation is marked as given"
    if kind == ReminderKind.REPORTS and required > 1:
        return f"all {required} reports are handed in"
    if kind == ReminderKind.PROJECT:
        return "the team's project is handed in"
    return "handed in"


def _late_choices(seminar: Seminar, registrations: list[Registration]) -> dict[int, Need]:
    """Late joiners of the published run who still choose their topic: the moment a free
    topic is assigned to them at random is their deadline."""
    kind = ReminderKind.LATE_TOPIC_CHOICE
    run = published_run(seminar)
    choosing = {}
    if run is not None:
        choosing = {
            a.registration_id: a
            for a in Assignment.objects.filter(
                run=run,
                registration_id__in=[r.pk for r in registrations],
                reason=AssignmentReason.LATE_WAITING,
            )
        }
    needs = {}
    for registration in registrations:
        assignment = choosing.get(registration.pk)
        if registration.status != RegistrationStatus.CONFIRMED:
            needs[registration.pk] = Need(kind, registration, None, NOT_PARTICIPANT)
        elif assignment is None:
            needs[registration.pk] = Need(kind, registration, None, "not choosing a topic")
        else:
            needs[registration.pk] = Need(
                kind, registration, assignment.choice_due_at, "", {"assignment": assignment}
            )
    return needs


def _offers(registrations: list[Registration]) -> dict[int, Need]:
    """The student holding an offer of a seat, until it expires."""
    kind = ReminderKind.OFFER
    return {
        r.pk: Need(kind, r, r.offer_expires_at, "")
        if r.status == RegistrationStatus.OFFERED and r.offer_expires_at is not None
        else Need(kind, r, None, "holds no offer of a seat")
        for r in registrations
    }


# --- Helpers ---------------------------------------------------------------------------------


def _moment(rule: ReminderRule, deadline: dt.datetime) -> dt.datetime:
    return reminder_moment(deadline, hours_before=rule.hours_before, day_at=rule.day_at)


def _key(rule: ReminderRule, need: Need, deadline: dt.datetime) -> str:
    return reminder_key(rule_id=rule.pk, registration_id=need.registration.pk, deadline=deadline)


def _due(rule: ReminderRule, need: Need) -> DueReminder:
    return DueReminder(rule, need, _moment(rule, need.deadline), _key(rule, need, need.deadline))


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%a %d %b %Y, %H:%M}"
