"""The submissions app's parts of the seminar app's pages (see seminar.slots)."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from seminar import slots
from seminar.enums import RegistrationStatus
from seminar.models import Registration
from submissions import selectors
from submissions.enums import DeliverableKind
from submissions.models import Deliverable


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
    calendar = selectors.seminar_calendar(seminar)
    rules = {
        kind: DeliverableRule(d, selectors.rule_text(d, calendar))
        for kind, d in deliverables.items()
    }
    return render_to_string("submissions/_rules.html", {"deliverables": rules}, request=request)


@slots.register_deadlines
def student_deadlines(registration: Registration) -> list[slots.Deadline]:
    """The due moments of a participant's deliverables that are known now."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return []
    calendar = selectors.seminar_calendar(registration.seminar)
    deadlines = []
    for kind, deliverable in selectors.deliverables_of(registration.seminar).items():
        due = selectors.deadline_of(deliverable, registration, calendar)
        if due is not None:
            deadlines.append(slots.Deadline(_LABELS[kind], due))
    return deadlines


_LABELS = {
    DeliverableKind.SLIDE_DRAFT: "Slide draft due",
    DeliverableKind.MOCK_PRESENTATION: "Mock presentation in your group by",
    DeliverableKind.REPORTS: "Reports due",
    DeliverableKind.PROJECT: "Practical project due",
}
