"""The topics app's e-mails, queued inside the transaction that caused them (one place to send)."""

from seminar import slots
from seminar.models import Registration
from seminar.services.email import seminar_email_queue
from topics import selectors
from topics.models import Assignment, Topic


def topic_mail(assignment: Assignment, *, template: str, old_topic: Topic | None = None) -> None:
    """Tell a student their topic as it is now: talk, supervisor, group, deadlines and why."""
    registration = assignment.registration
    view = selectors.my_assignment(registration)
    if view is None:  # not published, or no longer a participant: nothing to tell
        return
    assignment = view.assignment
    _queue(
        registration,
        key=f"assignment-{assignment.pk}-{template}-{assignment.topic_id}-"
        f"{assignment.changed_at.isoformat()}",
        template=template,
        assignment=assignment,
        view=view,
        old_topic=old_topic,
        deadlines=slots.deadlines_for(registration),
    )


def preferences_open_mail(registration: Registration) -> None:
    """Once per student and seminar, however often the form is opened."""
    _queue(
        registration,
        key=f"topic-preferences-open-{registration.pk}",
        template="topic_preferences_open",
    )


def _queue(to: Registration, *, key: str, template: str, **context) -> None:
    seminar_email_queue(
        key=key,
        to=to.student.email,
        template=template,
        seminar=to.seminar,
        context={"student": to.student, "registration": to, **context},
    )
