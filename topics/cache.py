"""What of this app the seminar page and the dashboards show: its changes bump their versions
(seminar.cache, seminar.dashboard_cache)."""

from seminar.cache import bump_on_change, bump_on_m2m_change
from seminar.dashboard_cache import dashboard_bump_on_change, seminar_of_registration
from topics.models import (
    AllocationRun,
    Assignment,
    Preference,
    SupplementaryMaterial,
    Topic,
    TopicSettings,
)


def seminar_pages_connect() -> None:
    bump_on_change(Topic, lambda topic: topic.seminar_id)
    bump_on_change(SupplementaryMaterial, lambda material: material.seminar_id)
    bump_on_m2m_change(Topic.materials.through, _seminar_of_either_side)
    # Publication and hand changes: the reading list shows insiders who presents what.
    # (Preferences are on no public page.)
    bump_on_change(AllocationRun, lambda run: run.seminar_id)
    bump_on_change(Assignment, lambda assignment: _run_seminar(assignment.run_id))
    # Only on the students' dashboards: their preferences, the time late joiners have to choose.
    dashboard_bump_on_change(Preference, lambda p: seminar_of_registration(p.registration_id))
    dashboard_bump_on_change(TopicSettings, lambda settings: settings.seminar_id)


def _seminar_of_either_side(instance):
    return instance.seminar_id  # a Topic (forward) or a SupplementaryMaterial (reverse)


def _run_seminar(run_id: int) -> int | None:
    return AllocationRun.objects.filter(pk=run_id).values_list("seminar_id", flat=True).first()
