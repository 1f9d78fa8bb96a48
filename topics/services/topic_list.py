"""A seminar's topic list as a spreadsheet (CSV): export, and import with a preview.

Export and import use the same columns, so an exported list imports as it is. An import is
checked row by row (one message per row naming everything wrong in it) and stores nothing
until every row is right; then all topics are created in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from seminar.enums import MeetingKind, StaffKind
from seminar.errors import Invalid
from seminar.models import Seminar, User
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from seminar.spreadsheet import FORMULA_STARTS
from seminar.validators import unprintable, validate_one_line
from topics.models import SupplementaryMaterial, Topic

COLUMNS = (
    "title",
    "year",
    "paper_link",
    "supervisor_email",
    "mock_group",
    "capacity",
    "session_date",
    "slot",
    "materials",
)
REQUIRED_COLUMNS = ("title", "supervisor_email")
MAX_ROWS = 200
MAX_BYTES = 1024 * 1024
MAX_GROUP = 20
MAX_CAPACITY = 20


# --- Export ----------------------------------------------------------------------------------


def topic_list_rows(seminar: Seminar) -> list[list]:
    """The seminar's topics in the import's columns (materials by their numbers)."""
    topics = (
        Topic.objects.filter(seminar=seminar)
        .select_related("supervisor__user", "session")
        .prefetch_related("materials")
        .order_by("session__date", "slot", "pk")
    )
    return [
        [
            topic.title,
            topic.year,
            topic.url,
            topic.supervisor.user.email if topic.supervisor else "",
            topic.mock_group,
            topic.capacity,
            topic.session.date.isoformat() if topic.session else "",
            topic.slot,
            "; ".join(str(n) for n in sorted(m.number for m in topic.materials.all())),
        ]
        for topic in topics
    ]


# --- Reading a file --------------------------------------------------------------------------


@dataclass
class TopicRow:
    """One row of the file, as it would become a topic, and what is wrong with it."""

    line: int
    cells: dict[str, str]
    title: str = ""
    year: int | None = None
    url: str = ""
    supervisor: object = None  # StaffRole
    mock_group: int | None = None
    capacity: int = 1
    session: object = None  # Meeting
    slot: int | None = None
    materials: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)  # columns whose formula was refused

    @property
    def message(self) -> str:
        return _("Row %(line)s: %(problems)s.") % {
            "line": self.line,
            "problems": "; ".join(self.problems),
        }


@dataclass
class TopicListPreview:
    rows: list[TopicRow]
    file_errors: list[str]

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [row.message for row in self.rows if row.problems]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def topic_list_decode(data: bytes) -> tuple[str | None, list[str]]:
    """The file's text (UTF-8, with or without a byte-order mark), or why it cannot be read:
    one message per line that is not UTF-8."""
    if len(data) > MAX_BYTES:
        return None, [_("The file is larger than 1 MB; a topic list is much smaller.")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None, [
            _(
                "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8 "
                "(comma delimited)” and upload it again."
            )
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                _(
                    "Row %(line)s: characters that are not UTF-8 (the file may be saved as "
                    "Latin-1 or “Windows” text); save it as “CSV UTF-8” and upload it again."
                )
                % {"line": number}
            )
    return None, problems


def topic_list_read(*, seminar: Seminar, data: bytes) -> tuple[str | None, TopicListPreview]:
    """The file's text and its check against the seminar; nothing is stored."""
    text, problems = topic_list_decode(data)
    if text is None:
        return None, TopicListPreview(rows=[], file_errors=problems)
    return text, topic_list_check(seminar=seminar, text=text)


