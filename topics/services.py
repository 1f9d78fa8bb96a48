"""Writes of the topics app: preferences, allocation runs, manual changes and publication."""

import secrets
from collections import Counter

from django.db import transaction
from django.utils import timezone

from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import Conflict, Invalid, NotAllowed
from seminar.models import Meeting, Registration, Seminar, User
from seminar.services.activity import activity_log
from seminar.services.email import email_queue
from seminar.services.locking import seminar_locked
from topics import selectors
from topics.allocation import Problem, allocate
from topics.enums import AssignmentReason
from topics.models import AllocationRun, Assignment, Preference, Topic

PREFERENCES_REQUIRED = 3
# Students who may send preferences: participants, and those in line for a seat, so that a
# student who moves up after publication gets a free topic from their own choices.
MAY_SEND_PREFERENCES = RegistrationStatus.active()


def preferences_open(*, seminar: Seminar) -> Seminar:
    old = seminar.preferences_opened_at
    seminar.preferences_opened_at = timezone.now()
    seminar.save(update_fields=["preferences_opened_at"])
    activity_log(
        action="preferences.opened",
        seminar=seminar,
        obj=seminar,
        old={"opened_at": old},
        new={"opened_at": seminar.preferences_opened_at},
    )
    return seminar


def preferences_check_open(seminar: Seminar) -> None:
    now = timezone.now()
    if seminar.preferences_opened_at is None or now < seminar.preferences_opened_at:
        raise NotAllowed("The preference form is not open yet; it opens after the kick-off.")
    if seminar.preference_deadline and now > seminar.preference_deadline:
        raise NotAllowed(
            "The preference deadline has passed; your preferences can no longer change."
        )


@transaction.atomic
def preferences_set(*, registration: Registration, topic_ids: list[int]) -> list[Preference]:
    """Replace a student's preferences with exactly three distinct topics of their seminar."""
    seminar = registration.seminar
    if registration.status not in MAY_SEND_PREFERENCES:
        raise NotAllowed("Only participants of this seminar can send topic preferences.")
    preferences_check_open(seminar)
    if len(set(topic_ids)) != len(topic_ids):
        raise Invalid("Choose three different topics; a topic was chosen twice.")
    if len(topic_ids) != PREFERENCES_REQUIRED:
        raise Invalid(f"Choose exactly three topics; you chose {len(topic_ids)}.")
    topics = list(Topic.objects.filter(seminar=seminar, pk__in=topic_ids))
    if len(topics) != PREFERENCES_REQUIRED:
        raise Invalid("One of the chosen topics is not a topic of this seminar.")
    old = sorted(registration.preferences.values_list("topic_id", flat=True))
    registration.preferences.all().delete()
    created = Preference.objects.bulk_create(
        [Preference(registration=registration, topic=topic) for topic in topics]
    )
    activity_log(
        action="preferences.set",
        seminar=seminar,
        obj=registration,
        old={"topics": old},
        new={"topics": sorted(t.pk for t in topics)},
    )
    return created


def allocation_run(
    *, seminar: Seminar, seed: int | None = None, by: User | None = None
) -> AllocationRun:
    """Allocate topics to the confirmed participants and store the result as a draft run."""
    if selectors.published_run(seminar) is not None:
        raise Conflict("The topics are published; change single assignments instead.")
    seed = secrets.randbelow(2**31) if seed is None else seed
    registrations = Registration.objects.filter(
        seminar=seminar, status=RegistrationStatus.CONFIRMED
    )
    problem = _problem(seminar, registrations)
    result = allocate(problem, seed=seed)
    with transaction.atomic():
        run = AllocationRun.objects.create(seminar=seminar, seed=seed, created_by=by)
        Assignment.objects.bulk_create(
            [
                Assignment(
                    run=run,
                    registration_id=placement.student,
                    topic_id=placement.topic,
                    reason=AssignmentReason(str(placement.reason)),
                    blocked={str(t): str(why) for t, why in placement.blocked.items()},
                )
                for placement in result.placements.values()
            ]
        )
        activity_log(
            action="allocation.run",
            seminar=seminar,
            obj=run,
            new={"seed": seed, "students": len(result.placements)},
        )
    return run


