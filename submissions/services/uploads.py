"""Handing in files: checked against the deadline and validated before anything is stored."""

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from seminar.display import in_sentence
from seminar.enums import RegistrationStatus
from seminar.errors import Conflict, Invalid, NotAllowed
from seminar.models import Registration, User
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from seminar.validators import unprintable
from submissions import validation
from submissions.enums import UPLOAD_KINDS, DeliverableKind, FileKind
from submissions.models import Deliverable, Submission, SubmissionFile, Team, TeamMembership
from submissions.selectors import deadline_of, seminar_calendar
from submissions.storage import stored_name_new, submission_storage
from topics.models import Topic

MB = 1024 * 1024
ACCEPTED_KINDS = {
    DeliverableKind.SLIDE_DRAFT: frozenset({FileKind.PDF}),
    DeliverableKind.REPORTS: frozenset({FileKind.PDF}),
    DeliverableKind.PROJECT: frozenset({FileKind.PDF, FileKind.ZIP, FileKind.TAR_GZ}),
}
_FALLBACK_STEMS = {
    DeliverableKind.SLIDE_DRAFT: "slide-draft",
    DeliverableKind.REPORTS: "report",
    DeliverableKind.PROJECT: "project",
}


def upload_limits() -> validation.Limits:
    return validation.Limits(
        max_pdf_bytes=settings.SUBMISSIONS_MAX_PDF_MB * MB,
        max_archive_bytes=settings.SUBMISSIONS_MAX_ARCHIVE_MB * MB,
        max_entries=settings.SUBMISSIONS_ARCHIVE_MAX_ENTRIES,
        max_unpacked_bytes=settings.SUBMISSIONS_ARCHIVE_MAX_UNPACKED_MB * MB,
    )


def streaming_limit(deliverable: Deliverable) -> int:
    """The most bytes an upload for this deliverable may stream before it is cut off: the
    largest kind of file it accepts (each kind's own limit is checked once the kind is known)."""
    limits = upload_limits()
    kinds = ACCEPTED_KINDS.get(deliverable.kind, frozenset())
    archives = kinds - {FileKind.PDF}
    return max(limits.max_pdf_bytes, limits.max_archive_bytes if archives else 0)


def too_large_message(deliverable: Deliverable) -> str:
    """What a student is told when the streaming limit cut an upload off."""
    return (
        f"The file is larger than {streaming_limit(deliverable) // MB} MB, the most this upload "
        "accepts. Make it smaller (for example, leave out data sets or compress the images) and "
        "upload it again."
    )


def submission_upload(
    *,
    registration: Registration,
    deliverable: Deliverable,
    upload: UploadedFile,
    by: User | None,
    number: int = 1,
    topic: Topic | None = None,
    title: str = "",
    repository_url: str = "",
) -> SubmissionFile:
    """Hand in a file: a new version of the student's (or team's) submission.

    Refused, with the reason, after the effective deadline (extensions included), for a file
    that is not what the deliverable expects, and for a report whose topic the student already
    wrote about. A refusal stores nothing and leaves earlier versions as they were. The moment
    of the deadline check is the upload's time.
    """
    now = timezone.now()
    title = " ".join(title.split())
    if unprintable(title) or unprintable(repository_url):
        raise Invalid(gettext("Use one line of ordinary text, without control characters."))
    _may_hand_in(registration, deliverable, number, topic, title)
    _deadline_check(registration, deliverable, now)
    if topic is not None:
        _topic_free_check(registration, deliverable, number, topic)
    is_report = deliverable.kind == DeliverableKind.REPORTS
    try:
        facts = validation.inspect_file(
            upload,
            kinds=ACCEPTED_KINDS[deliverable.kind],
            limits=upload_limits(),
            min_pages=deliverable.min_pages if is_report else None,
            max_pages=deliverable.max_pages if is_report else None,
        )
    except validation.Refused as refusal:
        raise Invalid(refusal.message) from refusal
    storage = submission_storage()
    stored = storage.save(
        stored_name_new(
            seminar_id=registration.seminar_id, kind=deliverable.kind, file_kind=facts.kind
        ),
        upload,
    )
    try:
        return _record(
            registration=registration,
            deliverable=deliverable,
            facts=facts,
            stored=stored,
            original=validation.download_name(
                upload.name or "",
                facts.kind,
                fallback_stem=_FALLBACK_STEMS[deliverable.kind],
            ),
            now=now,
            by=by,
            number=number,
            topic=topic,
            title=title,
            repository_url=repository_url,
        )
    except BaseException:
        storage.delete(stored)  # nothing refers to it: the refusal leaves nothing behind
        raise


