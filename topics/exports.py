"""The topics app's columns in the organizer's participant export (see seminar.exports)."""

from django.utils import timezone

from seminar import exports
from seminar.models import Registration, Seminar
from topics import selectors


@exports.register_participant_columns
def topic_columns(
    seminar: Seminar, registrations: list[Registration]
) -> tuple[list[str], dict[int, list[object]]]:
    """Each participant's published topic, its supervisor and the talk's time and room."""
    header = ["topic", "supervisor", "talk_at", "talk_room"]
    run = selectors.published_run(seminar)
    if run is None:
        return header, {}
    talks = selectors.talks_of(seminar)
    values: dict[int, list[object]] = {}
    for assignment in selectors.current_assignments(run).select_related("topic__supervisor__user"):
        topic = assignment.topic
        talk = talks.get(assignment.registration_id)
        values[assignment.registration_id] = [
            topic.title if topic else "",
            topic.supervisor.display_name if topic and topic.supervisor else "",
            timezone.localtime(talk.starts_at).isoformat(timespec="minutes") if talk else "",
            talk.session.room if talk else "",
        ]
    return header, values
