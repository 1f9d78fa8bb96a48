"""What of this app the seminar page shows: its changes bump the page's version (seminar.cache)."""

from seminar.cache import bump_on_change, bump_on_m2m_change
from topics.models import AllocationRun, Assignment, SupplementaryMaterial, Topic


def seminar_pages_connect() -> None:
    bump_on_change(Topic, lambda topic: topic.seminar_id)
    bump_on_change(SupplementaryMaterial, lambda material: material.seminar_id)
    bump_on_m2m_change(Topic.materials.through, _seminar_of_either_side)
    # Publication and hand changes: the reading list shows insiders who presents what.
    # (Preferences are on no public page.)
    bump_on_change(AllocationRun, lambda run: run.seminar_id)
    bump_on_change(Assignment, lambda assignment: _run_seminar(assignment.run_id))


def _seminar_of_either_side(instance):
    return instance.seminar_id  # a Topic (forward) or a SupplementaryMaterial (reverse)


def _run_seminar(run_id: int) -> int | None:
    return AllocationRun.objects.filter(pk=run_id).values_list("seminar_id", flat=True).first()
