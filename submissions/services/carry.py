"""The submissions app's part of a seminar's next run: its deliverables and their rules.

The retention period of uploads comes along (the new run's files are not purged).
Submissions, files, teams, invitations, extensions, mock-presentation marks and calendar feeds
belong to the old run's students: none come along.
"""

from django.db import transaction

from seminar.models import Seminar
from submissions.models import Deliverable, FileRetention

COPIED = (
    "enabled",
    "due_rule",
    "due_days",
    "text",
    "count",
    "min_pages",
    "max_pages",
    "team_max",
    "spec_url",
)


@transaction.atomic
def deliverables_carry_forward(*, source: Seminar, target: Seminar, shift) -> None:
    """Every deliverable with its rule; a fixed due moment moves with the dates (same local
    time). While the dates are entered later, a fixed moment stays as it was (the rule needs
    one) and is to be set with the other dates."""
    for old in Deliverable.objects.filter(seminar=source):
        due_fixed_at = old.due_fixed_at
        if due_fixed_at is not None and not shift.dates_later:
            due_fixed_at = shift.moment(due_fixed_at)
        Deliverable.objects.update_or_create(
            seminar=target,
            kind=old.kind,
            defaults={
                **{name: getattr(old, name) for name in COPIED},
                "due_fixed_at": due_fixed_at,
            },
        )


def file_retention_carry_forward(*, source: Seminar, target: Seminar) -> None:
    """The retention period; the new run's own files have not been purged."""
    days = FileRetention.objects.filter(seminar=source).values_list("retention_days", flat=True)
    FileRetention.objects.update_or_create(
        seminar=target, defaults={"retention_days": days.first() or 365}
    )
