"""Purging a finished seminar's uploads once its retention period has passed."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from seminar.errors import Conflict
from seminar.models import Seminar, User
from seminar.services.activity import activity_log
from submissions.models import FileRetention, SubmissionFile
from submissions.selectors.retention import retention_of
from submissions.storage import submission_storage


def file_retention_ensure(*, seminar: Seminar) -> FileRetention:
    return FileRetention.objects.get_or_create(seminar=seminar)[0]


def uploads_purge(*, seminar: Seminar, by: User | None) -> int:
    """Delete every uploaded file of a finished seminar from storage once its retention period
    has passed; the rows stay, marked purged, so pages say what happened. Returns how many
    files were deleted; running it again deletes nothing more and logs nothing."""
    now = timezone.now()
    retention = retention_of(seminar, now)
    if not retention.finished:
        raise Conflict(
            _(
                "%(seminar)s has not finished yet: its uploads are kept at least until "
                "%(days)s days after its last session."
            )
            % {"seminar": seminar, "days": retention.settings.retention_days}
        )
    if not retention.purge_allowed(now):
        raise Conflict(
            _(
                "The retention period of %(seminar)s (%(days)s days after the last session) "
                "runs until %(until)s; its uploads can be purged after that."
            )
            % {
                "seminar": seminar,
                "days": retention.settings.retention_days,
                "until": date_format(timezone.localtime(retention.ends_at), "j F Y"),
            }
        )
    with transaction.atomic():
        settings = file_retention_ensure(seminar=seminar)
        settings = FileRetention.objects.select_for_update().get(pk=settings.pk)
        files = (
            SubmissionFile.objects.select_for_update(of=("self",))
            .filter(submission__deliverable__seminar=seminar, purged_at=None)
            .order_by("pk")
        )
        names = list(files.values_list("stored_name", flat=True))
        if not names:
            return 0
        SubmissionFile.objects.filter(stored_name__in=names).update(purged_at=now)
        settings.purged_at, settings.purged_by = now, by
        settings.save(update_fields=["purged_at", "purged_by"])
        activity_log(
            action="uploads.purged",
            seminar=seminar,
            obj=settings,
            new={"files": len(names), "retention_days": settings.retention_days},
            actor=by,
        )
        transaction.on_commit(lambda: files_delete(names))
    return len(names)


def files_delete(names: list[str]) -> None:
    """Remove stored files (after the commit that stopped pointing at them)."""
    storage = submission_storage()
    for name in names:
        storage.delete(name)
