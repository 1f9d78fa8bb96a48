"""Extensions: a later deadline for one student, or for a whole project team."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from seminar.errors import Invalid
from seminar.models import Registration, User
from seminar.services.activity import activity_log
from submissions.enums import DeliverableKind
from submissions.models import Deliverable, Extension, Team
from submissions.selectors import due_of, seminar_calendar


@transaction.atomic
def extension_grant(
    *,
    deliverable: Deliverable,
    due_at: dt.datetime,
    reason: str,
    by: User | None,
    registration: Registration | None = None,
    team: Team | None = None,
) -> Extension:
    """Give one student, or every member of a project team, a later deadline; granting again
    replaces the earlier extension. Recorded in the activity log with the reason."""
    reason = reason.strip()
    if (registration is None) == (team is None):
        raise Invalid(gettext("Choose either one student or one team."))
    target = registration or team
    if target.seminar_id != deliverable.seminar_id:
        raise Invalid(gettext("That student or team is not in this deliverable's seminar."))
    if team is not None and deliverable.kind != DeliverableKind.PROJECT:
        raise Invalid(gettext("Only the practical project is handed in by teams."))
    if not reason:
        raise Invalid(gettext("Give the reason for the extension; it is kept in the activity log."))
    if timezone.is_naive(due_at):
        raise Invalid(gettext("The new deadline needs a time zone."))
    member = registration or team.memberships.select_related("registration").first().registration
    calendar = seminar_calendar(deliverable.seminar, registration_ids=[])
    base = due_of(deliverable, member, calendar).base
    if base is not None and due_at <= base:
        raise Invalid(
            gettext("The new deadline must be later than the deliverable's own, %(moment)s.")
            % {"moment": _local(base)}
        )
    owner = {"registration": registration} if registration else {"team": team}
    old = Extension.objects.filter(deliverable=deliverable, **owner).first()
    extension, _ = Extension.objects.update_or_create(
        deliverable=deliverable,
        **owner,
        defaults={
            "due_at": due_at,
            "reason": reason,
            "granted_by": by,
            "granted_at": timezone.now(),
        },
    )
    activity_log(
        action="extension.granted",
        seminar=deliverable.seminar,
        obj=extension,
        old={"due_at": old.due_at} if old else {},
        new={"deliverable": deliverable.kind, "for": _target(extension), "due_at": due_at},
        reason=reason,
    )
    return extension


@transaction.atomic
def extension_revoke(*, extension: Extension, reason: str = "") -> None:
    """Take an extension back: the rule's deadline counts again."""
    activity_log(
        action="extension.revoked",
        seminar=extension.deliverable.seminar,
        obj=extension,
        old={
            "deliverable": extension.deliverable.kind,
            "for": _target(extension),
            "due_at": extension.due_at,
        },
        reason=reason.strip(),
    )
    extension.delete()


def _target(extension: Extension) -> str:
    if extension.registration_id is not None:
        return extension.registration.student.email
    emails = extension.team.memberships.values_list("registration__student__email", flat=True)
    return "team: " + ", ".join(sorted(emails))


def _local(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), gettext("j F Y, H:i"))
