"""The topics app's part of a seminar's next run: its settings, supplementary list and topics.

Preferences, allocation runs and assignments belong to the old run's students: none come along.
"""

from django.db import transaction

from seminar.models import Seminar
from topics.models import SupplementaryMaterial, Topic, TopicSettings


@transaction.atomic
def topics_carry_forward(*, source: Seminar, target: Seminar, shift) -> None:
    """Copy the settings, the numbered supplementary list and every topic with its supervisor,
    mock group, capacity, material references and (when the sessions came along) its slot."""
    old_settings = TopicSettings.objects.filter(seminar=source).first()
    if old_settings is not None:
        TopicSettings.objects.update_or_create(
            seminar=target, defaults={"late_choice_hours": old_settings.late_choice_hours}
        )
    materials = {}
    for material in SupplementaryMaterial.objects.filter(seminar=source).order_by("number"):
        materials[material.pk] = SupplementaryMaterial.objects.create(
            seminar=target,
            number=material.number,
            title=material.title,
            url=material.url,
            marker=material.marker,
        )
    topics = Topic.objects.filter(seminar=source).prefetch_related("materials").order_by("pk")
    for topic in topics:
        session = shift.meetings.get(topic.session_id) if topic.session_id else None
        supervisor = shift.staff.get(topic.supervisor_id) if topic.supervisor_id else None
        new = Topic.objects.create(
            seminar=target,
            title=topic.title,
            year=topic.year,
            url=topic.url,
            supervisor=supervisor,
            mock_group=topic.mock_group,
            session=session,
            slot=topic.slot if session is not None else None,
            capacity=topic.capacity,
        )
        new.materials.set([materials[m.pk] for m in topic.materials.all()])
