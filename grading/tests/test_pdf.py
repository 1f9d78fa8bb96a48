"""Tests of the grade-sheet PDF and of the fetcher that keeps WeasyPrint off the network."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader
from weasyprint import HTML

from grading.calculation import FAIL, PASSING
from grading.pdf import (
    CLOSING_ROWS,
    ROWS_FIRST_PAGE,
    ROWS_PER_PAGE,
    FetchRefused,
    StaticFilesFetcher,
    distribution_svg,
    expected_pages,
    grade_sheet_html,
    grade_sheet_pdf,
    html_to_pdf,
)
from grading.sheet import GradeSheet, GradeSheetRow

BASE_URL = "http://testserver/"
CSS_URL = "http://testserver/static/grading/grade_sheet.css"
MATRICULATION = re.compile(r"\b3\d{6}\b")


def make_sheet(students: int) -> GradeSheet:
    """Rows of one line each; the final grades cycle through the scale, every 7th fails."""
    rows = []
    for index in range(students):
        failed = index % 7 == 6
        final = FAIL if failed else PASSING[index % len(PASSING)]
        rows.append(
            GradeSheetRow(
                matriculation_number=f"{3_000_000 + index}",
                name=f"Student {index:04d} Ørsted",
                presentation="1.7",
                reports=("2.0", "2.3", None),
                participation="1.3",
                project="pass",
                final_grade=final,
                passed=not failed,
                note="",
            )
        )
    return GradeSheet(
        seminar_title="Deep Generative Diffusion Models",
        term="Winter term 2022/23",
        examiners=("Prof. Dr. Helena Brandt",),
        generated_at=dt.datetime(2023, 4, 20, 10, 15, tzinfo=dt.UTC),
        rows=tuple(rows),
    )


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def three_pages() -> tuple[GradeSheet, list[str]]:
    """Page 1 and 2 full of rows, two more rows on page 3 with the summary below them."""
    sheet = make_sheet(ROWS_FIRST_PAGE + ROWS_PER_PAGE + 2)
    pdf = grade_sheet_pdf(sheet, base_url=BASE_URL)
    assert pdf.startswith(b"%PDF-")
    return sheet, page_texts(pdf)


def test_grade_sheet_pdf_is_a_real_pdf_with_everything_on_it():
    sheet = make_sheet(2)
    pdf = grade_sheet_pdf(sheet, base_url=BASE_URL)
    assert (pdf[:5], pdf.rstrip()[-5:]) == (b"%PDF-", b"%%EOF")
    (text,) = page_texts(pdf)
    for expected in (
        "Grade sheet",
        "Deep Generative Diffusion Models",
        "Winter term 2022/23",
        "Prof. Dr. Helena Brandt",
        "2023-04-20 12:15",  # Berlin time
        "Page 1 of 1",  # the stylesheet's page counter: the CSS was fetched
        "Summary",
        "Distribution of final grades",
        "Date",
    ):
        assert expected in text


def test_grade_sheet_pdf_has_every_name_and_final_grade(three_pages):
    sheet, pages = three_pages
    lines = {
        match.group(): line
        for line in "\n".join(pages).splitlines()
        if (match := MATRICULATION.search(line))
    }
    assert len(lines) == len(sheet.rows)
    for row in sheet.rows:
        line = lines[row.matriculation_number]
        result = "passed" if row.passed else "failed"
        assert f"{row.name} 1.7 2.0 2.3 – 1.3 pass {row.final_grade} {result}" in line


def test_grade_sheet_pdf_page_count_fits_the_rows(three_pages):
    sheet, pages = three_pages
    per_page = [len(MATRICULATION.findall(text)) for text in pages]
    assert per_page == [ROWS_FIRST_PAGE, ROWS_PER_PAGE, 2]
    assert "Summary" in pages[2]


@pytest.mark.parametrize(
    ("students", "pages"),
    [
        (1, 1),
        (ROWS_FIRST_PAGE - CLOSING_ROWS, 1),  # the summary just fits below the table
        (ROWS_FIRST_PAGE - CLOSING_ROWS + 1, 2),  # it does not: the summary is on page 2
        (ROWS_FIRST_PAGE, 2),
        (ROWS_FIRST_PAGE + ROWS_PER_PAGE - CLOSING_ROWS, 2),
        (ROWS_FIRST_PAGE + ROWS_PER_PAGE - CLOSING_ROWS + 1, 3),
        (ROWS_FIRST_PAGE + ROWS_PER_PAGE, 3),
    ],
)
def test_grade_sheet_pdf_expected_pages(students, pages):
    texts = page_texts(grade_sheet_pdf(make_sheet(students), base_url=BASE_URL))
    assert (len(texts), expected_pages(students)) == (pages, pages)
    assert "Summary" in texts[-1]
    assert "Summary" not in "".join(texts[:-1])


def test_grade_sheet_pdf_repeats_the_header_and_numbers_pages(three_pages):
    _, pages = three_pages
    for number, text in enumerate(pages, start=1):
        assert "Matr. no. Name" in text
        assert f"Page {number} of 3" in text
    # From page 2 on, the running header names the seminar and term.
    assert "Deep Generative Diffusion Models · Winter term 2022/23" in pages[1]


def test_grade_sheet_pdf_summary(three_pages):
    sheet, pages = three_pages
    summary = sheet.summary()
    assert (summary.count, summary.passed, summary.failed) == (106, 91, 15)
    assert "106 91 15 0" in pages[-1]


def test_grade_sheet_html_escapes_names():
    sheet = make_sheet(1)
    row = sheet.rows[0]
    evil = GradeSheet(
        "<script>x</script>",
        sheet.term,
        ("<b>Dr. X</b>",),
        sheet.generated_at,
        (GradeSheetRow(**{**row.__dict__, "name": "<img src=x>"}),),
    )
    html = grade_sheet_html(evil)
    assert ("<img src=x>" in html, "&lt;img src=x&gt;" in html) == (False, True)
    assert ("<script>" in html, "<b>Dr. X</b>" in html) == (False, False)


def test_distribution_svg_draws_a_bar_per_grade():
    counts = dict.fromkeys([*PASSING, FAIL], 0) | {Decimal("1.7"): 4, Decimal("5.0"): 2}
    svg = str(distribution_svg(counts))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert (svg.count("<rect "), svg.count('class="fail"')) == (11, 1)
    assert 'height="90.0"' in svg  # the tallest bar fills the plot
    assert 'height="45.0"' in svg  # half as many students, half as tall


def test_distribution_svg_without_grades_has_flat_bars():
    svg = str(distribution_svg(dict.fromkeys([*PASSING, FAIL], 0)))
    assert svg.count('height="0"') == 11


# --- the URL fetcher ---------------------------------------------------------------------------


def test_fetcher_serves_the_sheets_stylesheet_from_the_static_files():
    response = StaticFilesFetcher(BASE_URL).fetch(CSS_URL)
    expected = (Path(settings.BASE_DIR) / "static" / "grading" / "grade_sheet.css").read_bytes()
    assert (response.read(), response.content_type) == (expected, "text/css")


def test_fetcher_serves_collected_files_from_static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "grading").mkdir()
    (tmp_path / "grading" / "grade_sheet.0123abcd.css").write_text("body { color: red }")
    response = StaticFilesFetcher(BASE_URL).fetch(
        "http://testserver/static/grading/grade_sheet.0123abcd.css"
    )
    assert response.read() == b"body { color: red }"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/static/grading/grade_sheet.css",  # another host
        "http://testserver:8080/static/grading/grade_sheet.css",  # another port
        "https://testserver/static/grading/grade_sheet.css",  # another scheme
        "http://testserver/media/private/report.pdf",
        "http://testserver/static/grading/no-such-file.css",
        "http://testserver/static/../config/settings.py",
        "http://testserver/static/%2e%2e/config/settings.py",
        "http://testserver/static/grading/../../config/settings.py",
        "http://testserver/static//etc/passwd",
        "http://testserver/static/",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(FetchRefused):
        StaticFilesFetcher(BASE_URL).fetch(url)


def test_fetcher_needs_an_absolute_base_url():
    with pytest.raises(ValueError):
        StaticFilesFetcher("/")


OUTSIDE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="http://example.org/evil.css">
<style>@import url("http://example.org/imported.css");
body { background: url("http://example.org/bg.png") }</style></head>
<body><p>Outside</p><img src="http://example.org/x.png"><img src="file:///etc/hostname">
</body></html>"""


