"""Allocation runs: make one, publish one."""

import secrets

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import Conflict
from seminar.models import Registration, Seminar, User
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from topics import selectors
from topics.allocation import Problem, allocate
from topics.enums import AssignmentReason
from topics.models import AllocationRun, Assignment, Preference, Topic
from topics.services.late import late_choice_start
from topics.services.mails import topic_mail


def allocation_run(
    *, seminar: Seminar, seed: int | None = None, by: User | None = None
) -> AllocationRun:
    """Allocate topics to the confirmed participants and store the result as a draft run.

    Runs are numbered per seminar (1, 2, …); the number is taken under the seminar's lock.
    """
    seed = secrets.randbelow(2**31) if seed is None else seed
    with seminar_locked(seminar.pk) as seminar:
        if selectors.published_run(seminar) is not None:
            raise Conflict(_("The topics are published; change single assignments instead."))
        registrations = list(
            Registration.objects.filter(seminar=seminar, status=RegistrationStatus.CONFIRMED)
        )
        result = allocate(_problem(seminar, registrations), seed=seed)
        last = seminar.allocation_runs.aggregate(last=Max("number"))["last"] or 0
        run = AllocationRun.objects.create(
            seminar=seminar, number=last + 1, seed=seed, created_by=by
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    run=run,
                    registration_id=placement.student,
                    topic_id=placement.topic,
                    reason=AssignmentReason.ALLOCATION,
                )
                for placement in result.placements.values()
            ]
        )
        activity_log(
            action="allocation.run",
            seminar=seminar,
            obj=run,
            new={
                "number": run.number,
                "seed": seed,
                "students": len(result.placements),
                "got_a_preference": result.satisfied_count,
            },
        )
        return run


def allocation_publish(*, run: AllocationRun) -> AllocationRun:
    """Publish a run as the seminar's schedule and e-mail every student their topic.

    Participants confirmed after the run was made are not in it: they become late joiners and
    choose among the topics left free, like everyone confirmed after publication.
    """
    with seminar_locked(run.seminar_id) as seminar:
        run = AllocationRun.objects.select_related("seminar").get(pk=run.pk)
        if run.published_at is not None:
            raise Conflict(_("This allocation is published already."))
        if selectors.published_run(seminar) is not None:
            raise Conflict(_("Another allocation of this seminar is published already."))
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        activity_log(
            action="allocation.published",
            seminar=seminar,
            obj=run,
            new={"published_at": run.published_at, "number": run.number, "seed": run.seed},
        )
        for assignment in selectors.current_assignments(run).select_related(
            "registration__student", "registration__seminar"
        ):
            topic_mail(assignment, template="topic_published")
        joined_since = Registration.objects.filter(
            seminar=seminar, status=RegistrationStatus.CONFIRMED
        ).exclude(assignments__run=run)
        for registration in joined_since.select_related("student", "seminar"):
            late_choice_start(registration=registration, run=run)
        return run


def _problem(seminar: Seminar, registrations: list[Registration]) -> Problem:
    """The allocation problem of these students over every place of the seminar's topics."""
    topics = list(Topic.objects.filter(seminar=seminar))
    preferences: dict[int, list[int]] = {r.pk: [] for r in registrations}
    for registration_id, topic_id in Preference.objects.filter(
        registration__in=list(preferences)
    ).values_list("registration_id", "topic_id"):
        preferences[registration_id].append(topic_id)
    limits = seminar.staff.filter(kind=StaffKind.SUPERVISOR, max_students__isnull=False)
    return Problem(
        preferences=preferences,
        capacities={t.pk: t.capacity for t in topics},
        supervisors={t.pk: t.supervisor_id for t in topics if t.supervisor_id},
        supervisor_limits={s.pk: s.max_students for s in limits},
    )
