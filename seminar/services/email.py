"""A seminar's e-mail: tagged subject, the seminar's contact as Reply-To, kept with the seminar."""

from email.utils import formataddr

from django.conf import settings
from django.utils import translation

from mail.models import OutgoingEmail
from mail.services.outbox import email_queue
from seminar.models import Seminar


def seminar_email_queue(
    *,
    seminar: Seminar,
    key: str,
    to: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
) -> OutgoingEmail | None:
    """Queue `emails/<template>_*` for one recipient about this seminar (see mail's email_queue).

    The subject starts with the seminar's tag, answers go to the seminar's contact, and the
    templates get `seminar` besides the caller's context. The e-mail is written in the
    recipient's language: `language`, else that of the context's `student` (every e-mail to a
    student passes them), else the site's default - never the language of whoever caused it.
    """
    context = {"seminar": seminar, **(context or {})}
    with translation.override(language or recipient_language(context.get("student"))):
        return email_queue(
            key=key,
            to=to,
            template=template,
            context=context,
            subject_prefix=seminar.subject_prefix,
            reply_to=formataddr((seminar.contact_name, seminar.contact_email)),
            seminar=seminar,
        )


def recipient_language(user) -> str:
    """The language to write to `user` in (the site's default for nobody in particular)."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
