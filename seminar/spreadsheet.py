"""CSV files that spreadsheet programs open safely: every CSV export goes through here.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return could be run as a formula
by Excel or LibreOffice (OWASP "CSV injection"); such a cell gets a leading single quote, which
the spreadsheet shows as text. This also applies to negative numbers: "-1.7" is written as
"'-1.7". The file is UTF-8 with a byte-order mark, so that Excel reads non-ASCII names right.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import quote

from django.http import HttpResponse

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
BOM: Final = "\ufeff"


def csv_safe_cell(value: Any) -> str:
    """The cell's text, with a leading single quote if a spreadsheet could read it as a formula.

    None becomes an empty cell; everything else is `str(value)`.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def content_disposition(filename: str) -> str:
    """An RFC 6266 attachment header: an ASCII fallback name and the UTF-8 name (RFC 5987)."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c if c.isprintable() and c not in '"\\/;' else "_" for c in fallback)
    stem, dot, extension = fallback.rpartition(".") if "." in fallback else (fallback, "", "")
    fallback = (stem.strip(" .") or "export") + dot + extension
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def csv_text(*, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The CSV text (without BOM), every cell through `csv_safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: comma, double quotes, CRLF line ends
    writer.writerow([csv_safe_cell(cell) for cell in header])
    writer.writerows([csv_safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_response(
    *, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A CSV download: UTF-8 with a BOM, `text/csv; charset=utf-8`, every cell neutralised."""
    body = BOM + csv_text(header=header, rows=rows)
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    return response
