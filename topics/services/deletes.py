"""Deletes that keep the rules: the admin's delete buttons call these."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seminar.errors import Conflict
from seminar.models import Meeting
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from topics.models import AllocationRun, Topic


def topic_delete_refusal(topic: Topic) -> str | None:
    """Why a topic may not be deleted (None: it may): students chose it or hold it."""
    chose = topic.preferences.count()
    assigned = topic.assignments.count()
    if not (chose or assigned):
        return None
    why = []
    if chose:
        why.append(
            ngettext("%(count)d student chose it", "%(count)d students chose it", chose)
            % {"count": chose}
        )
    if assigned:
        why.append(
            ngettext(
                "it is assigned in %(count)d allocation entry",
                "it is assigned in %(count)d allocation entries",
                assigned,
            )
            % {"count": assigned}
        )
    return _("'%(topic)s' cannot be deleted: %(why)s. Change its details instead.") % {
        "topic": topic,
        "why": _(" and ").join(why),
    }


@transaction.atomic
def topic_delete(*, topic: Topic) -> None:
    refusal = topic_delete_refusal(topic)
    if refusal:
        raise Conflict(refusal)
    activity_log(action="topic.deleted", seminar=topic.seminar, obj=topic)
    topic.delete()


def allocation_run_delete_refusal(run: AllocationRun) -> str | None:
    if run.published_at is not None:
        return _(
            "Allocation run %(number)s is published: students were told their topics. "
            "It cannot be deleted; change single assignments instead."
        ) % {"number": run.number}
    return None


def allocation_run_delete(*, run: AllocationRun) -> None:
    """Delete a draft run; a published one is the seminar's schedule and stays."""
    with seminar_locked(run.seminar_id):  # against publishing it at the same moment
        run = AllocationRun.objects.select_related("seminar").get(pk=run.pk)
        refusal = allocation_run_delete_refusal(run)
        if refusal:
            raise Conflict(refusal)
        activity_log(action="allocation.deleted", seminar=run.seminar, obj=run)
        run.delete()


def session_delete_refusal(meeting: Meeting) -> str | None:
    """A session with talks scheduled in it stays until its topics are moved."""
    talks = Topic.objects.filter(session=meeting).count()
    if talks:
        return ngettext(
            "%(count)d talk is scheduled in the session of %(date)s; "
            "move it to another session first.",
            "%(count)d talks are scheduled in the session of %(date)s; "
            "move them to another session first.",
            talks,
        ) % {"count": talks, "date": f"{meeting.date:%Y-%m-%d}"}
    return None
