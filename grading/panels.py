"""The grading app's parts of the seminar app's pages (see seminar.slots)."""

from django.template.loader import render_to_string

from grading import selectors
from seminar import slots
from submissions.enums import DeliverableKind
from submissions.selectors import deliverables_of


@slots.register(slots.SEMINAR_RULES, order=10)
def grading_rules_panel(request, seminar, registration) -> str:
    scheme = selectors.scheme_of(seminar)
    components = [
        (label, weight)
        for label, weight in [
            ("your presentation", scheme.weight_presentation),
            ("reports", scheme.weight_reports),
            ("participation during the seminar discussions", scheme.weight_participation),
        ]
        if weight
    ]
    context = {
        "scheme": scheme,
        "components": components,
        "project": DeliverableKind.PROJECT in deliverables_of(seminar),
    }
    return render_to_string("grading/_rules.html", context, request=request)
