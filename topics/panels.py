"""The topic panels in the seminar app's pages (see seminar.slots)."""

from django.template.loader import render_to_string

from seminar import slots
from seminar.enums import RegistrationStatus
from seminar.errors import DomainError
from topics import selectors, services


@slots.register(slots.SEMINAR_PAGE, order=10)
def reading_list_panel(request, seminar, registration) -> str:
    with_names = (
        registration is not None and registration.status == RegistrationStatus.CONFIRMED
    ) or request.user.has_perm("seminar.see_participant_names", seminar)
    context = {
        "seminar": seminar,
        "days": selectors.reading_list(seminar, with_names=with_names),
        "with_names": with_names,
        "materials": selectors.materials_of(seminar),
    }
    return render_to_string("topics/_reading_list.html", context, request=request)


@slots.register(slots.DASHBOARD, order=10)
def my_topic_panel(request, seminar, registration) -> str | None:
    if registration is None or registration.status not in services.MAY_SEND_PREFERENCES:
        return None
    view = selectors.my_assignment(registration)
    try:
        services.preferences_check_open(seminar)
        preferences_open = True
    except DomainError:
        preferences_open = False
    context = {
        "seminar": seminar,
        "registration": registration,
        "view": view,
        "preferences": selectors.preferences_of(registration),
        "preferences_open": preferences_open,
        "published": view is not None or selectors.published_run(seminar) is not None,
    }
    return render_to_string("topics/_my_topic.html", context, request=request)


@slots.register(slots.ORGANIZER_MENU, order=10)
def allocation_panel(request, seminar, registration) -> str:
    sent, missing = selectors.preference_status(seminar)
    context = {
        "seminar": seminar,
        "sent": sent,
        "missing": missing,
        "published": selectors.published_run(seminar),
    }
    return render_to_string("topics/_organizer_panel.html", context, request=request)
