"""How long a seminar keeps its students' files, and whether they may be purged now."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from seminar.deadlines import days_after
from seminar.enums import MeetingKind
from seminar.models import Meeting, Seminar
from submissions.models import FileRetention


@dataclass(frozen=True)
class Retention:
    settings: FileRetention
    last_session: dt.date | None
    ends_at: dt.datetime | None  # the files are kept until then (end of that day, Berlin)
    finished: bool  # the last session's day is over

    @property
    def purged(self) -> bool:
        return self.settings.purged_at is not None

    def purge_allowed(self, now: dt.datetime) -> bool:
        return self.finished and self.ends_at is not None and now > self.ends_at


def retention_of(seminar: Seminar, now: dt.datetime | None = None) -> Retention:
    """Two queries. A seminar without its row (made before this existed) has the default."""
    return retentions_of([seminar], now)[seminar.pk]


def retentions_of(seminars: list[Seminar], now: dt.datetime | None = None) -> dict[int, Retention]:
    """seminar id -> its retention; two queries for any number of seminars."""
    now = timezone.now() if now is None else now
    ids = [seminar.pk for seminar in seminars]
    rows = {r.seminar_id: r for r in FileRetention.objects.filter(seminar_id__in=ids)}
    last_sessions = dict(
        Meeting.objects.filter(seminar_id__in=ids, kind=MeetingKind.SESSION)
        .values("seminar_id")
        .annotate(last=Max("date"))
        .values_list("seminar_id", "last")
    )
    found = {}
    for seminar in seminars:
        settings = rows.get(seminar.pk) or FileRetention(seminar=seminar)
        last = last_sessions.get(seminar.pk)
        found[seminar.pk] = Retention(
            settings=settings,
            last_session=last,
            ends_at=days_after(last, settings.retention_days) if last else None,
            finished=last is not None and timezone.localdate(now) > last,
        )
    return found
