"""Columns that higher apps add to the organizer's participant export (CSV), so that this app
imports none of them. A source is a function (seminar, registrations) -> (header, values), with
values a dict registration id -> one cell per header entry; registered from the higher app's
AppConfig.ready(), making a fixed number of queries whatever the number of students.
"""

from collections.abc import Callable

from seminar.models import Registration, Seminar

ColumnSource = Callable[[Seminar, list[Registration]], tuple[list[str], dict[int, list[object]]]]

_sources: list[ColumnSource] = []


def register_participant_columns(source: ColumnSource) -> ColumnSource:
    if source not in _sources:
        _sources.append(source)
    return source


def participant_columns(
    seminar: Seminar, registrations: list[Registration]
) -> tuple[list[str], dict[int, list[object]]]:
    """Every registered source's header and cells, side by side; empty cells where a source
    has nothing for a student."""
    header: list[str] = []
    cells: dict[int, list[object]] = {r.pk: [] for r in registrations}
    for source in _sources:
        names, values = source(seminar, registrations)
        header += names
        for registration in registrations:
            cells[registration.pk] += values.get(registration.pk, [""] * len(names))
    return header, cells
