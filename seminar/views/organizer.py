"""The organizer's page of a seminar: registration settings and the list of participants."""

import csv
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from seminar import selectors, slots
from seminar.enums import RegistrationStatus
from seminar.errors import DomainError
from seminar.forms import CapacityForm, WaitingListMoveForm
from seminar.models import Registration, Seminar
from seminar.services import registration as services


def organized_seminar(request: HttpRequest, slug: str) -> Seminar:
    """The seminar, if the user organizes it; 404 otherwise, as if it did not exist."""
    seminar = get_object_or_404(Seminar, slug=slug)
    if not request.user.has_perm("seminar.organize_seminar", seminar):
        raise Http404("No such seminar.")
    return seminar


@login_required
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    services.offers_expire(seminar=seminar)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    registrations = _filtered(seminar, status, query)
    meetings = selectors.seminar_meetings(seminar)
    context = {
        "seminar": seminar,
        "registrations": registrations,
        "counts": selectors.registration_counts(seminar),
        "state": selectors.registration_state(seminar, timezone.now(), meetings.sessions),
        "statuses": RegistrationStatus.choices,
        "status": status,
        "q": query,
        "capacity_form": CapacityForm(initial={"capacity": seminar.capacity}),
        "panels": slots.render(slots.ORGANIZER_MENU, request, seminar, None),
    }
    return render(request, "seminar/organize.html", context)


@login_required
def participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}-participants.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
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
        ]
    )
    for r in _filtered(seminar, request.GET.get("status", ""), request.GET.get("q", "")):
        writer.writerow(
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
            ]
        )
    return response


@login_required
@require_POST
def registration_toggle(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    if action == "open":
        return _run(
            request,
            seminar,
            lambda: services.registration_open_now(seminar=seminar),
            "Registration is open.",
        )
    if action == "close":
        return _run(
            request,
            seminar,
            lambda: services.registration_close_now(seminar=seminar),
            "Registration is closed; students can still join the waiting list.",
        )
    raise Http404("No such action.")


@login_required
@require_POST
def capacity_set(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the capacity as a whole number from 0.")
        return redirect("seminar:organize", slug=seminar.slug)
    capacity = form.cleaned_data["capacity"]
    return _run(
        request,
        seminar,
        lambda: services.seminar_capacity_set(seminar=seminar, capacity=capacity),
        f"The capacity is now {capacity}.",
    )


@login_required
@require_POST
def participant_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("student"), pk=pk, seminar=seminar
    )
    name = registration.student.full_name
    if action == "remove":
        return _run(
            request,
            seminar,
            lambda: services.registration_remove(registration=registration),
            f"{name} was removed; a freed seat goes to the next person waiting.",
        )
    if action == "promote":
        return _run(
            request,
            seminar,
            lambda: services.registration_promote(registration=registration),
            f"{name} is confirmed.",
        )
    if action == "move":
        form = WaitingListMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Enter the new position as a whole number from 1.")
            return redirect("seminar:organize", slug=seminar.slug)
        position = form.cleaned_data["position"]
        return _run(
            request,
            seminar,
            lambda: services.waiting_list_move(registration=registration, position=position),
            f"{name} moved in the waiting list.",
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
            messages.info(request, f"No seat was free, so the capacity grew to {result[1]}.")
    return redirect("seminar:organize", slug=seminar.slug)


def _filtered(seminar: Seminar, status: str, query: str):
    registrations = Registration.objects.filter(seminar=seminar).select_related("student")
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    if query:
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
