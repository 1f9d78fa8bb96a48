"""What grading keeps from being deleted: a session with attendance marked, a presentation
criterion that rubrics were ticked against (the admin asks these before any delete)."""

from django.utils.translation import ngettext

from seminar.models import Meeting, PresentationCriterion


def session_attendance_delete_refusal(session: Meeting) -> str | None:
    marked = session.attendance.count()
    if not marked:
        return None
    return ngettext(
        "Attendance of %(count)d participant is marked for %(session)s; a session with "
        "attendance cannot be deleted. Change its date, time or room instead.",
        "Attendance of %(count)d participants is marked for %(session)s; a session with "
        "attendance cannot be deleted. Change its date, time or room instead.",
        marked,
    ) % {"count": marked, "session": session}


def criterion_delete_refusal(criterion: PresentationCriterion) -> str | None:
    marked = criterion.marks.count()
    if not marked:
        return None
    return ngettext(
        "%(count)d talk was graded against the criterion “%(criterion)s”; it cannot be "
        "deleted. Change its text instead.",
        "%(count)d talks were graded against the criterion “%(criterion)s”; it cannot be "
        "deleted. Change its text instead.",
        marked,
    ) % {"count": marked, "criterion": criterion}
