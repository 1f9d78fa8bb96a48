"""CSV for spreadsheet programs: UTF-8 with a BOM, and no cell that a spreadsheet would run.

A cell that begins with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice (OWASP "CSV injection"): such a cell gets a leading single quote, which spreadsheet
programs show as text. Negative numbers written as text ("-1.7") are quoted too.
"""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A CSV download: UTF-8 with a BOM (so spreadsheet programs read the encoding right),
    every cell neutralised, and the file name as RFC 6266 wants it (ASCII and UTF-8)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe_cell(cell) for cell in row])
    return response
