"""A new seminar, whichever door made it (the admin, the demo loader, later the setup pages)."""

from django.db import transaction

from seminar.enums import StaffKind
from seminar.models import Seminar, User
from seminar.services.activity import activity_log
from seminar.services.staff import staff_role_add
from seminar.signals import seminar_created


@transaction.atomic
def seminar_setup(*, seminar: Seminar, creator: User | None = None) -> Seminar:
    """Complete a just-saved seminar: every app adds its own settings, the creator organizes it."""
    seminar_created.send(sender=Seminar, seminar=seminar)
    if creator is not None and not creator.is_superuser:
        # Whoever creates a seminar organizes it; otherwise it would vanish from their list.
        staff_role_add(seminar=seminar, user=creator, kind=StaffKind.ORGANIZER)
    activity_log(action="seminar.created", seminar=seminar, obj=seminar, actor=creator)
    return seminar
