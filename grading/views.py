"""The organizer's grades page (/<slug>/organize/grades/): where grading stands, releasing the
grades, and the grade sheet as CSV and PDF. Organizers only; anyone else gets a 404."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grading import exports
from grading.enums import ExportStatus
from grading.models import GradeSheetExport
from grading.selectors import grade_sheet_of, grading_participants, gradings_of, scheme_of
from grading.services import grades_release
from grading.services.sheet_export import grade_sheet_export_start, pdf_in_request
from grading.storage import grade_sheet_storage
from seminar.errors import DomainError
from seminar.views.organizer import organized_seminar

# The export page asks again every few seconds while the PDF is being built: an HTTP Refresh
# header (what <meta http-equiv="refresh"> stands for), so no script is needed.
REFRESH_SECONDS = 2
# A build still not finished after this long most likely lost its worker: offer another one.
STALE_MINUTES = 10


@login_required
@require_GET
def grades(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    participants = grading_participants(seminar)
    gradings = gradings_of(seminar, participants)
    rows = [gradings[registration.pk] for registration in participants]
    context = {
        "seminar": seminar,
        "scheme": scheme_of(seminar),
        "rows": rows,
        "passed": sum(g.result.passed is True for g in rows),
        "failed": sum(g.result.passed is False for g in rows),
        "incomplete": sum(g.result.passed is None for g in rows),
        "pdf_now": pdf_in_request(len(rows)),
        "exports": list(GradeSheetExport.objects.filter(seminar=seminar)[:3]),
    }
    return render(request, "grading/organize.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    back = reverse("grading:grades", args=[seminar.slug])
    if request.method == "POST":
        try:
            emailed = grades_release(seminar=seminar, by=request.user)
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The grades are released; %(count)d student e-mailed.",
                    "The grades are released; %(count)d students e-mailed.",
                    emailed,
                )
                % {"count": emailed},
            )
        return redirect(back)
    participants = grading_participants(seminar)
    gradings = gradings_of(seminar, participants)
    context = {
        "seminar": seminar,
        "scheme": scheme_of(seminar),
        "recipients": len(participants),
        "incomplete": sum(g.result.passed is None for g in gradings.values()),
    }
    return render(request, "grading/release_confirm.html", context)


@login_required
@require_GET
def sheet_csv(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    return exports.grade_sheet_csv(grade_sheet_of(seminar))


@login_required
@require_POST
def sheet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Small seminars: the PDF at once. Large ones: a worker builds it; its page shows how far."""
    seminar = organized_seminar(request, slug)
    students = len(grading_participants(seminar))
    if pdf_in_request(students):
        base_url = request.build_absolute_uri("/")
        return exports.grade_sheet_pdf_response(grade_sheet_of(seminar), base_url=base_url)
    export = grade_sheet_export_start(seminar=seminar, by=request.user, students=students)
    return redirect("grading:export", seminar.slug, export.pk)


def _export_of(request: HttpRequest, slug: str, pk: int) -> GradeSheetExport:
    seminar = organized_seminar(request, slug)
    return get_object_or_404(
        GradeSheetExport.objects.select_related("seminar"), pk=pk, seminar=seminar
    )


@login_required
@require_GET
def export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    export = _export_of(request, slug, pk)
    since = export.started_at or export.created_at
    stale = export.is_pending and timezone.now() - since > dt.timedelta(minutes=STALE_MINUTES)
    context = {"seminar": export.seminar, "export": export, "stale": stale}
    response = render(request, "grading/export.html", context)
    if export.is_pending and not stale:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_GET
def export_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    export = _export_of(request, slug, pk)
    if export.status != ExportStatus.DONE:
        raise Http404("This grade sheet is not ready.")
    try:
        stream = grade_sheet_storage().open(export.file_name, "rb")
    except FileNotFoundError as missing:
        raise Http404("This grade sheet is gone; build a new one.") from missing
    seminar = export.seminar
    sheet_name = exports.sheet_filename(seminar.title, seminar.term, "pdf")
    response = FileResponse(stream, content_type="application/pdf")
    response["Content-Disposition"] = exports.content_disposition(sheet_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
