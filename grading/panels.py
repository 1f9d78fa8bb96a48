"""The grading app's parts of the seminar app's pages (see seminar.slots)."""

from django.template.loader import render_to_string
from django.utils.translation import pgettext

from grading import selectors
from seminar import slots
from seminar.enums import RegistrationStatus
from submissions.enums import DeliverableKind
from submissions.selectors import deliverables_of


@slots.register(slots.SEMINAR_RULES, order=10)
def grading_rules_panel(request, seminar, registration) -> str:
    scheme = selectors.scheme_of(seminar)
    components = [
        (label, weight)
        for label, weight in [
            # In the sentence "The final grade consists of: …".
            (pgettext("grade component", "your presentation"), scheme.weight_presentation),
            (pgettext("grade component", "reports"), scheme.weight_reports),
            (
                pgettext("grade component", "participation during the seminar discussions"),
                scheme.weight_participation,
            ),
        ]
        if weight
    ]
    context = {
        "scheme": scheme,
        "components": components,
        "project": DeliverableKind.PROJECT in deliverables_of(seminar),
    }
    return render_to_string("grading/_rules.html", context, request=request)


@slots.register(slots.DASHBOARD, order=5)
def grades_panel(request, seminar, registration) -> str | None:
    """A participant's grades, final grade and its explanation, first on the page once the
    grades are released. Before, nothing at all (not even that grading has begun)."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return None
    if not selectors.scheme_of(seminar).is_released:
        return None
    grading = selectors.gradings_of(seminar, [registration])[registration.pk]
    context = {"seminar": seminar, "grading": grading}
    return render_to_string("grading/_dashboard.html", context, request=request)


@slots.register(slots.ORGANIZER_MENU, order=40)
def organizer_panel(request, seminar, registration) -> str:
    participants = selectors.grading_participants(seminar)
    results = [g.result for g in selectors.gradings_of(seminar, participants).values()]
    context = {
        "seminar": seminar,
        "scheme": selectors.scheme_of(seminar),
        "participants": len(participants),
        "passed": sum(result.passed is True for result in results),
        "failed": sum(result.passed is False for result in results),
        "incomplete": sum(result.passed is None for result in results),
    }
    return render_to_string("grading/_organizer_panel.html", context, request=request)
