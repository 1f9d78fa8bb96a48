"""Reads of the submissions app. `deadline_of` is the one answer to "when is this due"."""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, Seminar, User
from seminar.selectors import seminar_meetings
from submissions.due import deliverable_state, due_moment, effective_moment
from submissions.enums import DeliverableKind, DeliverableState, DueRule
from submissions.models import (
    Deliverable,
    Extension,
    MockPresentationMark,
    Submission,
    SubmissionFile,
    TeamInvitation,
    TeamMembership,
)
from topics.models import Assignment
from topics.selectors import Talk, current_assignments, published_run, talks_of


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
    """The due rule in words, with the seminar-wide moment when there is one."""
    moment = deadline_of(deliverable, None, calendar)
    when = f" ({_format(moment)})" if moment else ""
    days = deliverable.due_days
    plural = "day" if days == 1 else "days"
    if deliverable.due_rule == DueRule.FIXED:
        return _format(deliverable.due_fixed_at)
    if deliverable.due_rule == DueRule.BEFORE_TALK:
        return f"{days} {plural} before your presentation, 23:59"
    if deliverable.due_rule == DueRule.BEFORE_FIRST_SESSION:
        return f"{days} {plural} before the first session{when or ', 23:59'}"
    return f"{days} {plural} after the last presentation{when or ', 23:59'}"


