"""Releasing a seminar's grades: from then on each participant sees them, and is e-mailed once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from grading.selectors import grading_participants, gradings_of
from grading.services.grades import grading_locked
from seminar.errors import Conflict, NotAllowed
from seminar.models import Seminar, User
from seminar.selectors import is_organizer
from seminar.services.activity import activity_log
from seminar.services.email import seminar_email_queue


def grades_release(*, seminar: Seminar, by: User) -> int:
    """Show every participant their grades and e-mail each of them (`grades_released`).

    Once per seminar: releasing again is refused, and each participant's e-mail has its own
    key, so nobody gets it twice. Returns how many participants were e-mailed.
    """
    if not is_organizer(by, seminar):
        raise NotAllowed(gettext("Only the seminar's organizers release its grades."))
    with transaction.atomic():
        scheme = grading_locked(seminar)
        if scheme.released_at is not None:
            when = date_format(timezone.localtime(scheme.released_at), gettext("j F Y, H:i"))
            raise Conflict(
                gettext("The grades of %(seminar)s were released on %(when)s already.")
                % {"seminar": seminar, "when": when}
            )
        scheme.released_at = timezone.now()
        scheme.released_by = by
        scheme.save(update_fields=["released_at", "released_by"])
        participants = grading_participants(seminar)
        gradings = gradings_of(seminar, participants)
        for registration in participants:
            seminar_email_queue(
                seminar=seminar,
                key=f"grades_released:{registration.pk}",
                to=registration.student.email,
                template="grades_released",
                context={"student": registration.student, "grading": gradings[registration.pk]},
            )
        activity_log(
            action="grades.released",
            seminar=seminar,
            obj=seminar,
            old={"released": False},
            new={"released": True, "students e-mailed": len(participants)},
            actor=by,
        )
    return len(participants)
