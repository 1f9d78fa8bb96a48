"""Late joiners: students confirmed after publication choose a free topic, or get one at random.

A late joiner holds no topic until they choose one of those still free (first come, first
served, under the seminar's lock). When `late_choice_hours` pass without a choice, a free topic
is assigned at random, seeded by the run and the student, one of their own preferences if one
is free; by the beat task and whenever a page of the seminar is read, so nothing waits for the
scheduler. Every step is e-mailed and logged.
"""

import contextlib
import datetime as dt
import random

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from seminar.actor import acting_as
from seminar.enums import RegistrationStatus
from seminar.errors import Busy, Conflict, Invalid
from seminar.models import Registration, Seminar
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from topics import selectors
from topics.enums import AssignmentReason
from topics.models import AllocationRun, Assignment, Topic
from topics.services.mails import topic_mail


def late_joiner_place(*, registration: Registration) -> Assignment | None:
    """A student just took a seat; after publication they start choosing a topic.

    Called with the seminar locked (from the registration services' `participant_confirmed`).
    """
    run = selectors.published_run(registration.seminar)
    if run is None:
        return None
    return late_choice_start(registration=registration, run=run)


def late_choice_start(*, registration: Registration, run: AllocationRun) -> Assignment:
    """Let a student confirmed after the run choose among the free topics (seminar locked)."""
    hours = selectors.late_choice_hours(run.seminar)
    existing = Assignment.objects.filter(run=run, registration=registration).first()
    assignment, _ = Assignment.objects.update_or_create(
        run=run,
        registration=registration,
        defaults={
            "topic": None,
            "reason": AssignmentReason.LATE_WAITING,
            "choice_due_at": timezone.now() + dt.timedelta(hours=hours),
            "is_manual": False,
        },
    )
    activity_log(
        action="assignment.late_waiting",
        seminar=run.seminar,
        obj=assignment,
        old={"topic": existing.topic_id} if existing else {},
        new={"topic": None, "choice_due_at": assignment.choice_due_at},
    )
    if hours == 0:
        _assign_at_random(assignment)
    else:
        topic_mail(assignment, template="topic_choose")
    return assignment


def late_choice_make(*, registration: Registration, topic: Topic) -> Assignment:
    """A late joiner takes one of the free topics: first come, first served."""
    late_choices_expire(seminar=registration.seminar)  # its own transaction, as on every read
    with seminar_locked(registration.seminar_id) as seminar:
        registration = Registration.objects.select_related("student", "seminar").get(
            pk=registration.pk
        )
        run = selectors.published_run(seminar)
        assignment = (
            Assignment.objects.filter(run=run, registration=registration).first() if run else None
        )
        if (
            assignment is None
            or registration.status != RegistrationStatus.CONFIRMED
            or not assignment.is_waiting_for_choice
        ):
            raise Conflict(gettext("You have no topic to choose; your page shows your topic."))
        if assignment.choice_due_at <= timezone.now():
            raise Conflict(
                gettext(
                    "Your time to choose ran out on %(when)s; a free topic is being assigned to "
                    "you. Please reload the page."
                )
                % {"when": _when(assignment.choice_due_at)}
            )
        if topic.seminar_id != seminar.pk:
            raise Invalid(gettext("That topic belongs to another seminar."))
        if not selectors.run_state(run).is_free(topic.pk):
            raise Conflict(
                gettext("“%(title)s” is no longer free; please choose another topic.")
                % {"title": topic.title}
            )
        assignment.topic = topic
        assignment.reason = AssignmentReason.LATE_CHOICE
        assignment.choice_due_at = None
        assignment.save()
        activity_log(
            action="assignment.late_chosen",
            seminar=seminar,
            obj=assignment,
            old={"topic": None},
            new={"topic": topic.pk},
        )
        topic_mail(assignment, template="topic_published")
        return assignment


def late_choices_expire(*, seminar: Seminar) -> int:
    """Assign a free topic to every late joiner whose time to choose ran out.

    Cheap when nothing is due (one query, no lock). Logged as done by the system, whoever's
    page read triggered it.
    """
    if not selectors.due_late_choices(seminar).exists():
        return 0
    with acting_as(None), seminar_locked(seminar.pk) as seminar:
        due = list(
            selectors.due_late_choices(seminar).select_related(
                "run__seminar", "registration__student", "registration__seminar"
            )
        )
        for assignment in due:
            _assign_at_random(assignment)
        return len(due)


def late_choices_expire_on_read(*, seminar: Seminar) -> dt.datetime | None:
    """The same step for a page being read: while the seminar's lock is busy the page is
    served without it (the beat task or the next read does it), never a refusal. Returns when
    the next late joiner's time to choose runs out (the seminar app's clock step)."""
    with contextlib.suppress(Busy):
        late_choices_expire(seminar=seminar)
    return selectors.next_late_choice_due(seminar)


def _assign_at_random(assignment: Assignment) -> None:
    """A free topic at random, one of the student's preferences if one is free (seminar locked)."""
    run = assignment.run
    state = selectors.run_state(run)
    wanted = state.preferences.get(assignment.registration_id, set())
    free = state.free_topics()
    pool = [topic for topic in free if topic.pk in wanted] or free
    # Seeded by the run and the student, so the draw can be repeated.
    topic = random.Random(run.seed + assignment.registration_id).choice(pool) if pool else None
    assignment.topic = topic
    assignment.reason = AssignmentReason.LATE_RANDOM
    assignment.choice_due_at = None
    assignment.is_manual = False
    assignment.save()
    activity_log(
        action="assignment.late_assigned",
        seminar=run.seminar,
        obj=assignment,
        old={"topic": None},
        new={
            "topic": topic.pk if topic else None,
            "one_of_preferences": topic is not None and topic.pk in wanted,
        },
        reason="no topic chosen in time",
    )
    topic_mail(assignment, template="topic_published")


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), gettext("j F Y, H:i"))
