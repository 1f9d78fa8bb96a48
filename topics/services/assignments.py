"""Hand changes of the organizer."""

from django.utils.translation import gettext as _

from seminar.errors import Invalid
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from topics import selectors
from topics.enums import AssignmentReason
from topics.models import Assignment, Topic
from topics.services.mails import topic_mail


def assignment_change(*, assignment: Assignment, topic: Topic | None) -> list[Assignment]:
    """Give a student another topic by hand, under the seminar's lock.

    If that topic is full, its holder gets this student's old topic in exchange (a swap), so no
    capacity is ever exceeded. Returns the changed assignments: none when the student already
    holds that topic, which is not a change. After publication everyone changed is e-mailed,
    with their old topic named; what each is told is derived from the new state when shown.
    """
    seminar_id = Assignment.objects.values_list("run__seminar_id", flat=True).get(pk=assignment.pk)
    with seminar_locked(seminar_id) as seminar:
        assignment = Assignment.objects.select_related(
            "run", "topic", "registration__student", "registration__seminar"
        ).get(pk=assignment.pk)
        if topic is not None and topic.seminar_id != seminar.pk:
            raise Invalid(_("That topic belongs to another seminar."))
        new_topic_id = topic.pk if topic is not None else None
        if new_topic_id == assignment.topic_id:
            return []
        moves = [(assignment, topic)]
        if topic is not None:
            holders = list(
                selectors.current_assignments(assignment.run)
                .filter(topic=topic)
                .exclude(pk=assignment.pk)
                .select_related("topic", "registration__student", "registration__seminar")
                .order_by("pk")
            )
            if len(holders) >= topic.capacity:
                moves.append((holders[0], assignment.topic))
        changed = []
        for moved, new_topic in moves:
            old_topic = moved.topic
            moved.topic = new_topic
            moved.reason = AssignmentReason.MANUAL
            moved.is_manual = True
            moved.choice_due_at = None
            moved.save()
            activity_log(
                action="assignment.changed",
                seminar=seminar,
                obj=moved,
                old={"topic": old_topic.pk if old_topic else None},
                new={"topic": new_topic.pk if new_topic else None},
                reason="swap" if moved is not assignment else "",
            )
            changed.append((moved, old_topic))
        if assignment.run.published_at:
            for moved, old_topic in changed:
                topic_mail(moved, template="topic_changed", old_topic=old_topic)
        return [moved for moved, _ in changed]
