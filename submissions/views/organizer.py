"""The organizer's view of every student against every deliverable, and extensions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from seminar.enums import RegistrationStatus
from seminar.errors import DomainError
from seminar.models import Registration, Seminar
from seminar.views.organizer import organized_seminar
from seminar.views.refusals import status_of
from submissions import selectors
from submissions.forms import ExtensionForm
from submissions.models import Extension, TeamMembership
from submissions.services.extensions import extension_grant, extension_revoke
from submissions.services.retention import uploads_purge


@login_required
@require_GET
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    return _matrix_page(request, seminar, _extension_form(seminar))


@login_required
@require_POST
def extension_add(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    form = _extension_form(seminar, request.POST)
    if not form.is_valid():
        return _matrix_page(request, seminar, form, status=400)
    registration = form.cleaned_data["registration"]
    deliverable = form.cleaned_data["deliverable"]
    team = None
    if form.cleaned_data["whole_team"]:
        membership = TeamMembership.objects.filter(registration=registration).first()
        if membership is None:
            form.add_error(
                "whole_team",
                _("%(name)s is not in a project team.") % {"name": registration.student.full_name},
            )
            return _matrix_page(request, seminar, form, status=400)
        team = membership.team
    try:
        extension_grant(
            deliverable=deliverable,
            registration=None if team else registration,
            team=team,
            due_at=form.due_at,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except DomainError as refusal:
        form.add_error(None, refusal.message)
        return _matrix_page(request, seminar, form, status=status_of(refusal))
    whom = _("their team") if team else registration.student.full_name
    messages.success(
        request,
        _("Extension granted to %(whom)s: %(deliverable)s until %(moment)s.")
        % {
            "whom": whom,
            "deliverable": deliverable.get_kind_display(),
            "moment": date_format(timezone.localtime(form.due_at), _("j F Y, H:i")),
        },
    )
    return redirect("submissions:matrix", slug=seminar.slug)


@login_required
@require_POST
def extension_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    extension = get_object_or_404(
        Extension.objects.select_related("deliverable__seminar", "registration__student", "team"),
        pk=pk,
        deliverable__seminar=seminar,
    )
    extension_revoke(extension=extension)
    messages.success(request, _("Extension revoked: the deliverable's own deadline counts again."))
    return redirect("submissions:matrix", slug=seminar.slug)


@login_required
@require_POST
def uploads_purge_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a finished seminar's files once its retention period has passed."""
    seminar = organized_seminar(request, slug)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that the files are deleted for good."))
        return redirect("seminar:organize", slug=seminar.slug)
    try:
        count = uploads_purge(seminar=seminar, by=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("seminar:organize", slug=seminar.slug)
    messages.success(
        request,
        ngettext(
            "%(count)d uploaded file was deleted.",
            "%(count)d uploaded files were deleted.",
            count,
        )
        % {"count": count},
    )
    return redirect("seminar:organize", slug=seminar.slug)


def _extension_form(seminar: Seminar, data=None) -> ExtensionForm:
    return ExtensionForm(
        data,
        registrations=Registration.objects.filter(
            seminar=seminar, status=RegistrationStatus.CONFIRMED
        )
        .select_related("student")
        .order_by("student__full_name"),
        deliverables=seminar.deliverables.filter(enabled=True),
    )


def _matrix_page(
    request: HttpRequest, seminar: Seminar, form: ExtensionForm, status: int = 200
) -> HttpResponse:
    participants = selectors.confirmed_participants(seminar)
    deliverables = selectors.deliverables_of(seminar)
    calendar = selectors.seminar_calendar(seminar)
    progress = selectors.progress_of(
        seminar, participants, calendar=calendar, deliverables=deliverables
    )
    names = {r.pk: r.student.full_name for r in participants}
    rows = []
    for registration in participants:
        team_id = calendar.team_of.get(registration.pk)
        mates = [
            names[pk]
            for pk in calendar.members.get(team_id, [])
            if pk != registration.pk and pk in names
        ]
        cells = [progress[registration.pk][kind] for kind in deliverables]
        rows.append((registration, mates, cells))
    extensions = (
        Extension.objects.filter(deliverable__seminar=seminar)
        .select_related("deliverable", "registration__student", "granted_by")
        .prefetch_related(
            Prefetch(
                "team__memberships",
                TeamMembership.objects.select_related("registration__student"),
            )
        )
        .order_by("deliverable__kind", "due_at", "pk")
    )
    context = {
        "seminar": seminar,
        "deliverables": list(deliverables.values()),
        "rows": rows,
        "extensions": extensions,
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "submissions/matrix.html", context, status=status)