@transaction.atomic
def assignment_change(*, assignment: Assignment, topic: Topic | None) -> list[Assignment]:
    """Give a student another topic by hand. If that topic is full, its holder gets this
    student's old topic in exchange (a swap), so that no capacity is ever exceeded."""
    assignment = Assignment.objects.select_related("run", "topic").get(pk=assignment.pk)
    if topic is not None and topic.seminar_id != assignment.run.seminar_id:
        raise Invalid("That topic belongs to another seminar.")
    if topic is not None and topic.pk == assignment.topic_id:
        return [assignment]
    changed = [assignment]
    if topic is not None:
        holders = list(
            selectors.current_assignments(assignment.run)
            .filter(topic=topic)
            .exclude(pk=assignment.pk)
            .order_by("pk")
        )
        if len(holders) >= topic.capacity:
            swapped = holders[0]
            _log_topic_change(swapped, new_topic_id=assignment.topic_id)
            swapped.topic = assignment.topic
            swapped.reason, swapped.is_manual = AssignmentReason.MANUAL, True
            swapped.save()
            changed.append(swapped)
    _log_topic_change(assignment, new_topic_id=topic.pk if topic else None)
    assignment.topic = topic
    assignment.reason, assignment.is_manual = AssignmentReason.MANUAL, True
    assignment.save()
    if assignment.run.published_at:
        for changed_assignment in changed:
            _notify_topic(changed_assignment, template="topic_changed")
    return changed


def allocation_publish(*, run: AllocationRun) -> AllocationRun:
    """Publish a run as the seminar's schedule and e-mail every student their topic."""
    with seminar_locked(run.seminar_id):  # against late joiners placed at the same moment
        run = AllocationRun.objects.select_related("seminar").get(pk=run.pk)
        if run.published_at is not None:
            raise Conflict("This allocation is published already.")
        if selectors.published_run(run.seminar) is not None:
            raise Conflict("Another allocation of this seminar is published already.")
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        activity_log(
            action="allocation.published",
            seminar=run.seminar,
            obj=run,
            new={"published_at": run.published_at, "seed": run.seed},
        )
        for assignment in selectors.current_assignments(run).select_related(
            "registration__student", "topic__supervisor__user", "topic__session"
        ):
            _notify_topic(assignment, template="topic_published")
        return run


def late_joiner_place(*, registration: Registration) -> Assignment | None:
    """Give a student who got a seat after publication a free topic, moving nobody.

    The same allocation as for everyone, over the places still free. Called with the seminar
    locked (from the registration services), so two late joiners cannot take the same place.
    """
    run = selectors.published_run(registration.seminar)
    if run is None:
        return None
    problem = _problem(
        registration.seminar,
        [registration],
        taken=selectors.topic_loads(run, exclude=registration),
    )
    # Seeded by the run and the student, so the choice can be repeated.
    placement = allocate(problem, seed=run.seed + registration.pk).placements[registration.pk]
    reason = _LATE_REASONS.get(str(placement.reason), AssignmentReason.LATE_FREE)
    assignment, _ = Assignment.objects.update_or_create(
        run=run,
        registration=registration,
        defaults={"topic_id": placement.topic, "reason": reason, "is_manual": False},
    )
    activity_log(
        action="assignment.late_placed",
        seminar=registration.seminar,
        obj=assignment,
        new={"topic": placement.topic, "reason": str(reason)},
    )
    _notify_topic(assignment, template="topic_published")
    return assignment


_LATE_REASONS = {
    "preference": AssignmentReason.LATE_PREFERENCE,
    "unplaced": AssignmentReason.UNPLACED,
}


