"""Reads of topics, preferences, allocation runs and the published schedule.

`talks_of` / `talk_of` are the one answer to "when does this student talk" for every app.
"""

from topics.selectors.runs import (
    PreviewRow,
    RunPreview,
    RunState,
    TopicChoice,
    current_assignments,
    holds_published_topic,
    publication_recipients,
    published_run,
    run_preview,
    run_state,
    topics_with_details,
)
from topics.selectors.schedule import (
    ReadingDay,
    ReadingList,
    ReadingRow,
    Talk,
    reading_list,
    talk_of,
    talks_of,
)
from topics.selectors.students import (
    LATE_CHOICE_HOURS_DEFAULT,
    AssignmentView,
    due_late_choices,
    late_choice_hours,
    late_joiners_choosing,
    materials_of,
    my_assignment,
    next_late_choice_due,
    preference_status,
    preferences_of,
    seminars_with_due_late_choices,
)

__all__ = [
    "LATE_CHOICE_HOURS_DEFAULT",
    "AssignmentView",
    "PreviewRow",
    "ReadingDay",
    "ReadingList",
    "ReadingRow",
    "RunPreview",
    "RunState",
    "Talk",
    "TopicChoice",
    "current_assignments",
    "due_late_choices",
    "next_late_choice_due",
    "holds_published_topic",
    "late_choice_hours",
    "late_joiners_choosing",
    "materials_of",
    "my_assignment",
    "preference_status",
    "preferences_of",
    "publication_recipients",
    "published_run",
    "reading_list",
    "run_preview",
    "run_state",
    "seminars_with_due_late_choices",
    "talk_of",
    "talks_of",
    "topics_with_details",
]
