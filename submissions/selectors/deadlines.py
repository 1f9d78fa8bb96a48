"""When each deliverable is due: `deadline_of` is the one answer to "when is this due for this
student", extensions included, for every page, upload check, export and reminder."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from seminar.cache import kept_per_version
from seminar.memo import per_read
from seminar.models import Registration, Seminar
from seminar.selectors import seminar_meetings
from submissions.due import due_moment, effective_moment
from submissions.enums import DeliverableKind, DueRule
from submissions.models import Deliverable, Extension, TeamMembership
from topics.selectors import Talk, talks_of


@kept_per_version
def deliverables_of(seminar: Seminar, *, enabled_only: bool = True) -> dict[str, Deliverable]:
    """The seminar's deliverables by kind, in the order a student meets them."""
    found = {d.kind: d for d in seminar.deliverables.all()}
    return {
        kind: found[kind]
        for kind in DeliverableKind.values
        if kind in found and (found[kind].enabled or not enabled_only)
    }


@dataclass(frozen=True)
class SeminarCalendar:
    """What deadlines count from, read once for a whole seminar: the sessions, the published
    talks, and the project teams and extensions of the students asked for."""

    first_session_day: dt.date | None
    last_session_day: dt.date | None
    talks: dict[int, Talk]  # registration id -> talk
    team_of: dict[int, int] = field(default_factory=dict)  # registration id -> team id
    members: dict[int, list[int]] = field(default_factory=dict)  # team id -> registration ids
    # (deliverable id, registration id or team id) -> the extension's moment
    student_extensions: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)
    team_extensions: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)


@per_read
def seminar_calendar(
    seminar: Seminar, *, registration_ids: Collection[int] | None = None
) -> SeminarCalendar:
    """The calendar with the teams and extensions of the given students (None: everyone's;
    empty: nobody's, for seminar-wide rules). A fixed number of queries."""
    sessions = seminar_meetings(seminar).sessions
    calendar = SeminarCalendar(
        first_session_day=sessions[0].date if sessions else None,
        last_session_day=sessions[-1].date if sessions else None,
        talks=talks_of(seminar),
    )
    if registration_ids is not None and not registration_ids:
        return calendar
    memberships = TeamMembership.objects.filter(team__seminar=seminar)
    if registration_ids is not None:
        memberships = memberships.filter(
            team__in=TeamMembership.objects.filter(registration_id__in=registration_ids).values(
                "team_id"
            )
        )
    for team_id, registration_id in memberships.values_list("team_id", "registration_id"):
        calendar.team_of[registration_id] = team_id
        calendar.members.setdefault(team_id, []).append(registration_id)
    extensions = Extension.objects.filter(deliverable__seminar=seminar)
    if registration_ids is not None:
        everyone = {*registration_ids, *calendar.team_of}
        extensions = extensions.filter(
            Q(registration_id__in=everyone) | Q(team_id__in=calendar.members)
        )
    for deliverable_id, registration_id, team_id, due_at in extensions.values_list(
        "deliverable_id", "registration_id", "team_id", "due_at"
    ):
        if registration_id is not None:
            calendar.student_extensions[deliverable_id, registration_id] = due_at
        else:
            calendar.team_extensions[deliverable_id, team_id] = due_at
    return calendar


@dataclass(frozen=True)
class Due:
    """A deliverable's deadline for one student: by the rule, and the extension if any."""

    base: dt.datetime | None
    extension: dt.datetime | None

    @property
    def effective(self) -> dt.datetime | None:
        return effective_moment(self.base, [self.extension] if self.extension else [])

    @property
    def extended(self) -> bool:
        """An extension moves the deadline later than the rule's."""
        return self.extension is not None and (self.base is None or self.extension > self.base)


def due_of(
    deliverable: Deliverable, registration: Registration | None, calendar: SeminarCalendar
) -> Due:
    """The rule's moment and the extension that applies. For the project, a team shares one
    deadline: the latest of the team's extension and each member's own."""
    talk = calendar.talks.get(registration.pk) if registration is not None else None
    base = due_moment(
        rule=deliverable.due_rule,
        days=deliverable.due_days,
        fixed_at=deliverable.due_fixed_at,
        talk_day=timezone.localtime(talk.starts_at).date() if talk else None,
        first_session_day=calendar.first_session_day,
        last_session_day=calendar.last_session_day,
    )
    if registration is None:
        return Due(base, None)
    students = [registration.pk]
    extensions = []
    team_id = calendar.team_of.get(registration.pk)
    if deliverable.kind == DeliverableKind.PROJECT and team_id is not None:
        students = calendar.members[team_id]
        extensions.append(calendar.team_extensions.get((deliverable.pk, team_id)))
    extensions += [calendar.student_extensions.get((deliverable.pk, pk)) for pk in students]
    found = [moment for moment in extensions if moment is not None]
    return Due(base, max(found) if found else None)


def deadline_of(
    deliverable: Deliverable,
    registration: Registration | None,
    calendar: SeminarCalendar,
) -> dt.datetime | None:
    """When a deliverable is due for a student, extensions included (None: not known yet, e.g.
    no talk yet). The one answer for every page, upload check, export and reminder.

    Without a registration: the seminar-wide due moment, for rules that do not depend on the
    student's own talk. The calendar must hold the student's extensions (see seminar_calendar).
    """
    return due_of(deliverable, registration, calendar).effective


def rule_text(deliverable: Deliverable, calendar: SeminarCalendar) -> str:
    """The due rule in words (in the reader's language), with the seminar-wide moment when
    there is one."""
    moment = deadline_of(deliverable, None, calendar)
    days = deliverable.due_days
    if deliverable.due_rule == DueRule.FIXED:
        return _format(deliverable.due_fixed_at)
    if deliverable.due_rule == DueRule.BEFORE_TALK:
        text = ngettext(
            "%(days)d day before your presentation, 23:59",
            "%(days)d days before your presentation, 23:59",
            days,
        )
        return text % {"days": days}
    if deliverable.due_rule == DueRule.BEFORE_FIRST_SESSION:
        text = ngettext(
            "%(days)d day before the first session",
            "%(days)d days before the first session",
            days,
        )
    else:
        text = ngettext(
            "%(days)d day after the last presentation",
            "%(days)d days after the last presentation",
            days,
        )
    when = f" ({_format(moment)})" if moment else ", 23:59"
    return text % {"days": days} + when


def _format(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), gettext("j F Y, H:i"))
