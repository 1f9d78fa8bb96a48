"""A student's own pages and actions: register, the dashboard, offers and withdrawal."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from seminar import selectors, slots
from seminar.dashboard_cache import keep_until
from seminar.enums import RegistrationStatus
from seminar.errors import Conflict, DomainError
from seminar.memo import read_scope
from seminar.models import Registration, Seminar
from seminar.services import registration as services
from seminar.views.refusals import refusal_page


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = get_object_or_404(Seminar, slug=slug)
    now = timezone.now()
    # Offers and late choices that ran out, unless busy; the moments they next have work.
    step_moments = slots.clock_steps_run(seminar)
    # Only reads from here on: the panels share the answers to seminar-wide questions.
    with read_scope():
        context = _dashboard_context(request, seminar, now)
        response = render(request, "seminar/dashboard.html", context)
        if not any(moment <= now for moment in step_moments):  # else: a step is still due
            registration, sessions = context["registration"], context["meetings"].sessions
            moments = [
                *step_moments,
                *selectors.registration_moments(seminar, sessions),
                registration.offer_expires_at if registration else None,
                slots.next_moment(slots.DASHBOARD, seminar, registration, now),
                now + dt.timedelta(seconds=settings.DASHBOARD_CACHE_SECONDS),
            ]
            # A moment at `now` itself: the page reads differently right after, so it is not kept.
            keep_until(request, min(moment for moment in moments if moment and moment >= now))
    return response


def _dashboard_context(request: HttpRequest, seminar: Seminar, now: dt.datetime) -> dict:
    registration = selectors.registration_of(seminar, request.user)
    if registration is not None:
        registration.seminar = seminar  # the panels ask for it: no second query
    meetings = selectors.seminar_meetings(seminar)
    return {
        "seminar": seminar,
        "registration": registration,
        "position": selectors.waiting_position(registration) if registration else None,
        "state": selectors.registration_state(seminar, now, meetings.sessions),
        # Registrations no longer change once the seminar has started: offer no withdrawal.
        "may_withdraw": registration is not None
        and registration.is_active
        and not selectors.seminar_has_started(seminar, now, meetings.sessions),
        "meetings": meetings,
        "panels": slots.render(slots.DASHBOARD, request, seminar, registration),
    }


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST":
        return _act(request, slug, services.registration_withdraw)
    seminar = get_object_or_404(Seminar, slug=slug)
    registration = selectors.registration_of(seminar, request.user)
    if registration is None or not registration.is_active:
        return refusal_page(
            request, seminar, Conflict(gettext("You are not registered for this seminar."))
        )
    return render(
        request, "seminar/withdraw_confirm.html", {"seminar": seminar, "registration": registration}
    )


@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.registration_create)


@login_required
@require_POST
def offer_accept(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.offer_accept)


@login_required
@require_POST
def offer_decline(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.offer_decline)


def _act(request: HttpRequest, slug: str, service: Callable[..., Registration]) -> HttpResponse:
    """Run a registration service for the signed-in student; refusals keep everything as it was."""
    seminar = get_object_or_404(Seminar, slug=slug)
    try:
        registration = service(seminar=seminar, student=request.user)
    except DomainError as refusal:
        return refusal_page(request, seminar, refusal)
    messages.success(request, _outcome_message(registration))
    return redirect("seminar:dashboard", slug=seminar.slug)


def _outcome_message(registration: Registration) -> str:
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        return gettext("You have a seat in this seminar.")
    if status == RegistrationStatus.WAITING:
        position = selectors.waiting_position(registration)
        return gettext("You are on the waiting list, at position %(position)s.") % {
            "position": position
        }
    if status == RegistrationStatus.OFFERED:
        return gettext("A seat is offered to you: accept it below before the offer runs out.")
    if status == RegistrationStatus.DECLINED:
        return gettext("You declined the offer; the seat goes to the next person waiting.")
    return gettext(
        "You have withdrawn. You can register again at any time before the seminar starts."
    )
