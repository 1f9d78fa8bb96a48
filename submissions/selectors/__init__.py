"""Reads of the submissions app, used in more than one place. `deadline_of` is the one answer to
"when is this due for this student"."""

from submissions.selectors.deadlines import (
    Due,
    SeminarCalendar,
    deadline_of,
    deliverables_of,
    due_of,
    rule_text,
    seminar_calendar,
)
from submissions.selectors.people import (
    TeamView,
    confirmed_participants,
    owners_of,
    published_assignments,
    supervised_registration_ids,
    supervisor_user_ids,
    team_view,
    visible_submissions,
)
from submissions.selectors.progress import Item, Progress, progress_of

__all__ = [
    "Due",
    "Item",
    "Progress",
    "SeminarCalendar",
    "TeamView",
    "confirmed_participants",
    "deadline_of",
    "deliverables_of",
    "due_of",
    "owners_of",
    "progress_of",
    "published_assignments",
    "rule_text",
    "seminar_calendar",
    "supervised_registration_ids",
    "supervisor_user_ids",
    "team_view",
    "visible_submissions",
]
