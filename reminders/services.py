"""Writes of the reminders app: a seminar's rules, and the scan that queues what is due.

The scan queues each due reminder through the outbox with the key
`reminder:<rule id>:<registration id>:<deadline in UTC>`. The outbox's unique key is the
ledger: a second scan, a scan running at the same time, or a task delivered twice finds the
key and queues nothing; an extension moves the deadline and so makes a new key. Sending
follows the outbox's claim, retry and failure rules.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.services.outbox import email_withdraw
from reminders import selectors
from reminders.enums import TEMPLATE_PREFIX, ReminderKind
from reminders.models import ReminderRule
from reminders.moments import deadline_of_key
from seminar.errors import Conflict, Invalid
from seminar.models import Seminar
from seminar.services.activity import activity_log
from seminar.services.email import seminar_email_queue

logger = logging.getLogger(__name__)

# A new seminar's rules (the table): (kind, hours before, or a local time that day).
MORNING = dt.time(8, 0)
REMINDER_DEFAULTS: list[tuple[str, int | None, dt.time | None]] = [
    (ReminderKind.PREFERENCES, 48, None),
    (ReminderKind.PREFERENCES, None, MORNING),
    (ReminderKind.SLIDE_DRAFT, 3 * 24, None),
    (ReminderKind.MOCK_PRESENTATION, 2 * 24, None),
    (ReminderKind.REPORTS, 7 * 24, None),
    (ReminderKind.REPORTS, 24, None),
    (ReminderKind.PROJECT, 7 * 24, None),
    (ReminderKind.PROJECT, 24, None),
    (ReminderKind.LATE_TOPIC_CHOICE, 12, None),
    (ReminderKind.OFFER, 12, None),
]
RULE_FIELDS = ("kind", "hours_before", "day_at", "enabled")


# --- Rules ---------------------------------------------------------------------------------


@transaction.atomic
def reminder_rules_ensure(*, seminar: Seminar) -> list[ReminderRule]:
    """Give a seminar without rules the default ones; a seminar with rules keeps its own."""
    if not ReminderRule.objects.filter(seminar=seminar).exists():
        ReminderRule.objects.bulk_create(
            [
                ReminderRule(seminar=seminar, kind=kind, hours_before=hours, day_at=at)
                for kind, hours, at in REMINDER_DEFAULTS
            ]
        )
    return selectors.rules_of(seminar, enabled_only=False)


@transaction.atomic
def reminder_rules_carry_forward(*, source: Seminar, target: Seminar) -> list[ReminderRule]:
    """The next run reminds as the old one did: its rules replace the new seminar's defaults.
    What was sent belongs to the old run's students and stays there."""
    ReminderRule.objects.filter(seminar=target).delete()
    ReminderRule.objects.bulk_create(
        ReminderRule(seminar=target, **{name: getattr(rule, name) for name in RULE_FIELDS})
        for rule in ReminderRule.objects.filter(seminar=source)
    )
    return selectors.rules_of(target, enabled_only=False)


@transaction.atomic
def reminder_rule_save(*, rule: ReminderRule) -> ReminderRule:
    """Create or change a rule (the admin's form checked it); logged with old and new values."""
    before = (
        ReminderRule.objects.filter(pk=rule.pk).values(*RULE_FIELDS).first() if rule.pk else None
    )
    try:
        rule.full_clean()
    except ValidationError as error:
        raise Invalid(" ".join(error.messages)) from error
    rule.save()
    after = {name: getattr(rule, name) for name in RULE_FIELDS}
    if before is None:
        activity_log(
            action="reminder_rule.created", seminar=rule.seminar, obj=rule, new=_plain(after)
        )
        return rule
    changed = [name for name in RULE_FIELDS if before[name] != after[name]]
    if changed:
        activity_log(
            action="reminder_rule.changed",
            seminar=rule.seminar,
            obj=rule,
            old=_plain({name: before[name] for name in changed}),
            new=_plain({name: after[name] for name in changed}),
        )
    return rule


@transaction.atomic
def reminder_rules_switch_off(*, rules: QuerySet[ReminderRule]) -> int:
    """Switch rules off: from now on they send nothing (what they sent stays in the outbox)."""
    switched = 0
    for rule in rules.select_for_update().filter(enabled=True).select_related("seminar"):
        rule.enabled = False
        rule.save(update_fields=["enabled"])
        activity_log(
            action="reminder_rule.changed",
            seminar=rule.seminar,
            obj=rule,
            old={"enabled": True},
            new={"enabled": False},
        )
        switched += 1
    return switched


