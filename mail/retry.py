"""Which sending failures are worth another try, and when. Pure functions, no Django."""

import datetime as dt
import smtplib
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    permanent: bool  # retrying cannot help (5xx); otherwise try again later
    reply: str  # the SMTP reply, or the error, as kept in `last_error`


def failure_classify(error: BaseException) -> Failure:
    """5xx replies are permanent (RFC 5321); 4xx replies, refused or reset connections,
    timeouts and anything unexpected are temporary: the attempt limit ends those."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [
            (code, f"{address}: {code} {_text(message)}")
            for address, (code, message) in error.recipients.items()
        ]
        permanent = bool(replies) and all(_permanent(code) for code, _ in replies)
        return Failure(permanent, "; ".join(text for _, text in replies) or str(error))
    if isinstance(error, smtplib.SMTPResponseException):
        reply = f"{error.smtp_code} {_text(error.smtp_error)}"
        return Failure(_permanent(error.smtp_code), reply)
    return Failure(False, f"{type(error).__name__}: {error}".strip())


def retry_delay(*, attempts: int, base_seconds: int) -> dt.timedelta:
    """Exponential backoff: after the first failed attempt `base`, then 2×, 4×, 8× …"""
    return dt.timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def _permanent(code: int) -> bool:
    return 500 <= code < 600


def _text(message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return " ".join(message.split())