@pytest.fixture
def network_attempts(monkeypatch) -> list:
    """Every attempt to resolve or connect, recorded and refused."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_html_to_pdf_makes_no_network_request(network_attempts):
    pdf = html_to_pdf(OUTSIDE, base_url=BASE_URL)
    assert (page_texts(pdf), network_attempts) == (["Outside"], [])


def test_weasyprint_default_fetcher_would_reach_out(network_attempts):
    """The negative control: the same HTML without our fetcher tries the network."""
    HTML(string=OUTSIDE, base_url=BASE_URL).write_pdf()
    assert network_attempts


def test_grade_sheet_pdf_with_static_files_on_another_host_reads_them_from_disk(
    settings, network_attempts
):
    settings.STATIC_URL = "https://cdn.example.org/static/"
    (text,) = page_texts(grade_sheet_pdf(make_sheet(1), base_url=BASE_URL))
    assert ("Page 1 of 1" in text, network_attempts) == (True, [])


def test_grade_sheet_pdf_prints_the_note_below_the_name():
    sheet = make_sheet(1)
    row = GradeSheetRow(
        **{**sheet.rows[0].__dict__, "note": "missing attendance of session 2"}
        | {"final_grade": FAIL, "passed": False}
    )
    noted = GradeSheet(sheet.seminar_title, sheet.term, (), sheet.generated_at, (row,))
    (text,) = page_texts(grade_sheet_pdf(noted, base_url=BASE_URL))
    assert f"{row.name}\nmissing attendance of session 2" in text


def test_fetcher_keeps_collected_files_inside_static_root(settings, tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link").symlink_to(tmp_path)
    settings.STATIC_ROOT = root
    with pytest.raises(FetchRefused):
        StaticFilesFetcher(BASE_URL).fetch("http://testserver/static/link/secret.txt")