def reminder_rule_delete_refusal(rule: ReminderRule) -> str | None:
    """Why a rule may not be deleted (None: it may). A rule that sent reminders stays, since a
    new rule in its place would remind the same students of the same deadlines again."""
    sent = OutgoingEmail.objects.filter(key__startswith=f"reminder:{rule.pk}:").count()
    if sent:
        return ngettext(
            "The rule “%(rule)s” has queued %(count)d reminder; it cannot be deleted. "
            "Switch it off instead.",
            "The rule “%(rule)s” has queued %(count)d reminders; it cannot be deleted. "
            "Switch it off instead.",
            sent,
        ) % {"rule": rule, "count": sent}
    return None


@transaction.atomic
def reminder_rule_delete(*, rule: ReminderRule) -> None:
    rule = ReminderRule.objects.select_for_update().select_related("seminar").get(pk=rule.pk)
    refusal = reminder_rule_delete_refusal(rule)
    if refusal:
        raise Conflict(refusal)
    activity_log(action="reminder_rule.deleted", seminar=rule.seminar, obj=rule)
    rule.delete()


# --- The scan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    queued: int  # reminders put in the outbox by this scan
    withdrawn: int  # queued reminders not sent because their deadline passed first


def reminders_scan(*, now: dt.datetime | None = None, seminar: Seminar | None = None) -> ScanResult:
    """Queue every reminder due now (of one seminar, or of all), each exactly once.

    Due: the rule is switched on, the student still has to act (see `selectors.needs_of`), and
    the rule's moment has come while the deadline is still ahead; a moment that passed while
    nothing ran is caught up until the deadline, never after it. Each reminder is queued in a
    transaction of its own, so a scan stopped half-way leaves only whole reminders behind and
    the next scan does the rest.
    """
    now = now or timezone.now()
    seminars = [seminar] if seminar is not None else list(selectors.seminars_to_scan())
    queued = sum(_scan_seminar(seminar, now) for seminar in seminars)
    return ScanResult(queued=queued, withdrawn=reminders_overdue_withdraw(now=now))


def _scan_seminar(seminar: Seminar, now: dt.datetime) -> int:
    due = selectors.due_reminders(seminar, now=now)
    # Only to save rendering what is queued already; the unique key alone decides.
    known = selectors.queued_keys(reminder.key for reminder in due)
    queued = 0
    for reminder in due:
        if reminder.key in known:
            continue
        with transaction.atomic():
            if _queue(seminar, reminder) is not None:
                queued += 1
    return queued


def _queue(seminar: Seminar, reminder: selectors.DueReminder) -> OutgoingEmail | None:
    need = reminder.need
    return seminar_email_queue(
        seminar=seminar,
        key=reminder.key,
        to=need.registration.student.email,
        template=ReminderKind(need.kind).template,
        context=reminder_context(rule=reminder.rule, need=need, deadline=need.deadline),
    )


def reminder_context(*, rule: ReminderRule, need: selectors.Need, deadline: dt.datetime) -> dict:
    """What every reminder e-mail gets (the seminar is added by `seminar_email_queue`)."""
    return {
        "student": need.registration.student,
        "registration": need.registration,
        "rule": rule,
        "deadline": timezone.localtime(deadline),
        **need.context,
    }


def reminders_overdue_withdraw(*, now: dt.datetime) -> int:
    """Reminders still waiting in the outbox (a retry, a busy worker) when their deadline
    passes are not sent after it: they end `failed`, with the reason. A reminder that a worker
    is handing to the SMTP server at that moment is left to finish."""
    waiting = OutgoingEmail.objects.filter(
        status=EmailStatus.QUEUED, kind__startswith=TEMPLATE_PREFIX
    ).values_list("pk", "key")
    withdrawn = 0
    for pk, key in waiting:
        deadline = deadline_of_key(key)
        if deadline is None or deadline > now:
            continue
        when = date_format(timezone.localtime(deadline), "j F Y, H:i")
        withdrawn += email_withdraw(
            email_id=pk,
            reason=f"Not sent: its deadline ({when}) passed before it could be delivered.",
        )
    return withdrawn


def _plain(values: dict) -> dict:
    return {k: v.strftime("%H:%M") if isinstance(v, dt.time) else v for k, v in values.items()}
