"""What each app stores about a person, for their data export and their account's deletion.

Like the page slots (seminar.slots), the seminar app defines the places and higher apps fill
them from their AppConfig.ready(), so this app imports none of them:

- an **export source** `(user) -> ExportPart` adds top-level keys to the export's `data.json`
  and files under `files/` (streamed from storage into the archive, never read whole);
- a **deletion check** `(user, now) -> [reason, ...]` says why the account must be kept (a
  grade of theirs must be kept, a seminar still keeps their work); an empty list is a yes;
- an **eraser** `(user) -> None` removes the app's rows and files of the person, inside the
  deletion's transaction (files are deleted from storage after it commits);
- **private actions**: prefixes of activity-log actions that are staff's work in progress
  (grading's `grades.`); the export's log leaves them out, the owning app exports what of them
  the person may see.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from seminar.models import User


@dataclass(frozen=True)
class ExportFile:
    """A file to put into the archive at `files/<path>`; `open` gives a binary stream."""

    path: str
    open: Callable[[], IO[bytes]]


@dataclass
class ExportPart:
    data: dict[str, Any] = field(default_factory=dict)
    files: list[ExportFile] = field(default_factory=list)


ExportSource = Callable[[User], ExportPart]
DeletionCheck = Callable[[User, dt.datetime], list[str]]
Eraser = Callable[[User], None]

_export_sources: list[tuple[int, ExportSource]] = []
_deletion_checks: list[DeletionCheck] = []
_erasers: list[tuple[int, Eraser]] = []
_private_actions: list[str] = []


def register_export(*, order: int = 100) -> Callable[[ExportSource], ExportSource]:
    def decorator(source: ExportSource) -> ExportSource:
        if source not in [s for _, s in _export_sources]:
            _export_sources.append((order, source))
            _export_sources.sort(key=lambda entry: entry[0])
        return source

    return decorator


def register_deletion_check(check: DeletionCheck) -> DeletionCheck:
    if check not in _deletion_checks:
        _deletion_checks.append(check)
    return check


def register_eraser(*, order: int = 100) -> Callable[[Eraser], Eraser]:
    """Erasers run from the highest app down (a lower `order` first), before the user row goes."""

    def decorator(eraser: Eraser) -> Eraser:
        if eraser not in [e for _, e in _erasers]:
            _erasers.append((order, eraser))
            _erasers.sort(key=lambda entry: entry[0])
        return eraser

    return decorator


def register_private_actions(*prefixes: str) -> None:
    for prefix in prefixes:
        if prefix not in _private_actions:
            _private_actions.append(prefix)


def private_action_prefixes() -> list[str]:
    return list(_private_actions)


def export_parts(user: User) -> list[ExportPart]:
    return [source(user) for _, source in _export_sources]


def deletion_refusals(user: User, now: dt.datetime) -> list[str]:
    return [reason for check in _deletion_checks for reason in check(user, now)]


def erase(user: User) -> None:
    for _, eraser in _erasers:
        eraser(user)
