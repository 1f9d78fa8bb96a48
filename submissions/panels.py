"""The submissions app's parts of the seminar app's pages (see seminar.slots)."""

from collections import Counter
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seminar import slots
from seminar.enums import RegistrationStatus
from seminar.models import Registration
from submissions import selectors
from submissions.due import countdown_changes_at
from submissions.enums import DeliverableKind, DeliverableState
from submissions.forms import TeamInviteForm, UploadForm
from submissions.models import CalendarFeed, Deliverable
from submissions.selectors.retention import retention_of
from topics.models import Topic


@dataclass(frozen=True)
class DeliverableRule:
    deliverable: Deliverable
    rule_text: str

    @property
    def text(self) -> str:
        return self.deliverable.text


@slots.register(slots.SEMINAR_PAGE, order=5)
def rules_panel(request, seminar, registration) -> str | None:
    deliverables = selectors.deliverables_of(seminar)
    if not deliverables:
        return None
    calendar = selectors.seminar_calendar(seminar, registration_ids=[])
    rules = {
        kind: DeliverableRule(d, selectors.rule_text(d, calendar))
        for kind, d in deliverables.items()
    }
    return render_to_string("submissions/_rules.html", {"deliverables": rules}, request=request)


@slots.register(slots.DASHBOARD, order=20)
def dashboard_panel(request, seminar, registration) -> str | None:
    """Every deadline with its effective date, countdown and state; the upload forms; the
    project team; the calendar feed. A fixed number of queries."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return None
    deliverables = selectors.deliverables_of(seminar)
    if not deliverables:
        return None
    calendar = selectors.seminar_calendar(seminar, registration_ids=[registration.pk])
    now = timezone.now()
    progress = selectors.progress_of(
        seminar, [registration], calendar=calendar, deliverables=deliverables, now=now
    )[registration.pk]
    topics = list(Topic.objects.filter(seminar=seminar).order_by("title"))
    rows = []
    for kind, item in progress.items():
        forms = []
        if kind != DeliverableKind.MOCK_PRESENTATION:
            for entry in item.items:
                initial = {"number": entry.number}
                if entry.submission is not None:
                    initial.update(
                        topic=entry.submission.topic_id,
                        title=entry.submission.title,
                        repository_url=entry.submission.repository_url,
                    )
                form = UploadForm(
                    deliverable=item.deliverable,
                    topics=topics,
                    initial=initial,
                    auto_id=f"id_{kind}{entry.number}_%s",
                )
                forms.append((entry, form))
        rows.append((item, forms, DEADLINE_LABELS[kind]))
    project = deliverables.get(DeliverableKind.PROJECT)
    project_due = progress[DeliverableKind.PROJECT].due.effective if project else None
    context = {
        # The same rule as the team services: teams change until the project deadline.
        "team_changes_open": project_due is None or now <= project_due,
        "seminar": seminar,
        "registration": registration,
        "rows": rows,
        "now": now,
        "project": project,
        "team": selectors.team_view(registration)
        if project is not None and project.team_max > 1
        else None,
        "invite_form": TeamInviteForm(auto_id="id_team_%s"),
        "feed": CalendarFeed.objects.filter(registration=registration).first(),
    }
    return render_to_string("submissions/_dashboard.html", context, request=request)


@slots.register_moments(slots.DASHBOARD)
def deadline_moments(seminar, registration, now) -> list:
    """Each deadline (and the rule's own, under an extension) and its countdown's next minute:
    the states, the countdowns, whether uploads and team changes are open, what is overdue."""
    if registration is None:
        return []
    calendar = selectors.seminar_calendar(seminar, registration_ids=[registration.pk])
    moments = []
    for deliverable in selectors.deliverables_of(seminar).values():
        due = selectors.due_of(deliverable, registration, calendar)
        moments += [due.base, due.effective]
        if due.effective is not None:
            moments.append(countdown_changes_at(due.effective, now))
    return moments


@slots.register(slots.ORGANIZER_MENU, order=20)
def organizer_panel(request, seminar, registration) -> str | None:
    deliverables = selectors.deliverables_of(seminar)
    if not deliverables:
        return None
    participants = selectors.confirmed_participants(seminar)
    calendar = selectors.seminar_calendar(seminar)
    progress = selectors.progress_of(
        seminar, participants, calendar=calendar, deliverables=deliverables
    )
    summaries = []
    for kind, deliverable in deliverables.items():
        counts = Counter(row[kind].state for row in progress.values())
        text = ", ".join(f"{counts[s]} {label}" for s, label in _STATE_WORDS[kind] if counts[s])
        summaries.append((deliverable.get_kind_display(), text or _("no participants yet")))
    now = timezone.now()
    retention = retention_of(seminar, now)
    context = {
        "seminar": seminar,
        "summaries": summaries,
        "retention": retention,
        "purge_allowed": retention.purge_allowed(now),
    }
    return render_to_string("submissions/_organizer_panel.html", context, request=request)


@slots.register_deadlines
def student_deadlines(registration: Registration) -> list[slots.Deadline]:
    """The effective due moments (extensions included) of a participant's deliverables."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return []
    calendar = selectors.seminar_calendar(registration.seminar, registration_ids=[registration.pk])
    deadlines = []
    for kind, deliverable in selectors.deliverables_of(registration.seminar).items():
        due = selectors.deadline_of(deliverable, registration, calendar)
        if due is not None:
            deadlines.append(slots.Deadline(DEADLINE_LABELS[kind], due))
    return deadlines


_WORDS = {
    DeliverableState.SUBMITTED: _("submitted"),
    DeliverableState.EXTENDED: _("extended"),
    DeliverableState.MISSING: _("missing"),
    DeliverableState.LATE: _("late"),
}


def _word(kind: str, state: str):
    if kind == DeliverableKind.MOCK_PRESENTATION and state == DeliverableState.SUBMITTED:
        return _("given")
    return _WORDS[state]


_STATES = [
    DeliverableState.SUBMITTED,
    DeliverableState.EXTENDED,
    DeliverableState.MISSING,
    DeliverableState.LATE,
]
_STATE_WORDS = {
    kind: [(state, _word(kind, state)) for state in _STATES] for kind in DeliverableKind.values
}

DEADLINE_LABELS = {
    # Lazy: an e-mail lists them in its recipient's language.
    DeliverableKind.SLIDE_DRAFT: _("Slide draft due"),
    DeliverableKind.MOCK_PRESENTATION: _("Mock presentation in your group by"),
    DeliverableKind.REPORTS: _("Reports due"),
    DeliverableKind.PROJECT: _("Practical project due"),
}
