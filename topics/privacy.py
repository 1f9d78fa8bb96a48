"""The topics app's part of a student's data export: preferences and the published topic."""

from seminar import privacy
from seminar.models import User
from topics.models import Assignment, Preference


@privacy.register_export(order=20)
def export_topics(user: User) -> privacy.ExportPart:
    preferences = Preference.objects.filter(registration__student=user).select_related(
        "registration__seminar", "topic"
    )
    # Only what was published to the student: draft runs are the organizer's work.
    assignments = Assignment.objects.filter(
        registration__student=user, run__published_at__isnull=False
    ).select_related("registration__seminar", "topic__supervisor__user", "run")
    return privacy.ExportPart(
        data={
            "preferences": [
                {
                    "seminar": p.registration.seminar.title,
                    "topic": str(p.topic),
                    "sent_at": p.created_at,
                }
                for p in preferences
            ],
            "topics": [
                {
                    "seminar": a.registration.seminar.title,
                    "topic": str(a.topic) if a.topic else None,
                    "supervisor": a.topic.supervisor.display_name
                    if a.topic and a.topic.supervisor
                    else None,
                    "how_assigned": a.get_reason_display(),
                    "choose_until": a.choice_due_at,
                    "published_at": a.run.published_at,
                    "changed_at": a.changed_at,
                }
                for a in assignments
            ],
        }
    )
