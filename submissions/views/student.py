"""A participant's own pages: hand in work, form a project team, the calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from seminar.enums import RegistrationStatus
from seminar.errors import DomainError, NotAllowed
from seminar.models import Registration, Seminar
from seminar.selectors import registration_of
from seminar.views.refusals import refusal_page, status_of
from submissions import selectors
from submissions.enums import UPLOAD_KINDS, DeliverableKind
from submissions.forms import TeamInviteForm, UploadForm
from submissions.models import Deliverable
from submissions.services import calendar as calendar_services
from submissions.services import teams as team_services
from submissions.services.uploads import streaming_limit, submission_upload, too_large_message
from submissions.upload_handlers import SizeLimitUploadHandler
from topics.models import Topic

NOT_A_PARTICIPANT = NotAllowed("Only participants of this seminar hand in work here.")


@csrf_exempt  # the CSRF check runs in _hand_in, after the size limit is in place
@require_http_methods(["GET", "POST"])
def hand_in(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """A deliverable's page: its deadline, state, versions, and the upload form.

    The size limit is installed before anything reads the request body, so a too-large upload
    is cut off while it streams (CSRF middleware would otherwise read the body first).
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    seminar = get_object_or_404(Seminar, slug=slug)
    deliverable = selectors.deliverables_of(seminar).get(kind)
    if deliverable is None or kind not in UPLOAD_KINDS:
        raise Http404("No such upload.")
    limiter = None
    if request.method == "POST":
        limiter = SizeLimitUploadHandler(request, limit=streaming_limit(deliverable))
        request.upload_handlers.insert(0, limiter)
    return _hand_in(request, seminar, deliverable, limiter)


@csrf_protect
def _hand_in(
    request: HttpRequest,
    seminar: Seminar,
    deliverable: Deliverable,
    limiter: SizeLimitUploadHandler | None,
) -> HttpResponse:
    registration = registration_of(seminar, request.user)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return refusal_page(request, seminar, NOT_A_PARTICIPANT)
    topics = list(Topic.objects.filter(seminar=seminar).order_by("title"))
    form = None
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, deliverable=deliverable, topics=topics)
        if limiter is not None and limiter.exceeded:
            form.errors.clear()
            form.add_error(None, too_large_message(deliverable))
            status = 413
        elif not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            try:
                file = submission_upload(
                    registration=registration,
                    deliverable=deliverable,
                    upload=data["file"],
                    by=request.user,
                    number=data.get("number") or 1,
                    topic=data.get("topic"),
                    title=data.get("title", ""),
                    repository_url=data.get("repository_url", ""),
                )
            except DomainError as refusal:
                form.add_error(None, refusal.message)
                status = status_of(refusal)
            else:
                messages.success(request, _handed_in_message(deliverable, file))
                return redirect(reverse("seminar:dashboard", args=[seminar.slug]) + "#submissions")
    context = _page_context(seminar, registration, deliverable, topics, form)
    return render(request, "submissions/hand_in.html", context, status=status)


def _page_context(seminar, registration, deliverable, topics, posted_form) -> dict:
    calendar = selectors.seminar_calendar(seminar, registration_ids=[registration.pk])
    progress = selectors.progress_of(
        seminar, [registration], calendar=calendar, deliverables={deliverable.kind: deliverable}
    )[registration.pk][deliverable.kind]
    forms = []
    for item in progress.items:
        if posted_form is not None and posted_form.data.get("number", "1") == str(item.number):
            forms.append((item, posted_form))
            continue
        initial = {"number": item.number}
        if item.submission is not None:
            initial.update(
                topic=item.submission.topic_id,
                title=item.submission.title,
                repository_url=item.submission.repository_url,
            )
        form = UploadForm(
            deliverable=deliverable,
            topics=topics,
            initial=initial,
            auto_id=f"id_{deliverable.kind}{item.number}_%s",
        )
        forms.append((item, form))
    return {
        "seminar": seminar,
        "registration": registration,
        "deliverable": deliverable,
        "progress": progress,
        "rule_text": selectors.rule_text(deliverable, calendar),
        "forms": forms,
        "team": selectors.team_view(registration)
        if deliverable.kind == DeliverableKind.PROJECT
        else None,
        "now": timezone.now(),
    }


def _handed_in_message(deliverable: Deliverable, file) -> str:
    what = str(deliverable.get_kind_display())
    if deliverable.kind == DeliverableKind.REPORTS:
        what = gettext("Report %(number)s") % {"number": file.submission.number}
    pages = ""
    if file.pages:
        pages = ", " + ngettext("%(pages)s page", "%(pages)s pages", file.pages) % {
            "pages": file.pages
        }
    when = date_format(timezone.localtime(file.uploaded_at), gettext("j F Y, H:i:s"))
    return gettext("%(what)s handed in: %(name)s (version %(version)s%(pages)s) at %(when)s.") % {
        "what": what,
        "name": file.original_name,
        "version": file.version,
        "pages": pages,
        "when": when,
    }


# --- Project team --------------------------------------------------------------------------


@login_required
@require_POST
def team_invite(request: HttpRequest, slug: str) -> HttpResponse:
    seminar, registration = _participant(request, slug)
    form = TeamInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Enter your partner's e-mail address."))
        return _to_team(seminar)
    email = form.cleaned_data["email"]
    return _team_act(
        request,
        seminar,
        lambda: team_services.team_invite(registration=registration, email=email),
        gettext("Invitation sent to %(email)s: they accept it on their page of this seminar.")
        % {"email": email},
    )


@login_required
@require_POST
def team_invitation(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    seminar, registration = _participant(request, slug)
    services = {
        "accept": (team_services.team_invitation_accept, gettext("You joined the team.")),
        "decline": (team_services.team_invitation_decline, gettext("Invitation declined.")),
        "withdraw": (team_services.team_invitation_withdraw, gettext("Invitation withdrawn.")),
    }
    if action not in services:
        raise Http404("No such action.")
    service, success = services[action]
    return _team_act(
        request,
        seminar,
        lambda: service(invitation_id=pk, registration=registration),
        success,
    )


@login_required
@require_POST
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    seminar, registration = _participant(request, slug)
    return _team_act(
        request,
        seminar,
        lambda: team_services.team_leave(registration=registration),
        gettext("You left the team; you work on the project alone unless you join another."),
    )


def _participant(request: HttpRequest, slug: str) -> tuple[Seminar, Registration]:
    seminar = get_object_or_404(Seminar, slug=slug)
    registration = registration_of(seminar, request.user)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404("Not a participant.")
    return seminar, registration


def _team_act(request, seminar: Seminar, action, success: str) -> HttpResponse:
    try:
        action()
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
    return _to_team(seminar)


def _to_team(seminar: Seminar) -> HttpResponse:
    return redirect(reverse("seminar:dashboard", args=[seminar.slug]) + "#team")


# --- Calendar feed ---------------------------------------------------------------------------


@login_required
@require_POST
def calendar_reset(request: HttpRequest, slug: str) -> HttpResponse:
    seminar, registration = _participant(request, slug)
    calendar_services.calendar_feed_reset(registration=registration)
    messages.success(
        request, gettext("Your calendar has a new secret address; the old one no longer works.")
    )
    return redirect(reverse("seminar:dashboard", args=[seminar.slug]) + "#calendar")
