"""The topic panels in the seminar app's pages (see seminar.slots), and the topics' clock step:
late joiners whose time to choose ran out get a topic before any page of the seminar is read.
"""

from django.template.loader import render_to_string

from seminar import slots
from seminar.enums import RegistrationStatus
from topics import selectors, services
from topics.rules import preference_refusal

# Late joiners' times to choose come and go only with assignments and registrations, which
# bump the seminar's page version.
slots.register_clock_step(
    lambda seminar: services.late_choices_expire_on_read(seminar=seminar), until_changed=True
)


@slots.register(slots.SEMINAR_PAGE, order=10)
def reading_list_panel(request, seminar, registration) -> str:
    with_names = (
        registration is not None and registration.status == RegistrationStatus.CONFIRMED
    ) or request.user.has_perm("seminar.see_participant_names", seminar)
    context = {
        "seminar": seminar,
        "reading": selectors.reading_list(seminar, with_names=with_names),
        "with_names": with_names,
        "materials": selectors.materials_of(seminar),
    }
    return render_to_string("topics/_reading_list.html", context, request=request)


@slots.register(slots.DASHBOARD, order=10)
def my_topic_panel(request, seminar, registration) -> str | None:
    if registration is None or registration.status not in RegistrationStatus.active():
        return None
    view = selectors.my_assignment(registration)
    refusal = preference_refusal(seminar, registration)
    context = {
        "seminar": seminar,
        "registration": registration,
        "view": view,
        "preferences": selectors.preferences_of(registration),
        "preferences_open": refusal is None,
        "refusal": refusal,
        "published": view is not None or selectors.published_run(seminar) is not None,
    }
    return render_to_string("topics/_my_topic.html", context, request=request)


@slots.register_moments(slots.DASHBOARD)
def preference_moments(seminar, registration, now) -> list:
    """The preference form opens and closes. (A late joiner's time to choose ends at a moment
    of the clock step above, which the dashboard counts already.)"""
    return [seminar.preferences_opened_at, seminar.preference_deadline]


@slots.register(slots.ORGANIZER_MENU, order=10)
def allocation_panel(request, seminar, registration) -> str:
    sent, missing = selectors.preference_status(seminar)
    published = selectors.published_run(seminar)
    context = {
        "seminar": seminar,
        "sent": sent,
        "missing": missing,
        "published": published,
        "choosing": selectors.late_joiners_choosing(published) if published else [],
    }
    return render_to_string("topics/_organizer_panel.html", context, request=request)
