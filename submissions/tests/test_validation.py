"""What the file checks accept and refuse, with the words a student reads. No database."""

import io
import struct
import zipfile

import pytest

from submissions.enums import FileKind
from submissions.tests.factories import pdf_bytes, tar_gz_bytes, zip_bytes
from submissions.validation import Limits, Refused, download_name, inspect_file

MB = 1024 * 1024
LIMITS = Limits(
    max_pdf_bytes=20 * MB,
    max_archive_bytes=100 * MB,
    max_entries=1000,
    max_unpacked_bytes=500 * MB,
)
PDF_ONLY = frozenset({FileKind.PDF})
PROJECT = frozenset({FileKind.PDF, FileKind.ZIP, FileKind.TAR_GZ})
NOT_A_PDF = (
    "This file is not a PDF: its content does not start like one, whatever its name says. "
    "Upload the file itself, for example exported as PDF from your editor."
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def check(data: bytes, kinds=PDF_ONLY, limits=LIMITS, **pages):
    return inspect_file(io.BytesIO(data), kinds=kinds, limits=limits, **pages)


def refusal(data: bytes, kinds=PDF_ONLY, limits=LIMITS, **pages) -> str:
    with pytest.raises(Refused) as refused:
        check(data, kinds, limits, **pages)
    return refused.value.message


def test_pdf_is_accepted_with_its_page_count_and_checksum():
    data = pdf_bytes(3)
    facts = check(data, min_pages=2, max_pages=4)
    assert (facts.kind, facts.size, facts.pages) == (FileKind.PDF, len(data), 3)
    assert len(facts.sha256) == 64


@pytest.mark.parametrize(
    "data",
    [
        b"This is a plain text file, named report.pdf by its sender.\n",
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        PNG + b"<html><script>alert(document.cookie)</script></html>",
    ],
    ids=["text-named-pdf", "html", "png-with-html-appended"],
)
def test_content_that_is_not_a_pdf_is_refused_whatever_its_name(data):
    assert refusal(data) == NOT_A_PDF


def test_empty_file_is_refused():
    assert refusal(b"") == "The file is empty. Choose the file again and upload it."


def test_pdf_header_without_a_pdf_is_refused_as_damaged():
    assert refusal(b"%PDF-1.7\nnot really a pdf at all\n") == (
        "The file starts like a PDF but cannot be read as one; it may be damaged. "
        "Export it again as PDF and upload the new file."
    )


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        (1, "This PDF has 1 page; it must have 2 to 4 pages."),
        (5, "This PDF has 5 pages; it must have 2 to 4 pages."),
    ],
)
def test_report_page_count_outside_the_limits_is_refused_with_the_count(pages, message):
    assert refusal(pdf_bytes(pages), min_pages=2, max_pages=4) == message


@pytest.mark.parametrize("pages", [2, 4])
def test_report_page_count_at_the_limits_is_accepted(pages):
    assert check(pdf_bytes(pages), min_pages=2, max_pages=4).pages == pages


def test_pdf_above_the_size_limit_is_refused_with_both_sizes():
    small = Limits(max_pdf_bytes=MB, max_archive_bytes=MB, max_entries=10, max_unpacked_bytes=MB)
    data = pdf_bytes(1) + b"%" + b"x" * 2 * MB
    assert refusal(data, limits=small) == (
        "The file is 2.0 MB; a PDF may have at most 1 MB. Make it smaller (for example, leave "
        "out data sets or compress the images) and upload it again."
    )


def test_zip_and_tar_gz_are_accepted_for_the_project():
    assert check(zip_bytes(), PROJECT).kind == FileKind.ZIP
    assert check(tar_gz_bytes(), PROJECT).kind == FileKind.TAR_GZ
    assert check(pdf_bytes(1), PROJECT).kind == FileKind.PDF


def test_archive_is_refused_where_only_a_pdf_is_accepted():
    assert refusal(zip_bytes()) == NOT_A_PDF


def test_zip_with_a_parent_path_is_refused():
    data = zip_bytes({"project/../../etc/passwd": b"x"})
    assert refusal(data, PROJECT) == (
        "The archive contains a path that leads out of it (project/../../etc/passwd); "
        "remove the '..' and pack it again."
    )


def test_zip_with_an_absolute_path_is_refused():
    assert refusal(zip_bytes({"/etc/passwd": b"x"}), PROJECT) == (
        "The archive contains an absolute path (/etc/passwd); archives must hold relative "
        "paths only."
    )


def test_zip_with_a_link_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("project/data")
        link.external_attr = (0o120777 << 16) | 0x20  # a symbolic link, as zip -y stores it
        archive.writestr(link, "/home/student/secret")
    assert refusal(buffer.getvalue(), PROJECT) == (
        "The archive contains a link (project/data); links are not accepted. "
        "Pack the files themselves instead."
    )


def test_zip_bomb_is_refused_by_its_declared_size_without_extracting():
    data = bytearray(zip_bytes({"bomb.bin": b"0" * 1000}))
    # The central directory's "uncompressed size" of the only entry: 4 GB, declared.
    directory = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, directory + 24, 0xFFFF_FFF0)
    assert len(data) < 2000
    assert refusal(bytes(data), PROJECT) == (
        "The archive would unpack to more than 500 MB; leave out data sets and build output."
    )


def test_zip_with_too_many_entries_is_refused():
    data = zip_bytes({f"f{i}.txt": b"" for i in range(1001)})
    assert refusal(data, PROJECT) == (
        "The archive has more than 1,000 entries (1,001 or more); pack fewer files, for example "
        "without build output."
    )


def test_tar_gz_with_a_link_or_a_parent_path_is_refused():
    linked = tar_gz_bytes(links={"project/secret": "/etc/shadow"})
    assert refusal(linked, PROJECT) == (
        "The archive contains a link (project/secret); links are not accepted. "
        "Pack the files themselves instead."
    )
    assert refusal(tar_gz_bytes({"../evil.sh": b"x"}), PROJECT) == (
        "The archive contains a path that leads out of it (../evil.sh); "
        "remove the '..' and pack it again."
    )


def test_damaged_archives_are_refused():
    assert refusal(b"PK\x03\x04 broken", PROJECT) == (
        "The file starts like a .zip archive but cannot be read as one; it may be damaged."
    )
    assert refusal(b"\x1f\x8b\x08 broken", PROJECT) == (
        "The file starts like a .tar.gz archive but cannot be read as one; it may be damaged."
    )


@pytest.mark.parametrize(
    ("original", "kind", "expected"),
    [
        ("../../Zoë/Übung 1.pdf", FileKind.PDF, "Übung 1.pdf"),
        ("C:\\Users\\zoë\\..\\Bericht.PDF", FileKind.PDF, "Bericht.PDF"),
        ("..", FileKind.PDF, "report.pdf"),
        ("notes.txt", FileKind.PDF, "notes.txt.pdf"),
        ("code.tgz", FileKind.TAR_GZ, "code.tgz"),
        ("code", FileKind.ZIP, "code.zip"),
        ("evil\r\nX-Header: 1.pdf", FileKind.PDF, "evilX-Header: 1.pdf"),
    ],
)
def test_download_name_keeps_only_the_files_own_name(original, kind, expected):
    assert download_name(original, kind, fallback_stem="report") == expected
