"""Is an uploaded file what the deliverable expects? Decided before anything is stored.

Pure checks on a file object, no database. The kind of a file is found from its content (its
first bytes), never from its name. Files are read in chunks or by seeking, never whole into
memory: a PDF through pypdf, a .zip through its central directory, a .tar.gz as a stream whose
entries are listed without extracting anything.
"""

import hashlib
import re
import tarfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.formats import get_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from submissions.enums import FileKind

CHUNK = 1024 * 1024
MB = 1024 * 1024

# The messages a student reads are in their language (gettext); the archive checks' rarer
# messages stay English.
_NOT_OF_KIND = {
    frozenset({FileKind.PDF}): gettext_lazy(
        "This file is not a PDF: its content does not start like one, whatever its name says. "
        "Upload the file itself, for example exported as PDF from your editor."
    ),
    frozenset({FileKind.PDF, FileKind.ZIP, FileKind.TAR_GZ}): gettext_lazy(
        "This file is not a PDF, a .zip or a .tar.gz archive: its content does not start like "
        "one, whatever its name says. Upload the file itself, for example exported as PDF from "
        "your editor."
    ),
}
_NOT_ACCEPTED = gettext_lazy(
    "This file is not of an accepted kind: its content does not start like one, whatever its "
    "name says. Upload the file itself, for example exported as PDF from your editor."
)
_SUFFIXES = {FileKind.PDF: (".pdf",), FileKind.ZIP: (".zip",), FileKind.TAR_GZ: (".tar.gz", ".tgz")}
_S_IFMT, _S_IFLNK = 0o170000, 0o120000


