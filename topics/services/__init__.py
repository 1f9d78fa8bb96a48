"""Writes of the topics app: preferences, allocation runs, hand changes, late joiners, settings.

Every write that decides a topic runs under the seminar's lock (seminar.services.locking), the
same lock as registration, so seats and topics are decided one request at a time.
"""

from topics.services.assignments import assignment_change
from topics.services.deletes import (
    allocation_run_delete,
    allocation_run_delete_refusal,
    session_delete_refusal,
    topic_delete,
    topic_delete_refusal,
)
from topics.services.late import (
    late_choice_make,
    late_choices_expire,
    late_choices_expire_on_read,
    late_joiner_place,
)
from topics.services.preferences import PREFERENCES_REQUIRED, preferences_open, preferences_set
from topics.services.runs import allocation_publish, allocation_run
from topics.services.settings import late_choice_hours_set, topic_settings_ensure

__all__ = [
    "allocation_run_delete",
    "allocation_run_delete_refusal",
    "session_delete_refusal",
    "topic_delete",
    "topic_delete_refusal",
    "PREFERENCES_REQUIRED",
    "allocation_publish",
    "allocation_run",
    "assignment_change",
    "late_choice_hours_set",
    "late_choice_make",
    "late_choices_expire",
    "late_choices_expire_on_read",
    "late_joiner_place",
    "preferences_open",
    "preferences_set",
    "topic_settings_ensure",
]
