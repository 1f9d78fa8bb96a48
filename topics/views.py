"""Preferences and late joiners' choice (students); the allocation (organizers)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seminar.errors import Busy, Conflict, DomainError
from seminar.models import Seminar
from seminar.selectors import registration_of
from seminar.spreadsheet import csv_response
from seminar.views.organizer import organized_seminar
from seminar.views.refusals import RETRY_AFTER_SECONDS, refusal_page, status_of
from topics import selectors, services
from topics.forms import (
    AssignmentChangeForm,
    LateChoiceForm,
    LateChoiceHoursForm,
    PreferenceForm,
    SeedForm,
    TopicListUploadForm,
)
from topics.models import AllocationRun, Assignment, Topic
from topics.rules import preference_refusal
from topics.services import topic_list


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = get_object_or_404(Seminar, slug=slug)
    registration = registration_of(seminar, request.user)
    refusal = preference_refusal(seminar, registration)
    topics = selectors.topics_with_details(seminar)
    current = selectors.preferences_of(registration) if registration else []
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        topics=topics,
        disabled=refusal is not None,
        initial={"topics": current},
    )
    ticked = {t.pk for t in current}
    status, error = 200, None
    if request.method == "POST":
        if refusal is not None:
            status, error = status_of(refusal), refusal
        else:
            ticked = form.ticked()  # a refusal keeps every box as it was sent
            if form.is_valid():
                topic_ids = [t.pk for t in form.cleaned_data["topics"]]
                try:
                    services.preferences_set(registration=registration, topic_ids=topic_ids)
                except DomainError as refused:
                    status, error = status_of(refused), refused
                else:
                    messages.success(
                        request,
                        gettext(
                            "Your three preferences are saved. "
                            "You can change them until the deadline."
                        ),
                    )
                    return redirect("topics:preferences", slug=seminar.slug)
            else:
                status = 400
    context = {
        "seminar": seminar,
        "form": form,
        "topics": topics,
        "ticked": ticked,
        "refusal": refusal,
        "error": error if error is not refusal else None,
    }
    return _with_retry_after(
        render(request, "topics/preferences.html", context, status=status), error
    )


@login_required
@require_http_methods(["GET", "POST"])
def late_choice(request: HttpRequest, slug: str) -> HttpResponse:
    """A student confirmed after publication chooses one of the topics still free."""
    seminar = get_object_or_404(Seminar, slug=slug)
    services.late_choices_expire_on_read(seminar=seminar)
    registration = registration_of(seminar, request.user)
    view = selectors.my_assignment(registration) if registration else None
    if view is None or not view.assignment.is_waiting_for_choice:
        if request.method == "GET" and view is not None:
            return redirect("seminar:dashboard", slug=seminar.slug)
        return refusal_page(
            request,
            seminar,
            Conflict(gettext("You have no topic to choose; your page shows your topic.")),
        )
    form = LateChoiceForm(
        request.POST if request.method == "POST" else None,
        topics=Topic.objects.filter(seminar=seminar),
    )
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            topic = form.cleaned_data["topic"]
            try:
                services.late_choice_make(registration=registration, topic=topic)
            except DomainError as refused:
                status, error = status_of(refused), refused
                view = selectors.my_assignment(registration) or view  # the topics free now
            else:
                messages.success(
                    request, gettext("Your topic: %(title)s.") % {"title": topic.title}
                )
                return redirect("seminar:dashboard", slug=seminar.slug)
        else:
            status = 400
    context = {"seminar": seminar, "view": view, "form": form, "error": error}
    response = render(request, "topics/late_choice.html", context, status=status)
    return _with_retry_after(response, error)


def _with_retry_after(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    if isinstance(error, Busy):
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


@login_required
@require_POST
def preferences_open(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    try:
        services.preferences_open(seminar=seminar)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The preference form is open; every participant and everyone waiting has an e-mail."),
        )
    return redirect("seminar:organize", slug=seminar.slug)


@login_required
@require_http_methods(["GET", "POST"])
def allocation(request: HttpRequest, slug: str, run_id: int | None = None) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    services.late_choices_expire_on_read(seminar=seminar)
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
                messages.success(
                    request,
                    _("Allocation run %(number)s with seed %(seed)s.")
                    % {"number": run.number, "seed": run.seed},
                )
                return redirect("topics:allocation_run", slug=seminar.slug, run_id=run.pk)
        else:
            messages.error(request, _("The seed must be a whole number from 0."))
    runs = list(seminar.allocation_runs.all()[:20])
    published = selectors.published_run(seminar)
    if run_id is not None:
        run = get_object_or_404(AllocationRun, pk=run_id, seminar=seminar)
    else:
        run = published or (runs[0] if runs else None)
    sent, missing = selectors.preference_status(seminar)
    context = {
        "seminar": seminar,
        "runs": runs,
        "published": published,
        "preview": selectors.run_preview(run) if run else None,
        "seed_form": SeedForm(),
        "hours_form": LateChoiceHoursForm(
            initial={"late_choice_hours": selectors.late_choice_hours(seminar)}
        ),
        "sent": sent,
        "missing": missing,
    }
    return render(request, "topics/allocation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def allocation_publish(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """GET asks for confirmation and says how many students will be e-mailed."""
    seminar = organized_seminar(request, slug)
    run = get_object_or_404(AllocationRun, pk=run_id, seminar=seminar)
    if request.method == "GET":
        context = {
            "seminar": seminar,
            "run": run,
            "published": selectors.published_run(seminar),
            "recipients": selectors.publication_recipients(run),
        }
        return render(request, "topics/publish_confirm.html", context)
    try:
        services.allocation_publish(run=run)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published: every student has an e-mail with their topic."))
    return redirect("topics:allocation_run", slug=seminar.slug, run_id=run.pk)


@login_required
@require_POST
def assignment_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    assignment = get_object_or_404(
        Assignment.objects.select_related("run", "registration__student"),
        pk=pk,
        run__seminar=seminar,
    )
    form = AssignmentChangeForm(request.POST, topics=Topic.objects.filter(seminar=seminar))
    if not form.is_valid():
        messages.error(request, _("Choose one of this seminar's topics."))
    else:
        try:
            changed = services.assignment_change(
                assignment=assignment, topic=form.cleaned_data["topic"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if changed:
                names = ", ".join(str(a.registration.student) for a in changed)
                messages.success(request, _("Changed by hand: %(names)s.") % {"names": names})
            else:
                messages.info(
                    request,
                    _("%(student)s already has that topic; nothing changed.")
                    % {"student": assignment.registration.student},
                )
    return redirect("topics:allocation_run", slug=seminar.slug, run_id=assignment.run_id)


@login_required
@require_POST
def late_choice_hours(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    form = LateChoiceHoursForm(request.POST)
    if form.is_valid():
        hours = form.cleaned_data["late_choice_hours"]
        services.late_choice_hours_set(seminar=seminar, hours=hours)
        messages.success(
            request,
            _("Late joiners have %(hours)s hours to choose their topic.") % {"hours": hours},
        )
    else:
        messages.error(request, _("The hours must be a whole number from 0 to 720."))
    return redirect("topics:allocation", slug=seminar.slug)


# --- The topic list as a spreadsheet ---------------------------------------------------------


@login_required
def topic_list_csv(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    return csv_response(
        filename=f"{seminar.slug}-topics.csv",
        header=topic_list.COLUMNS,
        rows=topic_list.topic_list_rows(seminar),
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_list_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload → preview with every row's problems → confirm: all topics, or none."""
    seminar = organized_seminar(request, slug)
    form, preview, content, status, error = TopicListUploadForm(), None, "", 200, None
    if request.method == "POST" and "confirm" in request.POST:
        text = _unpacked(request.POST.get("content", ""))
        if text is None:
            status, error = 400, _("The file could not be read again; upload it once more.")
        else:
            try:
                created = topic_list.topic_list_import(
                    seminar=seminar, text=text, actor=request.user
                )
            except DomainError as refused:
                status, error = status_of(refused), refused.message
                preview = topic_list.topic_list_check(seminar=seminar, text=text)
            else:
                messages.success(
                    request,
                    ngettext("%(n)d topic imported.", "%(n)d topics imported.", len(created))
                    % {"n": len(created)},
                )
                return redirect("seminar:organize", slug=seminar.slug)
    elif request.method == "POST":
        form = TopicListUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            text, preview = topic_list.topic_list_read(
                seminar=seminar, data=upload.read(topic_list.MAX_BYTES + 1)
            )
            if preview.is_valid:
                content = base64.b64encode(text.encode("utf-8")).decode("ascii")
            else:
                status = 400
        else:
            status = 400
    context = {
        "seminar": seminar,
        "form": form,
        "preview": preview,
        "content": content,
        "error": error,
        "columns": topic_list.COLUMNS,
    }
    return render(request, "topics/topic_list_import.html", context, status=status)


def _unpacked(content: str) -> str | None:
    try:
        return base64.b64decode(content.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, UnicodeError):
        return None
