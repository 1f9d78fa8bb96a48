"""The activity log's one writer: every service that changes state calls `activity_log`."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from seminar.actor import current_actor
from seminar.models import ActivityEntry, Seminar

SYSTEM = "system"


def activity_log(
    *,
    action: str,
    seminar: Seminar | None,
    obj: models.Model | None = None,
    old: dict | None = None,
    new: dict | None = None,
    reason: str = "",
    actor=None,
) -> ActivityEntry:
    """Record one change. `actor` defaults to whoever the current request belongs to."""
    actor = actor if actor is not None else current_actor()
    return ActivityEntry.objects.create(
        actor=actor,
        actor_name=_name_of(actor),
        seminar=seminar,
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        old=old or {},
        new=new or {},
        reason=reason,
    )


def _name_of(actor) -> str:
    if actor is None:
        return SYSTEM
    return f"{actor.full_name} <{actor.email}>" if actor.full_name else actor.email
