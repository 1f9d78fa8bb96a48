"""What a seminar's grades are measured against: its grading scheme, sessions, presentation
criteria and deliverables, read once per seminar."""

from __future__ import annotations

from dataclasses import dataclass

from grading.calculation import Scheme
from grading.models import GradingScheme
from seminar.cache import kept_per_version
from seminar.models import Meeting, PresentationCriterion, Seminar
from seminar.selectors import seminar_meetings
from submissions.enums import DeliverableKind
from submissions.models import Deliverable
from submissions.selectors import deliverables_of


@kept_per_version
def scheme_of(seminar: Seminar) -> GradingScheme:
    """The seminar's grading scheme; the defaults (unsaved) if it has none yet."""
    return GradingScheme.objects.filter(seminar=seminar).first() or GradingScheme(seminar=seminar)


@dataclass(frozen=True)
class SeminarRules:
    """What a seminar's grades are measured against, read once per seminar."""

    seminar: Seminar
    grading_scheme: GradingScheme
    scheme: Scheme | None  # None when the settings contradict each other; `problem` says why
    problem: str
    sessions: list[Meeting]
    criteria: list[PresentationCriterion]
    deliverables: dict[str, Deliverable]

    @property
    def released(self) -> bool:
        return self.grading_scheme.is_released

    @property
    def reports(self) -> Deliverable | None:
        return self.deliverables.get(DeliverableKind.REPORTS)

    @property
    def reports_required(self) -> int:
        return self.reports.count if self.reports else 0

    @property
    def mock_required(self) -> bool:
        return DeliverableKind.MOCK_PRESENTATION in self.deliverables

    @property
    def project_required(self) -> bool:
        return DeliverableKind.PROJECT in self.deliverables


@kept_per_version
def seminar_rules(seminar: Seminar) -> SeminarRules:
    """The scheme, sessions, criteria and deliverables of a seminar (four queries)."""
    grading_scheme = scheme_of(seminar)
    deliverables = deliverables_of(seminar)
    sessions = seminar_meetings(seminar).sessions
    criteria = list(seminar.criteria.all())
    reports = deliverables.get(DeliverableKind.REPORTS)
    problem = ""
    scheme = None
    try:
        scheme = Scheme(
            presentation_weight=grading_scheme.weight_presentation,
            reports_weight=grading_scheme.weight_reports,
            participation_weight=grading_scheme.weight_participation,
            bonus_steps=grading_scheme.bonus_steps,
            reports_required=reports.count if reports else 0,
            sessions=len(sessions),
            mock_required=DeliverableKind.MOCK_PRESENTATION in deliverables,
            project_required=DeliverableKind.PROJECT in deliverables,
        )
    except ValueError as error:
        problem = _problem_text(grading_scheme, reports, error)
    return SeminarRules(seminar, grading_scheme, scheme, problem, sessions, criteria, deliverables)


def _problem_text(grading_scheme: GradingScheme, reports: Deliverable | None, error) -> str:
    if grading_scheme.weight_reports and reports is None:
        return (
            f"the grading scheme weights the reports with {grading_scheme.weight_reports} %, "
            "but the seminar asks for no reports: set the reports weight to 0 or switch the "
            "reports on"
        )
    return f"the grading scheme cannot be applied: {error}"
