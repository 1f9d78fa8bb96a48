"""Writes of the submissions app."""

from django.db import transaction

from seminar.models import Seminar
from submissions.enums import DeliverableKind, DueRule
from submissions.models import Deliverable

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
