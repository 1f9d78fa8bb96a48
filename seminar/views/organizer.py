"""The organizer's page of a seminar: registration settings and the list of participants."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seminar import exports, selectors, slots
from seminar.enums import RegistrationStatus
from seminar.errors import DomainError
from seminar.forms import CapacityForm, WaitingListMoveForm
from seminar.models import Registration, Seminar
from seminar.services import registration as services
from seminar.spreadsheet import csv_response


def organized_seminar(request: HttpRequest, slug: str) -> Seminar:
    """The seminar, if the user organizes it; 404 otherwise, as if it did not exist."""
    seminar = get_object_or_404(Seminar, slug=slug)
    if not request.user.has_perm("seminar.organize_seminar", seminar):
        raise Http404("No such seminar.")
    return seminar


@login_required
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    slots.clock_steps_run(seminar)  # offers and late choices that ran out, unless busy
    status, query = _filters(request.GET)
    meetings = selectors.seminar_meetings(seminar)
    state = selectors.registration_state(seminar, timezone.now(), meetings.sessions)
    context = {
        "seminar": seminar,
        "registrations": _filtered(seminar, status, query),
        "counts": selectors.registration_counts(seminar),
        "state": state,
        # Only the button that changes something: close while open, open while not.
        "toggle": _toggle_of(state),
        "statuses": RegistrationStatus.choices,
        "status": status,
        "q": query,
        "filters": _filter_query(status, query),
        "capacity_form": CapacityForm(initial={"capacity": seminar.capacity}),
        "panels": slots.render(slots.ORGANIZER_MENU, request, seminar, None),
    }
    return render(request, "seminar/organize.html", context)


def _toggle_of(state: selectors.RegistrationState) -> str:
    if state.phase in (selectors.Phase.OPEN, selectors.Phase.FULL, selectors.Phase.FULL_NO_LIST):
        return "close"
    if state.phase in (selectors.Phase.NOT_OPEN, selectors.Phase.CLOSED):
        return "open"
    return ""  # the seminar has started: registration is over either way


@login_required
def participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    registrations = list(_filtered(seminar, *_filters(request.GET)))
    extra_header, extra = exports.participant_columns(seminar, registrations)
    header = [
        "name",
        "email",
        "matriculation_number",
        "degree_level",
        "programme",
        "status",
        "waiting_position",
        "joined_at",
        "confirmed_at",
        "offer_expires_at",
        *extra_header,
    ]
    rows = (
        [
            r.student.full_name,
            r.student.email,
            r.student.matriculation_number,
            r.student.degree_level,
            r.student.programme,
            r.status,
            r.position or "",
            _iso(r.joined_at),
            _iso(r.confirmed_at),
            _iso(r.offer_expires_at),
            *extra[r.pk],
        ]
        for r in registrations
    )
    return csv_response(filename=f"{seminar.slug}-participants.csv", header=header, rows=rows)


@login_required
@require_POST
def registration_toggle(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    if action == "open":
        return _run(
            request,
            seminar,
            lambda: services.registration_open_now(seminar=seminar),
            _("Registration is open."),
        )
    if action == "close":
        return _run(
            request,
            seminar,
            lambda: services.registration_close_now(seminar=seminar),
            _("Registration is closed; students can still join the waiting list."),
        )
    raise Http404("No such action.")


@login_required
@require_POST
def capacity_set(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the capacity as a whole number from 0."))
        return _back(request, seminar)
    capacity = form.cleaned_data["capacity"]
    return _run(
        request,
        seminar,
        lambda: services.seminar_capacity_set(seminar=seminar, capacity=capacity),
        _("The capacity is now %(capacity)s.") % {"capacity": capacity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("student"), pk=pk, seminar=seminar
    )
    name = registration.student.full_name
    if request.method == "GET":
        if action != "remove":
            raise Http404("No such page.")
        return _remove_confirm(request, seminar, registration)
    if action == "remove":
        return _run(
            request,
            seminar,
            lambda: services.registration_remove(registration=registration),
            _("%(name)s was removed; a freed seat goes to the next person waiting.")
            % {"name": name},
        )
    if action == "promote":
        return _run(
            request,
            seminar,
            lambda: services.registration_promote(registration=registration),
            _("%(name)s is confirmed.") % {"name": name},
        )
    if action == "move":
        form = WaitingListMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the new position as a whole number from 1."))
            return _back(request, seminar)
        position = form.cleaned_data["position"]
        return _run(
            request,
            seminar,
            lambda: services.waiting_list_move(registration=registration, position=position),
            _("%(name)s moved in the waiting list.") % {"name": name},
        )
    raise Http404("No such action.")


def _run(
    request: HttpRequest, seminar: Seminar, action: Callable[[], object], success: str
) -> HttpResponse:
    try:
        result = action()
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
        if isinstance(result, tuple) and result[1] is not None:
            messages.info(
                request,
                _("No seat was free, so the capacity grew to %(capacity)s.")
                % {"capacity": result[1]},
            )
    return _back(request, seminar)


def _remove_confirm(
    request: HttpRequest, seminar: Seminar, registration: Registration
) -> HttpResponse:
    if not registration.is_active:
        messages.error(
            request,
            _("%(student)s is not registered any more.") % {"student": registration.student},
        )
        return _back(request, seminar, source=request.GET)
    context = {
        "seminar": seminar,
        "registration": registration,
        "offered": selectors.offers_after_leaving(registration),
        "status": _filters(request.GET)[0],
        "q": _filters(request.GET)[1],
        "filters": _filter_query(*_filters(request.GET)),
    }
    return render(request, "seminar/remove_confirm.html", context)


def _filters(source) -> tuple[str, str]:
    """The list's filters from a query or form. A NUL byte matches nothing that can be stored,
    so such a search is kept as given and finds nobody (PostgreSQL refuses it in a query)."""
    status = source.get("status", "")
    return (status if status in RegistrationStatus.values else ""), source.get("q", "").strip()


def _filter_query(status: str, query: str) -> str:
    kept = {name: value for name, value in (("status", status), ("q", query)) if value}
    return f"?{urlencode(kept)}" if kept else ""


def _back(request: HttpRequest, seminar: Seminar, *, source=None) -> HttpResponse:
    """To the organizer's page with the filters it was showing (sent along by each form)."""
    url = reverse("seminar:organize", kwargs={"slug": seminar.slug})
    return redirect(url + _filter_query(*_filters(source if source is not None else request.POST)))


def _filtered(seminar: Seminar, status: str, query: str):
    registrations = Registration.objects.filter(seminar=seminar).select_related("student")
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    if "\x00" in query:
        registrations = registrations.none()
    elif query:
        registrations = registrations.filter(
            Q(student__full_name__icontains=query)
            | Q(student__email__icontains=query)
            | Q(student__matriculation_number__icontains=query)
        )
    # Seat holders first, then the line in its order, then those who left.
    rank = Case(
        *(When(status=s, then=i) for i, s in enumerate(RegistrationStatus.active())),
        default=len(RegistrationStatus.active()),
    )
    ordered = registrations.order_by(rank, "queue_number", "joined_at", "pk")
    return selectors.with_waiting_position(ordered)


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""
