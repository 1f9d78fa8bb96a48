"""Where each student stands with each deliverable, derived from the current state."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext

from seminar.memo import per_read
from seminar.models import Registration, Seminar
from submissions.due import deliverable_state
from submissions.enums import DeliverableKind, DeliverableState
from submissions.models import Deliverable, MockPresentationMark, Submission, SubmissionFile
from submissions.selectors.deadlines import Due, SeminarCalendar, deliverables_of, due_of


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
        """The state in words, in the reader's language."""
        label = DeliverableState(self.state).label
        if self.deliverable.kind == DeliverableKind.MOCK_PRESENTATION:
            return gettext("given") if self.state == DeliverableState.SUBMITTED else str(label)
        if self.required > 1 and self.state != DeliverableState.SUBMITTED:
            return gettext("%(state)s (%(done)d of %(required)d in)") % {
                "state": label,
                "done": self.handed_in,
                "required": self.required,
            }
        return str(label)

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
    teams = sorted({calendar.team_of[pk] for pk in ids if pk in calendar.team_of})
    by_student, by_team, marks = _handed_in(seminar, ids, teams)
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


@per_read
def _handed_in(seminar: Seminar, ids: list[int], teams: list[int]) -> tuple[dict, dict, dict]:
    """The submissions (files newest first) of these students and teams, by (deliverable,
    student) and (deliverable, team), and the students' mock-presentation marks."""
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
    return by_student, by_team, marks


def _item(number: int, submission: Submission | None) -> Item:
    return Item(number, submission, list(submission.files.all()) if submission else [])
