"""What grading keeps from being deleted: a session with attendance marked, a presentation
criterion that rubrics were ticked against (the admin asks these before any delete)."""

from seminar.models import Meeting, PresentationCriterion


def session_attendance_delete_refusal(session: Meeting) -> str | None:
    marked = session.attendance.count()
    if not marked:
        return None
    people = "participant" if marked == 1 else "participants"
    return (
        f"Attendance of {marked} {people} is marked for {session}; a session with attendance "
        "cannot be deleted. Change its date, time or room instead."
    )


def criterion_delete_refusal(criterion: PresentationCriterion) -> str | None:
    marked = criterion.marks.count()
    if not marked:
        return None
    talks = "talk was" if marked == 1 else "talks were"
    return (
        f"{marked} {talks} graded against the criterion “{criterion}”; it cannot be deleted. "
        "Change its text instead."
    )
