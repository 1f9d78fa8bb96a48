"""A seminar's deliverables and their rules."""

from django.db import transaction

from seminar.models import Registration, Seminar, User
from seminar.services.activity import activity_log
from submissions.enums import DeliverableKind, DueRule
from submissions.models import Deliverable, MockPresentationMark

# What a new seminar asks for until its organizer says otherwise: the seed seminar's rules.
DELIVERABLE_DEFAULTS: dict[str, dict] = {
    DeliverableKind.SLIDE_DRAFT: {"due_rule": DueRule.BEFORE_TALK, "due_days": 7},
    DeliverableKind.MOCK_PRESENTATION: {"due_rule": DueRule.BEFORE_FIRST_SESSION, "due_days": 1},
    DeliverableKind.REPORTS: {
        "due_rule": DueRule.AFTER_LAST_SESSION,
        "due_days": 14,
        "count": 3,
        "min_pages": 2,
        "max_pages": 4,
    },
    DeliverableKind.PROJECT: {
        "due_rule": DueRule.AFTER_LAST_SESSION,
        "due_days": 28,
        "team_max": 2,
    },
}


@transaction.atomic
def deliverables_ensure(*, seminar: Seminar) -> list[Deliverable]:
    """Give a seminar each kind of deliverable it lacks, with the defaults; changes nothing else."""
    existing = set(seminar.deliverables.values_list("kind", flat=True))
    Deliverable.objects.bulk_create(
        [
            Deliverable(seminar=seminar, kind=kind, **defaults)
            for kind, defaults in DELIVERABLE_DEFAULTS.items()
            if kind not in existing
        ]
    )
    return list(seminar.deliverables.all())


@transaction.atomic
def mock_presentation_mark(
    *, registration: Registration, given: bool, by: User | None, reason: str = ""
) -> None:
    """Record that a participant gave (or, corrected, did not give) their mock presentation.
    `reason` goes into the activity log (the grading app asks for one after grades are out)."""
    deliverable = Deliverable.objects.get(
        seminar_id=registration.seminar_id, kind=DeliverableKind.MOCK_PRESENTATION
    )
    existing = MockPresentationMark.objects.filter(
        deliverable=deliverable, registration=registration
    ).first()
    if given == (existing is not None):
        return
    if given:
        MockPresentationMark.objects.create(
            deliverable=deliverable, registration=registration, marked_by=by
        )
    else:
        existing.delete()
    activity_log(
        action="mock_presentation.given" if given else "mock_presentation.not_given",
        seminar=registration.seminar,
        obj=registration,
        old={"given": not given},
        new={"given": given},
        reason=reason,
    )
