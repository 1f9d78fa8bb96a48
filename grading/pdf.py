"""The grade sheet as a PDF, rendered by WeasyPrint from `templates/grading/grade_sheet.html`.

WeasyPrint fetches nothing but the site's own static files: `StaticFilesFetcher` serves URLs under
STATIC_URL (resolved against `base_url`) from Django's static files, through the finders and
then STATIC_ROOT, and refuses every other URL (other hosts, file:, data:, "..") without touching
the network. A refused resource is left out of the PDF and WeasyPrint logs a warning.

Layout (A4 portrait, see static/grading/grade_sheet.css): seminar, term and examiners on the
first page, seminar and term in the running header of the others; one row per student (its note,
if any, on a second line below the name); the table header repeated on every page; "Page X of Y"
at the foot; then the summary, the grade distribution as an inline SVG bar chart, and signature
lines for each examiner and the date.
"""

from __future__ import annotations

import mimetypes
import posixpath
from decimal import Decimal
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from grading.calculation import FAIL
from grading.sheet import (
    GradeSheet,
    format_generated_at,
    format_grade,
    format_mean,
    format_project,
    format_reports,
    format_result,
)

TEMPLATE: Final = "grading/grade_sheet.html"
# Named by its plain static path (not `{% static %}`, which may add a hash or another host), so
# the fetcher finds it through the finders whatever the static files storage.
STYLESHEET: Final = "grading/grade_sheet.css"
# What the stylesheet gives for rows of one line each (measured, and checked by the tests): the
# first page holds fewer rows because the sheet's heading sits above the table; the closing part
# (summary, chart, signatures) needs the height of CLOSING_ROWS rows, or it starts a new page.
ROWS_FIRST_PAGE: Final = 49
ROWS_PER_PAGE: Final = 55
CLOSING_ROWS: Final = 19


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of the site's static files."""


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only the site's static files, from disk."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)
        if not urlsplit(self.static_prefix).scheme:
            raise ValueError(f"base_url must be an absolute URL, not {base_url!r}.")

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def static_path(self, url: str) -> Path:
        """The file on disk for a static URL; FetchRefused for anything else."""
        plain = url.split("#", 1)[0].split("?", 1)[0]
        if not plain.startswith(self.static_prefix):
            raise FetchRefused(f"Not one of the site's static files: {url}")
        name = unquote(plain[len(self.static_prefix) :])
        parts = name.split("/")
        if (
            not name
            or "\\" in name
            or "\0" in name
            or any(part in ("", ".", "..") for part in parts)
            or posixpath.normpath(name) != name
        ):
            raise FetchRefused(f"Not a static file name: {url}")
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            found = None
        if found and Path(found).is_file():
            return Path(found)
        # Collected files (e.g. hashed names) are read from STATIC_ROOT on disk, never through
        # the storage, which could be a remote one.
        if settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            collected = (root / name).resolve()
            if collected.is_relative_to(root) and collected.is_file():
                return collected
        raise FetchRefused(f"No such static file: {name}")


def expected_pages(rows: int) -> int:
    """How many pages a sheet of `rows` rows takes when each row is one line (a note, or a name
    too long for its column, adds a line to its row)."""
    if rows <= ROWS_FIRST_PAGE:
        pages, room = 1, ROWS_FIRST_PAGE - rows
    else:
        later = rows - ROWS_FIRST_PAGE
        pages = 1 + -(-later // ROWS_PER_PAGE)
        room = (pages - 1) * ROWS_PER_PAGE - later
    return pages + (room < CLOSING_ROWS)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Any HTML to PDF bytes, fetching only the site's static files."""
    return HTML(
        string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)
    ).write_pdf()


def grade_sheet_html(sheet: GradeSheet) -> str:
    """The sheet's HTML, with every value already formatted for print."""
    summary = sheet.summary()
    rows = [
        (
            row.matriculation_number,
            row.name,
            format_grade(row.presentation),
            format_reports(row.reports),
            format_grade(row.participation),
            format_project(row.project),
            format_grade(row.final_grade),
            format_result(row.passed),
            row.note,
            row.passed is False,
        )
        for row in sheet.rows
    ]
    context = {
        "sheet": sheet,
        "stylesheet": f"{settings.STATIC_URL}{STYLESHEET}",
        "rows": rows,
        "generated_at": format_generated_at(sheet.generated_at),
        "summary": summary,
        "graded": summary.passed + summary.failed,
        "mean": format_mean(summary.mean),
        "chart": distribution_svg(sheet.distribution()),
    }
    # For the exam office: always in English with a decimal point, whatever the organizer reads.
    with translation.override("en"):
        return render_to_string(TEMPLATE, context)


def grade_sheet_pdf(sheet: GradeSheet, *, base_url: str) -> bytes:
    """The grade sheet as PDF bytes. `base_url` is the site's root URL (a request's
    `build_absolute_uri("/")`, or SITE_URL in a task); it only anchors the static files."""
    return html_to_pdf(grade_sheet_html(sheet), base_url=base_url)


def grade_sheet_document(sheet: GradeSheet, *, base_url: str) -> Document:
    """The sheet laid out in pages, not yet written: `.write_pdf()` gives the bytes. For a
    task that reports its progress between the two steps."""
    return HTML(
        string=grade_sheet_html(sheet), base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)
    ).render()


def distribution_svg(distribution: dict[Decimal, int]) -> SafeString:
    """A bar chart of how many students got each grade, as inline SVG (drawn here, no script)."""
    slot, bar, top, plot, base = 40, 26, 14, 90, 18  # in SVG user units
    width = slot * len(distribution)
    highest = max(distribution.values(), default=0)
    bars = []
    for index, (grade, count) in enumerate(distribution.items()):
        height = round(plot * count / highest, 2) if highest else 0
        x = index * slot + (slot - bar) / 2
        y = top + plot - height
        middle = index * slot + slot / 2
        css_class = "fail" if grade == FAIL else "pass"
        bars.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                css_class,
                x,
                y,
                bar,
                height,
                middle,
                y - 3,
                count,
                middle,
                top + plot + 12,
                grade,
            )
        )
    axis = format_html(
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#333" stroke-width="0.8"/>',
        top + plot,
        width,
        top + plot,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'role="img" aria-label="Number of students per final grade">'
        "<style>rect.pass{{fill:#5b7fa6}} rect.fail{{fill:#b04a4a}} "
        "text{{font-family:'DejaVu Sans',sans-serif;font-size:9px;fill:#222}}</style>"
        "{}{}</svg>",
        width,
        top + plot + base,
        axis,
        format_html_join("", "{}", ((b,) for b in bars)),
    )