def topic_list_check(*, seminar: Seminar, text: str) -> TopicListPreview:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return TopicListPreview(rows=[], file_errors=[_("The file is empty.")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = list(reader)
    except csv.Error as error:
        return TopicListPreview(rows=[], file_errors=[_("The file is not CSV: %s") % error])
    header = [cell.strip().lower().replace(" ", "_") for cell in table[0]]
    unknown = [name for name in header if name and name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    file_errors = []
    if unknown or missing:
        file_errors.append(
            _(
                "Row 1 (the column names): %(what)s. The columns are: %(columns)s "
                "(title and supervisor_email are required)."
            )
            % {
                "what": "; ".join(
                    [_("unknown column “%s”") % name for name in unknown]
                    + [_("no column “%s”") % name for name in missing]
                ),
                "columns": ", ".join(COLUMNS),
            }
        )
        return TopicListPreview(rows=[], file_errors=file_errors)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines at the end of a spreadsheet
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        row = TopicRow(line=number, cells=values)
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            row.problems.append(_("more cells than columns"))
        rows.append(row)
    if not rows:
        file_errors.append(_("The file has column names but no topics."))
    if len(rows) > MAX_ROWS:
        file_errors.append(_("At most %d topics per file.") % MAX_ROWS)
        return TopicListPreview(rows=[], file_errors=file_errors)
    _check_rows(seminar, rows)
    return TopicListPreview(rows=rows, file_errors=file_errors)


def _check_rows(seminar: Seminar, rows: list[TopicRow]) -> None:
    supervisors = {
        role.user.email.lower(): role
        for role in seminar.staff.filter(kind=StaffKind.SUPERVISOR).select_related("user")
    }
    other_staff = set(seminar.staff.values_list("user__email", flat=True))
    sessions = {m.date: m for m in seminar.meetings.filter(kind=MeetingKind.SESSION)}
    materials = {m.number: m for m in SupplementaryMaterial.objects.filter(seminar=seminar)}
    existing_titles = {
        title.casefold().strip()
        for title in Topic.objects.filter(seminar=seminar).values_list("title", flat=True)
    }
    taken_slots = set(
        Topic.objects.filter(seminar=seminar, session__isnull=False).values_list(
            "session_id", "slot"
        )
    )
    titles_seen: dict[str, int] = {}
    slots_seen: dict[tuple, int] = {}

    for row in rows:
        cell = _cells(row)
        row.title = cell("title")
        if not row.title:
            if "title" not in row.formulas:
                row.problems.append(_("no title"))
        elif len(row.title) > 300:
            row.problems.append(_("the title is longer than 300 characters"))
        elif unprintable(row.title):
            row.problems.append(_("the title holds control characters"))
        else:
            key = row.title.casefold()
            if key in titles_seen:
                row.problems.append(
                    _("the title “%(title)s” is in row %(first)s too")
                    % {"title": row.title, "first": titles_seen[key]}
                )
            elif key in existing_titles:
                row.problems.append(_("the seminar has a topic “%s” already") % row.title)
            titles_seen.setdefault(key, row.line)

        row.year = _number(row, cell("year"), _("year"), 1800, 2100)
        row.url = cell("paper_link")
        if row.url:
            try:
                URLValidator()(row.url)
                validate_one_line(row.url)
                if len(row.url) > 500:
                    raise ValidationError("long")
            except ValidationError:
                row.problems.append(_("“%s” is not a web address") % row.url)

        email = cell("supervisor_email").lower()
        if not email:
            if "supervisor_email" not in row.formulas:
                row.problems.append(_("no supervisor (give a supervisor’s e-mail address)"))
        elif email in supervisors:
            row.supervisor = supervisors[email]
        elif email in {e.lower() for e in other_staff}:
            row.problems.append(
                _("%s is no supervisor of this seminar (add the role first)") % email
            )
        else:
            row.problems.append(_("%s is not on this seminar’s staff") % email)

        row.mock_group = _number(row, cell("mock_group"), _("group"), 1, MAX_GROUP)
        capacity = _number(row, cell("capacity"), _("capacity"), 1, MAX_CAPACITY)
        row.capacity = capacity if capacity is not None else 1

        day, slot_text = cell("session_date"), cell("slot")
        if day or slot_text:
            row.session = _session(row, day, sessions)
            row.slot = _number(row, slot_text, _("slot"), 1, 50)
            if bool(day) != bool(slot_text):
                row.problems.append(_("give both the session date and the slot, or neither"))
            elif row.session is not None and row.slot is not None:
                if row.slot > row.session.talk_slots:
                    row.problems.append(
                        _("slot %(slot)s, but the session on %(day)s has %(n)s talks")
                        % {"slot": row.slot, "day": row.session.date, "n": row.session.talk_slots}
                    )
                key = (row.session.pk, row.slot)
                if key in taken_slots:
                    row.problems.append(_("slot %s of that session is taken already") % row.slot)
                elif key in slots_seen:
                    row.problems.append(
                        _("slot %(slot)s of that session is in row %(first)s too")
                        % {"slot": row.slot, "first": slots_seen[key]}
                    )
                slots_seen.setdefault(key, row.line)

        for label in cell("materials").replace(",", ";").split(";"):
            label = label.strip()
            if not label:
                continue
            if label.isdigit() and int(label) in materials:
                row.materials.append(materials[int(label)])
            else:
                row.problems.append(_("no supplementary material number “%s”") % label)


def _cells(row: TopicRow):
    """The text of a cell; a formula is refused (a leading ' keeps it as text, as exported)."""

    def cell(name: str) -> str:
        value = row.cells.get(name, "")
        if value.startswith(FORMULA_STARTS):
            row.formulas.add(name)
            row.problems.append(
                _("%(column)s “%(value)s” is a formula; type the text itself")
                % {"column": name, "value": value[:60] + ("…" if len(value) > 60 else "")}
            )
            return ""
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]  # text that a spreadsheet shows as such (our export writes it)
        return value.strip()

    return cell


def _number(row: TopicRow, text: str, what: str, low: int, high: int) -> int | None:
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        row.problems.append(
            _("%(what)s “%(text)s” is not a whole number from %(low)s to %(high)s")
            % {"what": what, "text": text, "low": low, "high": high}
        )
        return None
    return int(text)


def _session(row: TopicRow, text: str, sessions: dict) -> object:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        row.problems.append(_("session date “%s” is not a date like 2027-03-06") % text)
        return None
    if day not in sessions:
        row.problems.append(_("the seminar has no session on %s") % day.isoformat())
        return None
    return sessions[day]


# --- Importing -------------------------------------------------------------------------------


def topic_list_import(*, seminar: Seminar, text: str, actor: User | None) -> list[Topic]:
    """Create every topic of the file, or none: the rows are checked again under the seminar's
    lock (another import or a hand edit may have come in between)."""
    with seminar_locked(seminar.pk) as locked:
        preview = topic_list_check(seminar=locked, text=text)
        if not preview.is_valid:
            raise Invalid(" ".join(preview.errors))
        created = []
        for row in preview.rows:
            topic = Topic.objects.create(
                seminar=locked,
                title=row.title,
                year=row.year,
                url=row.url,
                supervisor=row.supervisor,
                mock_group=row.mock_group,
                capacity=row.capacity,
                session=row.session,
                slot=row.slot,
            )
            topic.materials.set(row.materials)
            created.append(topic)
        activity_log(
            action="topics.imported",
            seminar=locked,
            obj=locked,
            new={"topics": [t.title for t in created]},
            actor=actor,
        )
    return created
