"""A submission's versions and their files, for those who may see them; a 404 for anyone else.

The answer never says whether something exists to someone who may not see it: a missing file,
another student's file and a signed-out visitor all get the same 404.
"""

import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from seminar.models import Registration
from submissions import selectors
from submissions.models import Submission, SubmissionFile
from submissions.storage import submission_storage

NOT_FOUND = "No such file."
PURGED_MESSAGE = gettext_lazy(
    "This file was deleted after the seminar's retention period; its record stays."
)


@require_GET
def submission_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    submission = (
        Submission.objects.select_related("deliverable__seminar", "topic")
        .filter(pk=pk, deliverable__seminar__slug=slug)
        .first()
    )
    if submission is None or not request.user.has_perm(
        "submissions.download_submission", submission
    ):
        raise Http404(NOT_FOUND)
    seminar = submission.deliverable.seminar
    owners = list(
        Registration.objects.filter(pk__in=selectors.owners_of(submission))
        .select_related("student")
        .order_by("student__full_name")
    )
    calendar = selectors.seminar_calendar(seminar, registration_ids=[o.pk for o in owners])
    due = selectors.due_of(submission.deliverable, owners[0] if owners else None, calendar)
    versions = [
        (file, due.base is not None and file.uploaded_at > due.base)
        for file in submission.files.order_by("-version")
    ]
    context = {
        "seminar": seminar,
        "submission": submission,
        "owners": owners,
        "due": due,
        "versions": versions,
    }
    return render(request, "submissions/submission_detail.html", context)


@require_GET
def file_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    file = (
        SubmissionFile.objects.select_related("submission__deliverable__seminar")
        .filter(pk=pk, submission__deliverable__seminar__slug=slug)
        .first()
    )
    if file is None or not request.user.has_perm(
        "submissions.download_submission", file.submission
    ):
        raise Http404(NOT_FOUND)
    if file.purged_at is not None:
        return HttpResponse(PURGED_MESSAGE, status=410, content_type="text/plain; charset=utf-8")
    prefix = settings.SUBMISSIONS_X_ACCEL_PREFIX
    if prefix:
        # nginx sends the bytes from its internal location; this answer only names the file.
        response = HttpResponse(content_type=file.content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(file.stored_name)}"
    else:
        try:
            stream = submission_storage().open(file.stored_name, "rb")
        except FileNotFoundError as missing:
            raise Http404(NOT_FOUND) from missing
        response = FileResponse(stream, content_type=file.content_type)
        response["Content-Length"] = str(file.size)
    response["Content-Disposition"] = attachment_header(file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


def attachment_header(name: str) -> str:
    """`Content-Disposition: attachment` by RFC 6266: an ASCII fallback name for old clients
    and the exact name, UTF-8 and percent-encoded, in `filename*` (RFC 5987)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in ascii_name)
    exact = quote(name, safe="")
    return f"attachment; filename=\"{ascii_name or 'download'}\"; filename*=UTF-8''{exact}"
