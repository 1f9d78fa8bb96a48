"""A seminar's e-mail: tagged subject, the seminar's contact as Reply-To, kept with the seminar."""

from email.utils import formataddr

from mail.models import OutgoingEmail
from mail.services.outbox import email_queue
from seminar.models import Seminar


def seminar_email_queue(
    *, seminar: Seminar, key: str, to: str, template: str, context: dict | None = None
) -> OutgoingEmail | None:
    """Queue `emails/<template>_*` for one recipient about this seminar (see mail's email_queue).

    The subject starts with the seminar's tag, answers go to the seminar's contact, and the
    templates get `seminar` besides the caller's context.
    """
    return email_queue(
        key=key,
        to=to,
        template=template,
        context={"seminar": seminar, **(context or {})},
        subject_prefix=seminar.subject_prefix,
        reply_to=formataddr((seminar.contact_name, seminar.contact_email)),
        seminar=seminar,
    )