class Refused(Exception):
    """The file is not accepted; the message says why, in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_pdf_bytes: int
    max_archive_bytes: int
    max_entries: int
    max_unpacked_bytes: int


@dataclass(frozen=True)
class FileFacts:
    kind: str  # a FileKind value
    size: int
    pages: int | None
    sha256: str


def inspect_file(
    file: BinaryIO,
    *,
    kinds: frozenset[str],
    limits: Limits,
    min_pages: int | None = None,
    max_pages: int | None = None,
) -> FileFacts:
    """The facts of an acceptable file; `Refused` with the reason otherwise."""
    size = file.seek(0, 2)
    if size == 0:
        raise Refused(gettext("The file is empty. Choose the file again and upload it."))
    file.seek(0)
    kind = sniff(file.read(8))
    file.seek(0)
    if kind not in kinds:
        raise Refused(str(_NOT_OF_KIND.get(frozenset(kinds), _NOT_ACCEPTED)))
    limit = limits.max_pdf_bytes if kind == FileKind.PDF else limits.max_archive_bytes
    if size > limit:
        raise Refused(too_large_message(kind, size, limit))
    pages = None
    if kind == FileKind.PDF:
        pages = _pdf_pages(file)
        _pages_check(pages, min_pages, max_pages)
    elif kind == FileKind.ZIP:
        _zip_check(file, limits)
    else:
        _tar_gz_check(file, limits)
    return FileFacts(kind=kind, size=size, pages=pages, sha256=_sha256(file))


def sniff(head: bytes) -> str | None:
    """The kind of file its first bytes announce, or None."""
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return FileKind.ZIP
    if head.startswith(b"\x1f\x8b"):
        return FileKind.TAR_GZ
    return None


def too_large_message(kind: str, size: int, limit: int) -> str:
    if kind == FileKind.PDF:
        text = gettext(
            "The file is %(size)s MB; a PDF may have at most %(limit)s MB. Make it smaller (for "
            "example, leave out data sets or compress the images) and upload it again."
        )
    else:
        text = gettext(
            "The file is %(size)s MB; an archive may have at most %(limit)s MB. Make it smaller "
            "(for example, leave out data sets or compress the images) and upload it again."
        )
    separator = get_format("DECIMAL_SEPARATOR")
    return text % {
        "size": _mb(size).replace(".", separator),
        "limit": _mb(limit).replace(".", separator),
    }


def download_name(original: str, kind: str, *, fallback_stem: str) -> str:
    """The name a download gets: the student's own file name without any folder part or
    control characters, ending the way its content is."""
    name = re.split(r"[/\\]", original)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    suffixes = _SUFFIXES[kind]
    if not name.lower().endswith(suffixes):
        name = f"{name or fallback_stem}{suffixes[0]}"
    if len(name) > 150:
        suffix = next(s for s in suffixes if name.lower().endswith(s))
        name = name[: 150 - len(suffix)] + suffix
    return name


def _pdf_pages(file: BinaryIO) -> int:
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise Refused(
                gettext(
                    "The PDF is protected by a password, so your supervisor could not open it. "
                    "Save it without a password and upload it again."
                )
            )
        pages = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise Refused(
            gettext(
                "The file starts like a PDF but cannot be read as one; it may be damaged. "
                "Export it again as PDF and upload the new file."
            )
        ) from error
    finally:
        file.seek(0)
    if pages == 0:
        raise Refused(gettext("The PDF has no pages."))
    return pages


def _pages_check(pages: int, min_pages: int | None, max_pages: int | None) -> None:
    if (min_pages is None or pages >= min_pages) and (max_pages is None or pages <= max_pages):
        return
    if min_pages is not None and max_pages is not None:
        wanted = gettext("%(least)d to %(most)d pages") % {"least": min_pages, "most": max_pages}
        if min_pages == max_pages:
            wanted = ngettext("exactly %(n)d page", "exactly %(n)d pages", min_pages) % {
                "n": min_pages
            }
    elif min_pages is not None:
        wanted = gettext("at least %(n)d pages") % {"n": min_pages}
    else:
        wanted = gettext("at most %(n)d pages") % {"n": max_pages}
    found = ngettext("%(n)d page", "%(n)d pages", pages) % {"n": pages}
    if (min_pages is not None and pages < min_pages) or (
        max_pages is not None and pages > max_pages
    ):
        raise Refused(
            gettext("This PDF has %(found)s; it must have %(wanted)s.")
            % {"found": found, "wanted": wanted}
        )


def _zip_check(file: BinaryIO, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(file) as archive:  # reads the central directory only
            entries = archive.infolist()
            if len(entries) > limits.max_entries:
                raise Refused(_too_many(len(entries), limits))
            unpacked = 0
            for entry in entries:
                _entry_name_check(entry.filename)
                if (entry.external_attr >> 16) & _S_IFMT == _S_IFLNK:
                    raise Refused(_link(entry.filename))
                unpacked += entry.file_size
                if unpacked > limits.max_unpacked_bytes:
                    raise Refused(_too_big_unpacked(limits))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise Refused(_damaged("zip")) from error
    finally:
        file.seek(0)


def _tar_gz_check(file: BinaryIO, limits: Limits) -> None:
    """Walk the entries' headers as a stream; stops at the first problem, before reading the
    data of an entry that would break the limits."""
    try:
        with tarfile.open(fileobj=file, mode="r|gz") as archive:
            unpacked = 0
            for count, entry in enumerate(archive, start=1):
                if count > limits.max_entries:
                    raise Refused(_too_many(count, limits))
                _entry_name_check(entry.name)
                if entry.issym() or entry.islnk():
                    raise Refused(_link(entry.name))
                if not (entry.isfile() or entry.isdir()):
                    raise Refused(
                        f"The archive contains a special file ({_shown(entry.name)}); "
                        "only files and folders are accepted."
                    )
                unpacked += entry.size
                if unpacked > limits.max_unpacked_bytes:
                    raise Refused(_too_big_unpacked(limits))
    except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError) as error:
        raise Refused(_damaged("tar.gz")) from error
    finally:
        file.seek(0)


def _entry_name_check(name: str) -> None:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise Refused(
            f"The archive contains an absolute path ({_shown(name)}); "
            "archives must hold relative paths only."
        )
    if ".." in re.split(r"[/\\]", name):
        raise Refused(
            f"The archive contains a path that leads out of it ({_shown(name)}); "
            "remove the '..' and pack it again."
        )


def _sha256(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _too_many(count: int, limits: Limits) -> str:
    return (
        f"The archive has more than {limits.max_entries:,} entries ({count:,} or more); "
        "pack fewer files, for example without build output."
    )


def _too_big_unpacked(limits: Limits) -> str:
    return (
        f"The archive would unpack to more than {_mb(limits.max_unpacked_bytes)} MB; "
        "leave out data sets and build output."
    )


def _link(name: str) -> str:
    return (
        f"The archive contains a link ({_shown(name)}); links are not accepted. "
        "Pack the files themselves instead."
    )


def _damaged(kind: str) -> str:
    return f"The file starts like a .{kind} archive but cannot be read as one; it may be damaged."


def _shown(name: str) -> str:
    return name if len(name) <= 80 else f"{name[:77]}..."


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
