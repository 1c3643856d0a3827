"""What an uploaded file really is, whatever its name and the browser's claim.

Every upload form checks size, extension and declared type itself, then `content_problem`:
a CSV, JSON or text file must decode as text (no NUL bytes, hardly any control characters),
an XLSX or DOCX must be a zip holding the parts that make it one, an ODS or ODT a zip that
names its own type. The answer names the file and the problem, or is None when it is fine.
"""

from __future__ import annotations

import codecs
import zipfile
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

TEXT_SAMPLE_BYTES = 64 * 1024
# More control characters than this share of a text sample: a binary file.
CONTROL_SHARE = 0.01
TEXT_SUFFIXES = frozenset({".csv", ".json", ".txt"})
ZIP_PARTS = {
    ".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    ".docx": ("[Content_Types].xml", "word/document.xml"),
}
OPENDOCUMENT_TYPES = {
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odt": b"application/vnd.oasis.opendocument.text",
}
NOT_THE_KIND = {
    ".xlsx": _lazy("%(file)s is not an XLSX workbook."),
    ".docx": _lazy("%(file)s is not a DOCX document."),
    ".ods": _lazy("%(file)s is not an OpenDocument spreadsheet."),
    ".odt": _lazy("%(file)s is not an OpenDocument text."),
}
ALLOWED_CONTROLS = frozenset("\t\n\r\f")
# What browsers and operating systems send for a .csv file.
CSV_CONTENT_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "application/csv",
        "text/comma-separated-values",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)


def declared_type(upload: Any) -> str:
    return str(getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()


def _head(upload: IO[bytes], size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return bytes(head)


def _decoded(sample: bytes) -> str | None:
    """The sample as text (UTF-16 with its BOM, UTF-8, else Windows-1252), or None."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")(errors="strict")
    elif b"\x00" in sample:
        return None
    else:
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        return str(decoder.decode(sample, final=False))
    except UnicodeDecodeError:
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None
        return sample.decode("cp1252", errors="replace")


def text_problem(upload: IO[bytes], name: str) -> str | None:
    text = _decoded(_head(upload, TEXT_SAMPLE_BYTES))
    if text is not None:
        controls = sum(
            1 for ch in text if (ord(ch) < 32 or ord(ch) == 127) and ch not in ALLOWED_CONTROLS
        )
        if controls <= CONTROL_SHARE * max(len(text), 1):
            return None
    return _("%(file)s is not a text file: it contains binary data.") % {"file": name}


def zip_problem(upload: IO[bytes], name: str, suffix: str) -> str | None:
    not_it = str(NOT_THE_KIND[suffix]) % {"file": name}
    if not _head(upload, 4).startswith(b"PK\x03\x04"):
        return not_it
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:  # type: ignore[arg-type]
            names = set(archive.namelist())
            for part in ZIP_PARTS.get(suffix, ()):
                if part not in names:
                    return _("%(problem)s It has no %(part)s part.") % {
                        "problem": not_it,
                        "part": part,
                    }
            if suffix in OPENDOCUMENT_TYPES and (
                "mimetype" not in names
                or archive.read("mimetype").strip() != OPENDOCUMENT_TYPES[suffix]
            ):
                return not_it
    except (zipfile.BadZipFile, OSError, EOFError):
        return _("%(file)s is a damaged zip file.") % {"file": name}
    finally:
        upload.seek(0)
    return None


def content_problem(upload: Any, suffix: str, name: str | None = None) -> str | None:
    """Why the content of `upload` is not what its extension `suffix` says, or None."""
    name = name if name is not None else str(getattr(upload, "name", "") or "")
    suffix = suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return text_problem(upload, name)
    if suffix in ZIP_PARTS or suffix in OPENDOCUMENT_TYPES:
        return zip_problem(upload, name, suffix)
    return None


def csv_upload_problem(upload: Any) -> str | None:
    """Extension, declared type and content of an upload that must be a CSV file."""
    name = str(getattr(upload, "name", "") or "")
    if not name.lower().endswith(".csv"):
        return _("%(file)s: only .csv files can be imported here.") % {"file": name}
    if declared_type(upload) not in CSV_CONTENT_TYPES:
        return _("%(file)s: its type (%(type)s) does not match its extension.") % {
            "file": name,
            "type": declared_type(upload) or "?",
        }
    return content_problem(upload, ".csv", name)
