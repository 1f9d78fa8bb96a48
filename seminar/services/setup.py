"""A new seminar, whichever door made it (the admin, the demo loader, later the setup pages),
and the deletion of one made by mistake."""

from django.db import transaction
from django.utils.translation import ngettext

from seminar.enums import StaffKind
from seminar.errors import Conflict
from seminar.models import Seminar, User
from seminar.models.seminar import RESERVED_SLUGS
from seminar.services.activity import activity_log
from seminar.services.staff import staff_role_add, staff_role_drop
from seminar.signals import seminar_created
from seminar.slugs import slug_for


def seminar_slug_make(*, title: str, term: str = "") -> str:
    """A free slug from title and term ("Deep Diffusion", "Winter 2026/27" →
    `deep-diffusion-ws2026`), so that next year's run does not clash with this year's; `-2`,
    `-3`… when it is taken or used by the site itself. The next run's slug is made the same way."""

    def taken(slug: str) -> bool:
        return slug in RESERVED_SLUGS or Seminar.objects.filter(slug=slug).exists()

    return slug_for(title, term, taken)


@transaction.atomic
def seminar_setup(*, seminar: Seminar, creator: User | None = None) -> Seminar:
    """Complete a just-saved seminar: every app adds its own settings, the creator organizes it."""
    seminar_created.send(sender=Seminar, seminar=seminar)
    if creator is not None and not creator.is_superuser:
        # Whoever creates a seminar organizes it; otherwise it would vanish from their list.
        staff_role_add(seminar=seminar, user=creator, kind=StaffKind.ORGANIZER)
    activity_log(action="seminar.created", seminar=seminar, obj=seminar, actor=creator)
    return seminar


def seminar_delete_refusal(seminar: Seminar) -> str | None:
    """Why a seminar may not be deleted (None: it may): once anyone registered, it stays."""
    registered = seminar.registrations.count()
    if registered:
        return ngettext(
            "%(count)d student has registered for %(seminar)s; a seminar with registrations "
            "cannot be deleted. Remove what is wrong instead.",
            "%(count)d students have registered for %(seminar)s; a seminar with registrations "
            "cannot be deleted. Remove what is wrong instead.",
            registered,
        ) % {"count": registered, "seminar": seminar}
    return None


@transaction.atomic
def seminar_delete(*, seminar: Seminar) -> None:
    """Delete a seminar nobody registered for (a draft made by mistake), with its settings."""
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    refusal = seminar_delete_refusal(seminar)
    if refusal:
        raise Conflict(refusal)
    activity_log(action="seminar.deleted", seminar=None, obj=seminar)
    for role in seminar.staff.select_related("user"):
        staff_role_drop(role=role)  # its people leave the staff groups they no longer need
    seminar.delete()
