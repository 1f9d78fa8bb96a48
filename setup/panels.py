"""The setup app's panel on the organizer page: what is still missing before registration can
open, with the way to the checklist (see seminar.slots)."""

from django.template.loader import render_to_string

from seminar import slots
from setup import selectors


@slots.register(slots.ORGANIZER_MENU, order=0)
def setup_panel(request, seminar, registration) -> str | None:
    if seminar.registration_opens_at is not None:
        return None  # opened (or scheduled): the checklist has done its work
    missing = [item for item in selectors.setup_checklist(seminar) if not item.done]
    context = {"seminar": seminar, "missing": missing}
    return render_to_string("setup/_organizer_panel.html", context, request=request)
