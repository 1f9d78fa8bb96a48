"""Tests of the safe CSV helper every export uses (no database)."""

import csv
import io
from decimal import Decimal

import pytest

from seminar.spreadsheet import content_disposition, csv_response, csv_safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '=HYPERLINK("http://evil.example/","Click")',
            '\'=HYPERLINK("http://evil.example/","Click")',
        ),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("-1.7", "'-1.7"),  # negative numbers are neutralised too
        (Decimal("-1.7"), "'-1.7"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1+1", "'\r=1+1"),
        ("Zoë Müller", "Zoë Müller"),
        ("1.7", "1.7"),
        ("a=b", "a=b"),  # only the first character matters
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (2500001, "2500001"),
        (Decimal("1.7"), "1.7"),
    ],
)
def test_csv_safe_cell(value, expected):
    assert csv_safe_cell(value) == expected


def read_back(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_response_neutralises_every_cell_and_keeps_unicode():
    response = csv_response(
        filename="participants.csv",
        header=["name", "=note"],
        rows=[
            ["Zoë Ağaoğlu", '=HYPERLINK("http://evil.example/","x")'],
            ["Søren Ødegård", "+1"],
            ["Chidi Okafor", "-1"],
            ["Mei Zhang 张梅", "@SUM(A1)"],
            ["Tab", "\tx"],
            ["CR", "\ry"],
            ["Line\nbreak", "plain"],
        ],
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_back(response.content) == [
        ["name", "'=note"],
        ["Zoë Ağaoğlu", '\'=HYPERLINK("http://evil.example/","x")'],
        ["Søren Ødegård", "'+1"],
        ["Chidi Okafor", "'-1"],
        ["Mei Zhang 张梅", "'@SUM(A1)"],
        ["Tab", "'\tx"],
        ["CR", "'\ry"],
        ["Line\nbreak", "plain"],
    ]


def test_csv_response_lines_end_with_crlf():
    response = csv_response(filename="x.csv", header=["a"], rows=[["b"]])
    assert response.content == b"\xef\xbb\xbfa\r\nb\r\n"


def test_content_disposition_ascii_name():
    assert content_disposition("grades-ws-2022.csv") == (
        "attachment; filename=\"grades-ws-2022.csv\"; filename*=UTF-8''grades-ws-2022.csv"
    )


def test_content_disposition_non_ascii_name_has_a_fallback_and_the_utf8_name():
    assert content_disposition('Prüfungsamt "Noten"; Straße.csv') == (
        'attachment; filename="Prufungsamt _Noten__ Strae.csv"; '
        "filename*=UTF-8''Pr%C3%BCfungsamt%20%22Noten%22%3B%20Stra%C3%9Fe.csv"
    )


def test_content_disposition_name_without_ascii_letters_gets_a_generic_fallback():
    header = content_disposition("成绩.csv")
    assert header == (
        "attachment; filename=\"export.csv\"; filename*=UTF-8''%E6%88%90%E7%BB%A9.csv"
    )