def _may_hand_in(
    registration: Registration,
    deliverable: Deliverable,
    number: int,
    topic: Topic | None,
    title: str,
) -> None:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotAllowed(gettext("Only participants of this seminar hand in work."))
    if deliverable.seminar_id != registration.seminar_id:
        raise Invalid(gettext("That is not a deliverable of your seminar."))
    if not deliverable.enabled or deliverable.kind not in UPLOAD_KINDS:
        raise NotAllowed(gettext("This seminar does not ask for that upload."))
    if deliverable.kind != DeliverableKind.REPORTS:
        if number != 1:
            raise Invalid(gettext("There is only one of these to hand in."))
        return
    if not 1 <= number <= deliverable.count:
        raise Invalid(
            gettext("Choose one of your %(count)s reports.") % {"count": deliverable.count}
        )
    if (topic is None) == (not title):
        raise Invalid(
            gettext("Choose the report's topic from the list, or give a title of your own.")
        )
    if topic is not None and topic.seminar_id != registration.seminar_id:
        raise Invalid(gettext("That topic is not a topic of this seminar."))
    if len(title) > 200:
        raise Invalid(gettext("Keep the title to 200 characters."))


def _deadline_check(registration: Registration, deliverable: Deliverable, now: dt.datetime):
    calendar = seminar_calendar(registration.seminar, registration_ids=[registration.pk])
    due = deadline_of(deliverable, registration, calendar)
    if due is not None and now > due:
        when = date_format(timezone.localtime(due), gettext("l, j F Y, H:i"))
        raise NotAllowed(
            gettext(
                "The deadline for the %(kind)s was %(when)s; uploads are closed. If you need "
                "more time, ask the organizer for an extension."
            )
            % {"kind": in_sentence(deliverable.get_kind_display()), "when": when}
        )


def _topic_free_check(
    registration: Registration, deliverable: Deliverable, number: int, topic: Topic
) -> None:
    other = (
        Submission.objects.filter(deliverable=deliverable, registration=registration, topic=topic)
        .exclude(number=number)
        .first()
    )
    if other is not None:
        raise Conflict(
            gettext(
                "Your report %(number)s is already on “%(title)s”; a student writes at most one "
                "report per topic. Choose another topic or a title of your own."
            )
            % {"number": other.number, "title": topic.title}
        )


def _record(
    *,
    registration: Registration,
    deliverable: Deliverable,
    facts: validation.FileFacts,
    stored: str,
    original: str,
    now: dt.datetime,
    by: User | None,
    number: int,
    topic: Topic | None,
    title: str,
    repository_url: str,
) -> SubmissionFile:
    version = {"facts": facts, "stored": stored, "original": original, "now": now, "by": by}
    if deliverable.kind == DeliverableKind.PROJECT:
        # The team decides whose project it is: under the seminar's lock, like every team change.
        with seminar_locked(registration.seminar_id):
            return _version_add(
                deliverable=deliverable,
                owner={"team": _team_of(registration, now)},
                number=1,
                fields={"repository_url": repository_url},
                **version,
            )
    fields = {"topic": topic, "title": title} if deliverable.kind == DeliverableKind.REPORTS else {}
    with transaction.atomic():
        return _version_add(
            deliverable=deliverable,
            owner={"registration": registration},
            number=number,
            fields=fields,
            **version,
        )


def _team_of(registration: Registration, now: dt.datetime) -> Team:
    """The student's project team; a team of one if they work alone."""
    membership = TeamMembership.objects.filter(registration=registration).first()
    if membership is not None:
        return membership.team
    team = Team.objects.create(seminar_id=registration.seminar_id, created_at=now)
    TeamMembership.objects.create(team=team, registration=registration, joined_at=now)
    return team


def _version_add(
    *,
    deliverable: Deliverable,
    owner: dict,
    number: int,
    fields: dict,
    facts: validation.FileFacts,
    stored: str,
    original: str,
    now: dt.datetime,
    by: User | None,
) -> SubmissionFile:
    submission, created = Submission.objects.select_for_update().get_or_create(
        deliverable=deliverable, number=number, **owner, defaults={**fields, "created_at": now}
    )
    old = {} if created else {k: _plain(getattr(submission, k)) for k in fields}
    if not created:
        for name, value in fields.items():
            setattr(submission, name, value)
    submission.updated_at = now
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as error:  # another request took the topic a moment ago
        raise Conflict(
            gettext(
                "You already have a report on this topic; a student writes at most one report "
                "per topic. Choose another topic or a title of your own."
            )
        ) from error
    previous = submission.files.aggregate(latest=Max("version"))["latest"] or 0
    file = SubmissionFile.objects.create(
        submission=submission,
        version=previous + 1,
        stored_name=stored,
        original_name=original,
        kind=facts.kind,
        size=facts.size,
        pages=facts.pages,
        sha256=facts.sha256,
        uploaded_at=now,
        uploaded_by=by,
    )
    activity_log(
        action="submission.uploaded",
        seminar=deliverable.seminar,
        obj=submission,
        old={"version": previous or None, **old},
        new={
            "version": file.version,
            "file": original,
            "size": facts.size,
            "pages": facts.pages,
            **{k: _plain(v) for k, v in fields.items()},
        },
    )
    return file


def _plain(value):
    return value.pk if isinstance(value, Topic) else value
