"""Preferences (students) and the allocation (organizers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from seminar.errors import DomainError, NotAllowed
from seminar.models import Seminar
from seminar.selectors import registration_of
from seminar.views.organizer import organized_seminar
from seminar.views.refusals import status_of
from topics import selectors, services
from topics.forms import AssignmentChangeForm, PreferenceForm, SeedForm
from topics.models import AllocationRun, Assignment, Topic


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = get_object_or_404(Seminar, slug=slug)
    registration = registration_of(seminar, request.user)
    refusal = _preference_refusal(seminar, registration)
    topics = selectors.topics_with_details(seminar)
    current = selectors.preferences_of(registration) if registration else []
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        topics=topics,
        disabled=refusal is not None,
        initial={"topics": current},
    )
    status = 200
    if request.method == "POST":
        if refusal is not None:
            messages.error(request, refusal.message)
            status = status_of(refusal)
        elif form.is_valid():
            try:
                services.preferences_set(
                    registration=registration, topic_ids=[t.pk for t in form.cleaned_data["topics"]]
                )
            except DomainError as error:
                messages.error(request, error.message)
                status = status_of(error)
            else:
                messages.success(
                    request,
                    "Your three preferences are saved. You can change them until the deadline.",
                )
                return redirect("topics:preferences", slug=seminar.slug)
        else:
            status = 400
    context = {
        "seminar": seminar,
        "form": form,
        "topics": topics,
        "current": current,
        "refusal": refusal,
    }
    return render(request, "topics/preferences.html", context, status=status)


def _preference_refusal(seminar, registration) -> DomainError | None:
    if registration is None or registration.status not in services.MAY_SEND_PREFERENCES:
        return NotAllowed("Only participants of this seminar can send topic preferences.")
    try:
        services.preferences_check_open(seminar)
    except DomainError as error:
        return error
    return None


@login_required
@require_POST
def preferences_open(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    services.preferences_open(seminar=seminar)
    messages.success(request, "The preference form is open for participants.")
    return redirect("seminar:organize", slug=seminar.slug)


@login_required
@require_http_methods(["GET", "POST"])
def allocation(request: HttpRequest, slug: str, run_id: int | None = None) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    runs = list(seminar.allocation_runs.all()[:20])
    if request.method == "POST":
        form = SeedForm(request.POST)
        if form.is_valid():
            try:
                run = services.allocation_run(
                    seminar=seminar, seed=form.cleaned_data["seed"], by=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Allocation run with seed {run.seed}.")
                return redirect("topics:allocation_run", slug=seminar.slug, run_id=run.pk)
        else:
            messages.error(request, "The seed must be a whole number from 0.")
    published = selectors.published_run(seminar)
    if run_id is not None:
        run = get_object_or_404(AllocationRun, pk=run_id, seminar=seminar)
    else:
        run = published or (runs[0] if runs else None)
    topics = (
        Topic.objects.filter(seminar=seminar)
        .select_related("session")
        .order_by("session__date", "slot", "pk")
    )
    sent, missing = selectors.preference_status(seminar)
    context = {
        "seminar": seminar,
        "runs": runs,
        "published": published,
        "preview": selectors.run_preview(run) if run else None,
        "seed_form": SeedForm(),
        "topics": topics,
        "sent": sent,
        "missing": missing,
    }
    return render(request, "topics/allocation.html", context)


@login_required
@require_POST
def allocation_publish(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    run = get_object_or_404(AllocationRun, pk=run_id, seminar=seminar)
    try:
        services.allocation_publish(run=run)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Published: every student has an e-mail with their topic.")
    return redirect("topics:allocation_run", slug=seminar.slug, run_id=run.pk)


@login_required
@require_POST
def assignment_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    assignment = get_object_or_404(
        Assignment.objects.select_related("run"), pk=pk, run__seminar=seminar
    )
    form = AssignmentChangeForm(request.POST, topics=Topic.objects.filter(seminar=seminar))
    if not form.is_valid():
        messages.error(request, "Choose one of this seminar's topics.")
    else:
        try:
            changed = services.assignment_change(
                assignment=assignment, topic=form.cleaned_data["topic"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            names = ", ".join(str(a.registration.student) for a in changed)
            messages.success(request, f"Changed by hand: {names}.")
    return redirect("topics:allocation_run", slug=seminar.slug, run_id=assignment.run_id)
