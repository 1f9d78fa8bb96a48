"""A student's own data: the export of everything stored about them, and deleting their account.

The seminar app contributes the account, the registrations with their history, the e-mails
sent to the person and the log entries about them; higher apps add theirs through
`seminar.privacy` (topics, submissions and files, released grades).
"""

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from typing import IO

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mail.models import OutgoingEmail
from seminar import privacy
from seminar.enums import RegistrationStatus
from seminar.errors import Conflict, NotAllowed
from seminar.models import ActivityEntry, Registration, User
from seminar.selectors import seminar_has_started
from seminar.services.activity import activity_log
from seminar.services.registration import registration_withdraw

DELETED_NAME = "deleted account"


def account_export_build(*, user: User) -> IO[bytes]:
    """The archive of everything stored about `user`: `data.json` and `files/`.

    Built in a temporary file (deleted when closed) and each file copied from storage in
    chunks, so a large upload is never held in memory. The caller closes the returned file.
    """
    data: dict = {"exported_at": timezone.now(), "format": 1}
    files: list[privacy.ExportFile] = []
    for part in privacy.export_parts(user):
        data.update(part.data)
        files.extend(part.files)
    archive = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    try:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(
                "data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
            written: set[str] = set()
            for file in files:
                path = f"files/{file.path}"
                if path in written:
                    continue
                written.add(path)
                try:
                    source = file.open()
                except FileNotFoundError:
                    continue
                with source, zf.open(path, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
    except BaseException:
        archive.close()
        raise
    activity_log(action="account.exported", seminar=None, obj=user)
    archive.seek(0)
    return archive


def account_deletion_refusals(*, user: User, now: dt.datetime | None = None) -> list[str]:
    """Why the account must be kept (each reason says what to do); empty: it may be deleted."""
    return privacy.deletion_refusals(user, timezone.now() if now is None else now)


def account_delete(*, user: User, password: str) -> None:
    """Delete a student's account, if nothing of theirs must be kept.

    Active registrations of seminars that have not started are withdrawn through the
    registration service (the freed seat is offered to the next person waiting, the e-mails
    go out). Each app then removes its rows and files of the person; log entries stay, with
    the person's name replaced ("deleted account").
    """
    if not user.check_password(password):
        raise NotAllowed(_("The password is not right. Nothing was deleted."))
    refusals = account_deletion_refusals(user=user)
    if refusals:
        raise Conflict(" ".join(refusals))
    now = timezone.now()
    for registration in Registration.objects.filter(
        student=user, status__in=RegistrationStatus.active()
    ).select_related("seminar"):
        if not seminar_has_started(registration.seminar, now):
            registration_withdraw(seminar=registration.seminar, student=user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        refusals = account_deletion_refusals(user=user)  # a grade entered meanwhile
        if refusals:
            raise Conflict(" ".join(refusals))
        privacy.erase(user)
        activity_log(action="account.deleted", seminar=None, obj=user, actor=user)
        _anonymise_log(user)
        user.delete()


def _anonymise_log(user: User) -> None:
    registration_ids = [
        str(pk) for pk in Registration.objects.filter(student=user).values_list("pk", flat=True)
    ]
    ActivityEntry.objects.filter(actor=user).update(actor=None, actor_name=DELETED_NAME)
    ActivityEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(Registration),
        object_id__in=registration_ids,
    ).update(object_repr=DELETED_NAME)
    ActivityEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=DELETED_NAME)


# --- The seminar app's own parts -------------------------------------------------------------


@privacy.register_export(order=0)
def _export_account(user: User) -> privacy.ExportPart:
    registrations = list(
        Registration.objects.filter(student=user).select_related("seminar").order_by("pk")
    )
    registration_type = ContentType.objects.get_for_model(Registration)
    user_type = ContentType.objects.get_for_model(User)
    about = (
        Q(actor=user)
        | Q(object_type=registration_type, object_id__in=[str(r.pk) for r in registrations])
        | Q(object_type=user_type, object_id=str(user.pk))
    )
    entries = list(
        ActivityEntry.objects.filter(about)
        .exclude(_private_actions())
        .select_related("seminar")
        .order_by("at", "pk")
    )
    history: dict[str, list[dict]] = {}
    for entry in entries:
        if entry.object_type_id == registration_type.pk:
            history.setdefault(entry.object_id, []).append(_entry(entry))
    emails = OutgoingEmail.objects.filter(to__iexact=user.email).order_by("created_at", "pk")
    data = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "matriculation_number": user.matriculation_number,
            "degree_level": user.degree_level,
            "programme": user.programme,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "registrations": [
            {
                "seminar": r.seminar.title,
                "seminar_slug": r.seminar.slug,
                "status": r.status,
                "joined_at": r.joined_at,
                "status_changed_at": r.status_changed_at,
                "confirmed_at": r.confirmed_at,
                "offered_at": r.offered_at,
                "offer_expires_at": r.offer_expires_at,
                "history": history.get(str(r.pk), []),
            }
            for r in registrations
        ],
        "emails": [
            {
                "subject": email.subject,
                "to": email.to,
                "created_at": email.created_at,
                "status": email.status,
                "sent_at": email.sent_at,
                "body": email.body_text,
            }
            for email in emails
        ],
        "activity": [_entry(entry) for entry in entries],
    }
    return privacy.ExportPart(data=data)


def _private_actions() -> Q:
    found = Q(pk__in=[])
    for prefix in privacy.private_action_prefixes():
        found |= Q(action__startswith=prefix)
    return found


def _entry(entry: ActivityEntry) -> dict:
    return {
        "at": entry.at,
        "by": entry.actor_name,
        "seminar": entry.seminar.title if entry.seminar else None,
        "action": entry.action,
        "object": entry.object_repr,
        "old": entry.old,
        "new": entry.new,
        "reason": entry.reason,
    }


@privacy.register_deletion_check
def _staff_are_kept(user: User, now: dt.datetime) -> list[str]:
    if user.is_staff or user.is_superuser or user.staff_roles.exists():
        return [
            _(
                "Staff accounts cannot be deleted here: the seminars you work for keep who "
                "did what. Ask the site's administrator."
            )
        ]
    return []