def _format(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


# --- Where each student stands -------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing to hand in: the slide draft, report n, or the team's project."""

    number: int
    submission: Submission | None
    versions: list[SubmissionFile]  # newest first

    @property
    def current(self) -> SubmissionFile | None:
        return self.versions[0] if self.versions else None


@dataclass(frozen=True)
class Progress:
    """Where one student stands with one deliverable, derived from the current state."""

    deliverable: Deliverable
    due: Due
    items: list[Item]
    state: str  # a DeliverableState value
    given: MockPresentationMark | None = None

    @property
    def handed_in(self) -> int:
        if self.deliverable.kind == DeliverableKind.MOCK_PRESENTATION:
            return 1 if self.given else 0
        return sum(1 for item in self.items if item.current)

    @property
    def required(self) -> int:
        return self.deliverable.count if self.deliverable.kind == DeliverableKind.REPORTS else 1

    @property
    def state_label(self) -> str:
        if self.deliverable.kind == DeliverableKind.MOCK_PRESENTATION:
            return "given" if self.state == DeliverableState.SUBMITTED else self.state
        if self.required > 1 and self.state != DeliverableState.SUBMITTED:
            return f"{self.state} ({self.handed_in} of {self.required} in)"
        return self.state

    def after_rule_deadline(self, file: SubmissionFile) -> bool:
        """The late flag: handed in after the rule's own deadline, under an extension."""
        return self.due.base is not None and file.uploaded_at > self.due.base


def progress_of(
    seminar: Seminar,
    registrations: list[Registration],
    *,
    calendar: SeminarCalendar,
    deliverables: dict[str, Deliverable] | None = None,
    now: dt.datetime | None = None,
) -> dict[int, dict[str, Progress]]:
    """registration id -> kind -> progress, for every enabled deliverable. The calendar must
    hold these students' teams and extensions. A fixed number of queries."""
    deliverables = deliverables_of(seminar) if deliverables is None else deliverables
    now = timezone.now() if now is None else now
    ids = [r.pk for r in registrations]
    teams = {calendar.team_of[pk] for pk in ids if pk in calendar.team_of}
    by_student: dict[tuple[int, int], list[Submission]] = {}
    by_team: dict[tuple[int, int], Submission] = {}
    for submission in (
        Submission.objects.filter(Q(registration_id__in=ids) | Q(team_id__in=teams))
        .filter(deliverable__seminar=seminar)
        .select_related("topic")
        .prefetch_related(Prefetch("files", SubmissionFile.objects.order_by("-version")))
    ):
        if submission.team_id is not None:
            by_team[submission.deliverable_id, submission.team_id] = submission
        else:
            by_student.setdefault(
                (submission.deliverable_id, submission.registration_id), []
            ).append(submission)
    marks = {
        (mark.deliverable_id, mark.registration_id): mark
        for mark in MockPresentationMark.objects.filter(registration_id__in=ids)
    }
    result: dict[int, dict[str, Progress]] = {}
    for registration in registrations:
        row = result[registration.pk] = {}
        for kind, deliverable in deliverables.items():
            due = due_of(deliverable, registration, calendar)
            items, given = [], None
            if kind == DeliverableKind.MOCK_PRESENTATION:
                given = marks.get((deliverable.pk, registration.pk))
                complete = given is not None
            elif kind == DeliverableKind.PROJECT:
                team_id = calendar.team_of.get(registration.pk)
                submission = by_team.get((deliverable.pk, team_id)) if team_id else None
                items = [_item(1, submission)]
                complete = items[0].current is not None
            else:
                own = {s.number: s for s in by_student.get((deliverable.pk, registration.pk), [])}
                required = deliverable.count if kind == DeliverableKind.REPORTS else 1
                items = [_item(n, own.get(n)) for n in range(1, required + 1)]
                complete = all(item.current for item in items)
            state = deliverable_state(
                complete=complete, effective=due.effective, extended=due.extended, now=now
            )
            row[kind] = Progress(deliverable, due, items, state, given)
    return result


def _item(number: int, submission: Submission | None) -> Item:
    return Item(number, submission, list(submission.files.all()) if submission else [])


# --- Teams, supervisors, who sees what --------------------------------------------------------


@dataclass(frozen=True)
class TeamView:
    """A participant's project team as their dashboard shows it."""

    team_id: int | None
    mates: list[Registration]
    invitations_sent: list[TeamInvitation]
    invitations_received: list[TeamInvitation]
    has_project: bool


def team_view(registration: Registration) -> TeamView:
    membership = (
        TeamMembership.objects.filter(registration=registration).select_related("team").first()
    )
    team_id = membership.team_id if membership else None
    mates: list[Registration] = []
    sent: list[TeamInvitation] = []
    has_project = False
    if team_id is not None:
        mates = list(
            Registration.objects.filter(team_membership__team_id=team_id)
            .exclude(pk=registration.pk)
            .select_related("student")
            .order_by("student__full_name")
        )
        sent = list(
            TeamInvitation.objects.filter(team_id=team_id).select_related("invitee__student")
        )
        has_project = Submission.objects.filter(team_id=team_id).exists()
    received = list(
        TeamInvitation.objects.filter(invitee=registration).select_related("invited_by__student")
    )
    return TeamView(team_id, mates, sent, received, has_project)


def confirmed_participants(seminar: Seminar) -> list[Registration]:
    return list(
        Registration.objects.filter(seminar=seminar, status=RegistrationStatus.CONFIRMED)
        .select_related("student")
        .order_by("student__full_name", "pk")
    )


def published_assignments(
    seminar: Seminar, *, registration_ids: Iterable[int] | None = None
) -> dict[int, Assignment]:
    """registration id -> the published assignment (topic, supervisor) of those holding a seat."""
    run = published_run(seminar)
    if run is None:
        return {}
    assignments = current_assignments(run).select_related("topic__supervisor__user")
    if registration_ids is not None:
        assignments = assignments.filter(registration_id__in=list(registration_ids))
    return {a.registration_id: a for a in assignments}


def supervisor_user_ids(seminar: Seminar, registration_ids: Iterable[int]) -> set[int]:
    """The users who supervise the published topic of any of these students."""
    return {
        a.topic.supervisor.user_id
        for a in published_assignments(seminar, registration_ids=registration_ids).values()
        if a.topic is not None and a.topic.supervisor is not None
    }


def supervised_registration_ids(seminar: Seminar, user: User) -> set[int]:
    """The participants whose published topic this user supervises."""
    run = published_run(seminar)
    if run is None or not user.is_authenticated:
        return set()
    return set(
        current_assignments(run)
        .filter(topic__supervisor__user=user)
        .values_list("registration_id", flat=True)
    )


def owners_of(submission: Submission) -> list[int]:
    """The registrations a submission belongs to: its student, or each member of its team."""
    if submission.registration_id is not None:
        return [submission.registration_id]
    return list(
        TeamMembership.objects.filter(team_id=submission.team_id).values_list(
            "registration_id", flat=True
        )
    )


def visible_submissions(user: User):
    """The submissions a staff member may see in the admin: every one of the seminars they
    organize, and those of the students whose published topic they supervise."""
    submissions = Submission.objects.all()
    if user.is_superuser:
        return submissions
    supervised = {
        "assignments__run__published_at__isnull": False,
        "assignments__topic__supervisor__user": user,
        "status": RegistrationStatus.CONFIRMED,
    }
    students = Registration.objects.filter(**supervised).values("pk")
    organized = Seminar.objects.filter(staff__user=user, staff__kind=StaffKind.ORGANIZER)
    return submissions.filter(
        Q(deliverable__seminar__in=organized)
        | Q(registration__in=students)
        | Q(team__memberships__registration__in=students)
    ).distinct()