def _problem(seminar: Seminar, registrations, *, taken: Counter | None = None) -> Problem:
    """The allocation problem of these students over the places not `taken` (topic id -> n)."""
    taken = taken or Counter()
    topics = list(Topic.objects.filter(seminar=seminar))
    preferences: dict[int, list[int]] = {r.pk: [] for r in registrations}
    for registration_id, topic_id in Preference.objects.filter(
        registration__in=list(preferences)
    ).values_list("registration_id", "topic_id"):
        preferences[registration_id].append(topic_id)
    supervisor_taken = Counter()
    for topic in topics:
        if topic.supervisor_id:
            supervisor_taken[topic.supervisor_id] += taken[topic.pk]
    limits = seminar.staff.filter(kind=StaffKind.SUPERVISOR, max_students__isnull=False)
    return Problem(
        preferences=preferences,
        capacities={t.pk: max(t.capacity - taken[t.pk], 0) for t in topics},
        supervisors={t.pk: t.supervisor_id for t in topics if t.supervisor_id},
        supervisor_limits={s.pk: max(s.max_students - supervisor_taken[s.pk], 0) for s in limits},
    )


def _log_topic_change(assignment: Assignment, *, new_topic_id: int | None) -> None:
    activity_log(
        action="assignment.changed",
        seminar=assignment.run.seminar,
        obj=assignment,
        old={"topic": assignment.topic_id},
        new={"topic": new_topic_id},
    )


def _notify_topic(assignment: Assignment, *, template: str) -> None:
    registration = assignment.registration
    view = selectors.my_assignment(registration)
    email_queue(
        key=f"assignment-{assignment.pk}-{template}-{assignment.topic_id}-{assignment.changed_at.isoformat()}",
        to=registration.student.email,
        template=template,
        seminar=registration.seminar,
        context={"student": registration.student, "assignment": assignment, "view": view},
    )


# --- Deletes (the admin's delete buttons call these) ---------------------------------------


def topic_delete_refusal(topic: Topic) -> str | None:
    """Why a topic may not be deleted (None: it may): students chose it or hold it."""
    chose = topic.preferences.count()
    assigned = topic.assignments.count()
    if not (chose or assigned):
        return None
    why = []
    if chose:
        why.append(f"{chose} {'student chose' if chose == 1 else 'students chose'} it")
    if assigned:
        why.append(
            f"it is assigned in {assigned} allocation {'entry' if assigned == 1 else 'entries'}"
        )
    return f"'{topic}' cannot be deleted: {' and '.join(why)}. Change its details instead."


@transaction.atomic
def topic_delete(*, topic: Topic) -> None:
    refusal = topic_delete_refusal(topic)
    if refusal:
        raise Conflict(refusal)
    activity_log(action="topic.deleted", seminar=topic.seminar, obj=topic)
    topic.delete()


def allocation_run_delete_refusal(run: AllocationRun) -> str | None:
    if run.published_at is not None:
        return (
            f"Allocation #{run.pk} is published: students were told their topics. "
            "It cannot be deleted; "
            "change single assignments instead."
        )
    return None


def allocation_run_delete(*, run: AllocationRun) -> None:
    """Delete a draft run; a published one is the seminar's schedule and stays."""
    with seminar_locked(run.seminar_id):  # against publishing it at the same moment
        run = AllocationRun.objects.select_related("seminar").get(pk=run.pk)
        refusal = allocation_run_delete_refusal(run)
        if refusal:
            raise Conflict(refusal)
        activity_log(action="allocation.deleted", seminar=run.seminar, obj=run)
        run.delete()


def session_delete_refusal(meeting: Meeting) -> str | None:
    """A session with talks scheduled in it stays until its topics are moved."""
    talks = Topic.objects.filter(session=meeting).count()
    if talks:
        are, them = ("talk is", "it") if talks == 1 else ("talks are", "them")
        return (
            f"{talks} {are} scheduled in the session of {meeting.date:%Y-%m-%d}; "
            f"move {them} to another session first."
        )
    return None
