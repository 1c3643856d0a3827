"""Bulk import of organizations and their cluster memberships from CSV or XLSX files.

Entry point (the command, the UI and `bench/registry.py` all call it)::

    report = import_organizations(
        source,          # a path, or a seekable binary file object
        mapping=None,    # {"file header": "field"}; "" ignores a column; the rest is auto-mapped
        dry_run=True,    # True: check and preview only; False: write, all or nothing
        actor=None,      # who imports: a cluster manager may only name the clusters they manage
        cluster=None,    # a Cluster that every row joins (role/status/since from the row)
        progress=None,   # called with the number of rows read so far, once per chunk
        filename=None,   # the original file name, when `source` is a file object
    )

The `ImportReport` it returns holds the counts (rows, created, updated, unchanged, errors),
every problem as (file line, column, message), a preview of the first rows to be created,
updated or left unchanged, the encoding and delimiter detected and the elapsed time;
`report.to_dict()` is JSON-safe.

Reading. XLSX (first sheet, openpyxl read-only) or CSV. A CSV is decoded as UTF-8 (a BOM is
dropped; UTF-16 with a BOM too), else Windows-1252, else Latin-1; the delimiter (`;`, `,` or
tab) is taken from the header line. Blank rows are skipped. Rows are streamed in chunks of
CHUNK_SIZE: memory does not grow with the file, except for the hashed natural keys kept to
find duplicates inside it (about 200 bytes a row: ~20 MB for 100,000 rows).

Columns. The canonical columns are `COLUMNS`: the organization's editable fields, plus
`competences` and `s3_themes` (codes or names, separated by `|` or `;`), `clusters` (slugs or
names), `membership_role`, `membership_status` and `member_since`. Headers are mapped by name
and by common Italian and English synonyms (see `SYNONYMS`); `name` and `kind` are required.
An empty cell means "no value": it never erases what is stored.

Natural keys. A row is the organization with its VAT number, else its PIC, else its normalised
name and postcode. A matched organization is updated (its `version` bumped) only when a value
differs; otherwise it is counted as unchanged and not written, so importing a file twice
changes nothing. Memberships are created or updated as `membership_upsert` does.

Writing. Everything happens in one transaction, in batches (bulk inserts and updates, the
search text computed in Python). If any row has a problem, nothing is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from analytics.textnorm import normalize_name, normalize_words
from clusterhub.matchmaking.hooks import match_index_rebuild_soon
from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.regions.selectors import TerritoryLocator
from clusterhub.registry.identifiers import clean_pic, clean_vat_number
from clusterhub.registry.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    SizeClass,
)
from clusterhub.registry.selectors import clusters_managed_by
from clusterhub.registry.services import EDITABLE_FIELDS, search_text_from

CHUNK_SIZE = 1000
PREVIEW_ROWS = 20
MAX_REPORTED_ERRORS = 1000
SAMPLE_BYTES = 64 * 1024

MEMBERSHIP_COLUMNS = ("clusters", "membership_role", "membership_status", "member_since")
COLUMNS = (*EDITABLE_FIELDS, "competences", "s3_themes", *MEMBERSHIP_COLUMNS)
REQUIRED_COLUMNS = ("name", "kind")

# Header synonyms, compared after `_key()` (lower case, no accents, words split on punctuation).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "nome",
        "ragione sociale",
        "denominazione",
        "organization",
        "organisation",
        "organizzazione",
        "company",
        "company name",
        "legal name",
        "azienda",
        "ente",
    ),
    "kind": (
        "tipo",
        "tipologia",
        "type",
        "organization type",
        "tipo organizzazione",
        "tipo ente",
        "category",
        "categoria",
    ),
    "htn_accredited": (
        "htn",
        "accreditato htn",
        "accreditamento htn",
        "accredited",
        "accreditato",
        "rete alta tecnologia",
    ),
    "vat_number": ("vat", "partita iva", "p iva", "piva", "iva", "vat no", "vat code"),
    "pic": ("eu pic", "codice pic", "participant identification code"),
    "ateco_code": ("ateco", "codice ateco", "nace", "nace code", "codice nace", "ateco nace"),
    "size_class": (
        "size",
        "dimensione",
        "classe dimensionale",
        "employees",
        "dipendenti",
        "addetti",
        "numero dipendenti",
        "n dipendenti",
    ),
    "street": ("address", "indirizzo", "via", "sede"),
    "postcode": ("cap", "postal code", "zip", "zip code", "codice postale", "post code"),
    "city": ("comune", "citta", "town", "localita", "municipality"),
    "country": ("paese", "nazione", "country code"),
    "website": ("web", "sito", "sito web", "url", "sito internet", "homepage", "web site"),
    "description": ("descrizione", "attivita", "profile", "profilo"),
    "competence_notes": ("other competences", "altre competenze", "note competenze"),
    "equipment": ("attrezzature", "strumentazione", "dotazioni"),
    "competences": ("competence", "competenze", "competenza"),
    "s3_themes": ("s3", "s3 theme", "temi s3", "tema s3", "ambiti s3", "ambito s3"),
    "clusters": ("cluster",),
    "membership_role": ("role", "ruolo", "ruolo nel cluster"),
    "membership_status": ("status", "stato adesione", "stato associativo"),
    "member_since": ("since", "socio dal", "aderente dal", "data adesione", "member from"),
}

# Values a spreadsheet may hold for the choice columns, besides the codes and labels.
KIND_SYNONYMS = {
    "laboratorio": "research_lab",
    "laboratorio di ricerca": "research_lab",
    "lab": "research_lab",
    "laboratorio htn": "research_lab",
    "centro per l innovazione": "innovation_centre",
    "centro innovazione": "innovation_centre",
    "innovation center": "innovation_centre",
    "universita": "university",
    "impresa": "firm",
    "azienda": "firm",
    "company": "firm",
    "enterprise": "firm",
    "utente finale": "final_user",
    "intermediario": "intermediary",
    "ente pubblico": "public_body",
    "pubblica amministrazione": "public_body",
    "associazione": "association",
}
SIZE_SYNONYMS = {
    "micro": "micro",
    "microimpresa": "micro",
    "piccola": "small",
    "piccola impresa": "small",
    "media": "medium",
    "media impresa": "medium",
    "grande": "large",
    "grande impresa": "large",
}
ROLE_SYNONYMS = {
    "socio": "member",
    "membro": "member",
    "consiglio": "board",
    "consigliere": "board",
    "associato": "associate",
}
STATUS_SYNONYMS = {
    "invitato": "invited",
    "attivo": "active",
    "sospeso": "suspended",
    "cessato": "ended",
    "terminato": "ended",
    "concluso": "ended",
}
TRUE_WORDS = {"1", "yes", "y", "true", "si", "vero", "x", "accreditato", "accredited"}
FALSE_WORDS = {"0", "no", "n", "false", "falso"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")

_NUMBER = re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?|[+-]?\d+\.\d+")
_FORMULA_PREFIXES = ("=", "+", "-", "@")
_CAP = re.compile(r"\d{5}")
_MARKUP = re.compile(r"[<>]")
_LIST_SEPARATOR = re.compile(r"[|;]")
_MARKUP_FIELDS = ("name", "street", "city")
_ORG_FIELDS = {f.name: f for f in Organization._meta.fields}
_url_validator = URLValidator()


def _key(text: str) -> str:
    return normalize_words(text)


@dataclass(frozen=True)
class ImportProblem:
    line: int | None  # line of the file (1 is the first); None for the file as a whole
    column: str  # the header as written in the file, or the expected column
    message: str


@dataclass
class ImportReport:
    source_name: str = ""
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, field or "")
    dry_run: bool = True
    committed: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_created: int = 0
    memberships_updated: int = 0
    error_count: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    preview: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"create": [], "update": [], "unchanged": []}
    )
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.elapsed if self.elapsed else 0.0

    def add_error(self, line: int | None, column: str, message: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(ImportProblem(line, column, str(message)))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["rows_per_second"] = round(self.rows_per_second)
        return data

    def summary(self) -> str:
        verb = _("would be") if not self.committed else _("were")
        return str(
            _(
                "%(rows)d rows (%(format)s%(encoding)s): %(created)d organizations %(verb)s "
                "created, %(updated)d updated, %(unchanged)d unchanged; %(errors)d errors; "
                "%(seconds).1f s."
            )
            % {
                "rows": self.rows,
                "format": self.format or "?",
                "encoding": f", {self.encoding}" if self.encoding else "",
                "created": self.created,
                "verb": verb,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "errors": self.error_count,
                "seconds": self.elapsed,
            }
        )


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, or a required column is missing)."""

    def __init__(self, message: Any, column: str = "", line: int | None = None) -> None:
        super().__init__(str(message))
        self.column = column
        self.line = line


# --- Reading ------------------------------------------------------------------------------


@dataclass
class Table:
    format: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (file line, cells as stripped text)


@contextmanager
def open_table(source: str | Path | IO[bytes], filename: str | None = None) -> Iterator[Table]:
    """Open a CSV or XLSX file for streaming; raise ImportFileError when it is not a table."""
    if isinstance(source, str | Path):
        with open(source, "rb") as stream, _open_stream(stream, filename or str(source)) as table:
            yield table
    else:
        source.seek(0)
        with _open_stream(source, filename or getattr(source, "name", "") or "") as table:
            yield table


@contextmanager
def _open_stream(stream: IO[bytes], filename: str) -> Iterator[Table]:
    head = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise ImportFileError(
            _("Old Excel .xls files cannot be read: save the sheet as .xlsx or CSV.")
        )
    if head.startswith(b"PK\x03\x04") or suffix == ".xlsx":
        with _xlsx_table(stream) as table:
            yield table
        return
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    encoding, label = _detect_encoding(stream, head)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")  # type: ignore[type-var]
    try:
        sample = head.decode(encoding, errors="ignore")
        if _looks_binary(sample):
            raise ImportFileError(
                _("The file is not a CSV or XLSX table: it contains binary data.")
            )
        delimiter = _sniff_delimiter(sample)
        reader = csv.reader(text, delimiter=delimiter)
        rows = _csv_rows(reader)
        yield Table("csv", label, delimiter, _first_row(rows), rows)
    finally:
        text.detach()  # the caller's stream stays open


def _detect_encoding(stream: IO[bytes], head: bytes) -> tuple[str, str]:
    """UTF-8 (or UTF-16 with its BOM) when the whole file decodes so, else Windows-1252, else
    Latin-1, which decodes anything."""
    if head.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8 (BOM)")]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]  # Excel's "Unicode text" export
    else:
        candidates = [("utf-8", "UTF-8")]
    candidates += [("cp1252", "Windows-1252"), ("latin-1", "Latin-1")]
    for encoding, label in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding, label
    raise AssertionError("Latin-1 decodes any byte")  # pragma: no cover


def _looks_binary(sample: str) -> bool:
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) // 100


def _sniff_delimiter(sample: str) -> str:
    for line in sample.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (";", ",", "\t")}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    line = 1
    try:
        for cells in reader:
            # A quoted cell may span lines: a row starts where the previous one ended.
            start, line = line, reader.line_num + 1
            if any(c.strip() for c in cells):
                yield start, [c.strip() for c in cells]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV is malformed near this line: %(error)s") % {"error": exc}, line=line
        ) from exc


@contextmanager
def _xlsx_table(stream: IO[bytes]) -> Iterator[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not data_only: a formula cell then reads as "=...", which the checks refuse.
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong sheet sizes
        rows = _xlsx_rows(sheet)
        yield Table("xlsx", "", "", _first_row(rows), rows)
    finally:
        workbook.close()


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(v) for v in values]
            if any(cells):
                yield line, cells
    except (SyntaxError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        # SyntaxError covers the XML parse errors of both ElementTree and lxml.
        raise ImportFileError(
            _("The workbook is damaged after this line and cannot be read."), line=line
        ) from exc


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _first_row(rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    for _line, cells in rows:
        return cells
    raise ImportFileError(_("The file has no header row."))


# --- Column mapping -----------------------------------------------------------------------


def suggest_mapping(headers: Iterable[str]) -> dict[str, str]:
    """The canonical column each header maps to by name or synonym ("" when none)."""
    lookup = {_key(c): c for c in COLUMNS}
    for column, words in SYNONYMS.items():
        lookup.update({_key(w): column for w in words})
    return {header: lookup.get(_key(header), "") for header in headers}


def read_headers(
    source: str | Path | IO[bytes], filename: str | None = None
) -> tuple[list[str], dict[str, str]]:
    """The file's headers and the suggested mapping, for the mapping step of the UI."""
    with open_table(source, filename) as table:
        return table.headers, suggest_mapping(table.headers)


def _column_fields(headers: list[str], mapping: dict[str, str] | None) -> list[str]:
    """The field of each column ("" for ignored ones); ImportFileError when unusable."""
    explicit = {_key(h): f for h, f in (mapping or {}).items()}
    unknown = sorted({f for f in explicit.values() if f and f not in COLUMNS})
    if unknown:
        raise ImportFileError(
            _("Unknown field %(field)s in the column mapping; the fields are: %(fields)s.")
            % {"field": ", ".join(unknown), "fields": ", ".join(COLUMNS)}
        )
    suggested = suggest_mapping(headers)
    fields = [explicit.get(_key(h), suggested[h]) for h in headers]
    for name in set(fields) - {""}:
        used = [h for h, f in zip(headers, fields, strict=True) if f == name]
        if len(used) > 1:
            raise ImportFileError(
                _("Columns %(columns)s all map to %(field)s; keep one or map the others elsewhere.")
                % {"columns": ", ".join(repr(u) for u in used), "field": name},
                column=name,
            )
    for name in REQUIRED_COLUMNS:
        if name not in fields:
            raise ImportFileError(
                _(
                    "The required column %(field)s is missing (a header such as %(examples)s, "
                    "or a column mapped to %(field)s)."
                )
                % {"field": name, "examples": ", ".join(repr(s) for s in SYNONYMS[name][:3])},
                column=name,
            )
    return fields


# --- Rows ---------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    values: dict[str, Any]  # organization fields given in this row
    columns: dict[str, str]  # field -> header, for messages
    competence_ids: frozenset[int] | None
    theme_ids: frozenset[int] | None
    cluster_ids: list[int]
    role: str
    status: str
    since: date | None
    # The row as an unsaved organization: built to validate it, saved when it is new.
    candidate: Organization | None = None

    @property
    def vat(self) -> str:
        return self.values.get("vat_number", "")

    @property
    def pic(self) -> str:
        return self.values.get("pic", "")

    @property
    def name_key(self) -> tuple[str, str]:
        return normalize_name(self.values["name"]), self.values.get("postcode", "")


def _choice_lookup(choices: type, synonyms: dict[str, str]) -> dict[str, str]:
    lookup = {}
    for code, label in choices.choices:  # type: ignore[attr-defined]
        lookup[_key(code)] = code
        for language in ("en", "it"):
            with translation.override(language):
                lookup[_key(str(label))] = code
    lookup.update({_key(k): v for k, v in synonyms.items()})
    return lookup


def _taxonomy_lookup(queryset: Iterable[Any]) -> tuple[dict[str, int], dict[int, tuple[str, str]]]:
    """By code and by name (a level-2 name wins over a level-1 one), and names by id."""
    by_text: dict[str, int] = {}
    names: dict[int, tuple[str, str]] = {}
    nodes = sorted(queryset, key=lambda n: n.level)
    for node in nodes:
        names[node.pk] = (node.name_it, node.name_en)
        by_text[_key(node.name_en)] = node.pk
        by_text[_key(node.name_it)] = node.pk
    for node in nodes:
        by_text[_key(node.code)] = node.pk
    return by_text, names


def _number(text: str) -> float | None:
    """A number written the Italian or English way ("1.250,5", "12,5", "12.5"), or None."""
    if not _NUMBER.fullmatch(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    return float(text)


def _unknown_choice(text: str, lookup: dict[str, str]) -> Any:
    return _("Unknown value %(value)s; expected one of: %(codes)s.") % {
        "value": repr(text[:80]),
        "codes": ", ".join(sorted(set(lookup.values()))),
    }


def _size_for_employees(count: float) -> str:
    if count < 10:
        return SizeClass.MICRO
    if count < 50:
        return SizeClass.SMALL
    if count < 250:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


class _RowReader:
    """Turns the cells of one row into checked values, reporting each problem."""

    def __init__(
        self,
        headers: list[str],
        fields: list[str],
        report: ImportReport,
        allowed_clusters: set[int] | None,
        cluster: Cluster | None,
    ) -> None:
        self.headers = headers
        self.fields = fields
        self.report = report
        self.allowed_clusters = allowed_clusters
        self.cluster = cluster
        self.kinds = _choice_lookup(OrganizationKind, KIND_SYNONYMS)
        self.sizes = _choice_lookup(SizeClass, SIZE_SYNONYMS)
        self.roles = _choice_lookup(MembershipRole, ROLE_SYNONYMS)
        self.statuses = _choice_lookup(MembershipStatus, STATUS_SYNONYMS)
        self.competences, self.competence_names = _taxonomy_lookup(Competence.objects.all())
        self.themes, self.theme_names = _taxonomy_lookup(S3Theme.objects.all())
        self.clusters: dict[str, int] = {}
        self.cluster_names: dict[int, str] = {}
        for c in Cluster.objects.all():
            self.cluster_names[c.pk] = c.slug
            for text in (c.name_en, c.name_it, c.short_name, c.slug):
                if text:
                    self.clusters[_key(text)] = c.pk

    def read(self, line: int, cells: list[str]) -> _Row | None:
        errors_before = self.report.error_count
        if len(cells) > len(self.headers) and any(cells[len(self.headers) :]):
            self.report.add_error(
                line,
                "",
                _(
                    "The row has %(cells)d cells but the header has %(headers)d: "
                    "is a delimiter missing its quotes?"
                )
                % {"cells": len(cells), "headers": len(self.headers)},
            )
            return None
        row = _Row(line, {}, {}, None, None, [], "", "", None)
        for header, name, text in zip(self.headers, self.fields, cells, strict=False):
            if not name or not text:
                continue
            row.columns[name] = header
            problem = self._read_cell(row, name, text)
            if problem:
                self.report.add_error(line, header, problem)
        for name in REQUIRED_COLUMNS:
            if name not in row.columns:
                header = self.headers[self.fields.index(name)]
                self.report.add_error(line, header, _("A value is required."))
        self._check_model_fields(row)
        if self.cluster is not None and self.cluster.pk not in row.cluster_ids:
            row.cluster_ids.append(self.cluster.pk)
        # (Not when the clusters cell is there but wrong: that cell's problem is reported.)
        if (
            (row.role or row.status or row.since)
            and not row.cluster_ids
            and "clusters" not in row.columns
        ):
            column = next(row.columns[f] for f in MEMBERSHIP_COLUMNS[1:] if f in row.columns)
            self.report.add_error(
                line, column, _("A membership needs a cluster: fill in clusters.")
            )
        return row if self.report.error_count == errors_before else None

    def _read_cell(self, row: _Row, name: str, text: str) -> Any:
        """Store the value of one cell in `row`; return the problem, if any."""
        if text.startswith(_FORMULA_PREFIXES) and _number(text) is None:
            return _(
                "%(value)s looks like a spreadsheet formula; formulas are refused "
                "(remove the leading %(char)s)."
            ) % {"value": repr(text[:40]), "char": repr(text[0])}
        if name in _MARKUP_FIELDS and _MARKUP.search(text):
            return _("Must not contain '<' or '>': HTML markup is not allowed here.")
        if name == "kind":
            return self._choice(row, name, text, self.kinds)
        if name == "size_class":
            count = _number(text)
            if count is not None:
                if count < 0:
                    return _("A number of employees cannot be negative.")
                row.values[name] = _size_for_employees(count)
                return None
            return self._choice(row, name, text, self.sizes)
        if name == "htn_accredited":
            word = _key(text)
            if word not in TRUE_WORDS | FALSE_WORDS:
                return _("%(value)s is not yes or no.") % {"value": repr(text)}
            row.values[name] = word in TRUE_WORDS
            return None
        if name == "vat_number":
            digits = clean_vat_number(text)
            # Spreadsheets drop the leading zeros of numbers.
            row.values[name] = digits.zfill(11) if digits.isdigit() and len(digits) >= 8 else digits
            return None
        if name == "pic":
            row.values[name] = clean_pic(text)
            return None
        if name == "postcode":
            row.values[name] = text.zfill(5) if text.isdigit() and 3 <= len(text) < 5 else text
            return None
        if name == "country":
            row.values[name] = text.upper()
            return None
        if name == "ateco_code":
            row.values[name] = text.replace(",", ".")
            return None
        if name == "website":
            url = text if "://" in text else f"https://{text}"
            try:
                _url_validator(url)
            except ValidationError:
                return _("%(value)s is not a valid web address.") % {"value": repr(text[:80])}
            row.values[name] = url
            return None
        if name == "competences":
            return self._taxonomy(row, name, text, self.competences)
        if name == "s3_themes":
            return self._taxonomy(row, name, text, self.themes)
        if name == "clusters":
            return self._clusters(row, text)
        if name == "membership_role":
            return self._membership_choice(row, "role", text, self.roles)
        if name == "membership_status":
            return self._membership_choice(row, "status", text, self.statuses)
        if name == "member_since":
            return self._date(row, text)
        row.values[name] = text
        return None

    def _choice(self, row: _Row, name: str, text: str, lookup: dict[str, str]) -> Any:
        code = lookup.get(_key(text))
        if code is None:
            return _unknown_choice(text, lookup)
        row.values[name] = code
        return None

    def _membership_choice(self, row: _Row, attr: str, text: str, lookup: dict[str, str]) -> Any:
        code = lookup.get(_key(text))
        if code is None:
            return _unknown_choice(text, lookup)
        setattr(row, attr, code)
        return None

    def _taxonomy(self, row: _Row, name: str, text: str, lookup: dict[str, int]) -> Any:
        items = [t.strip() for t in _LIST_SEPARATOR.split(text) if t.strip()]
        unknown = [t for t in items if _key(t) not in lookup]
        if unknown:
            label = _("competence") if name == "competences" else _("S3 theme")
            return _("Unknown %(what)s: %(values)s.") % {
                "what": label,
                "values": ", ".join(repr(u[:80]) for u in unknown[:5]),
            }
        ids = frozenset(lookup[_key(t)] for t in items)
        if name == "competences":
            row.competence_ids = ids
        else:
            row.theme_ids = ids
        return None

    def _clusters(self, row: _Row, text: str) -> Any:
        items = [t.strip() for t in _LIST_SEPARATOR.split(text) if t.strip()]
        unknown = [t for t in items if _key(t) not in self.clusters]
        if unknown:
            return _("Unknown cluster: %(values)s; the clusters are: %(slugs)s.") % {
                "values": ", ".join(repr(u[:80]) for u in unknown[:5]),
                "slugs": ", ".join(sorted(self.cluster_names.values())),
            }
        ids = list(dict.fromkeys(self.clusters[_key(t)] for t in items))
        if self.allowed_clusters is not None:
            foreign = [self.cluster_names[i] for i in ids if i not in self.allowed_clusters]
            if foreign:
                return _("You do not manage the cluster %(slugs)s.") % {"slugs": ", ".join(foreign)}
        row.cluster_ids = ids
        return None

    def _date(self, row: _Row, text: str) -> Any:
        if re.fullmatch(r"(19|20)\d\d", text):
            row.since = date(int(text), 1, 1)
            return None
        for fmt in DATE_FORMATS:
            try:
                row.since = datetime.strptime(text, fmt).date()
                return None
            except ValueError:
                continue
        return _("%(value)s is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {
            "value": repr(text[:40])
        }

    def _check_model_fields(self, row: _Row) -> None:
        """The model's own rules (lengths, VAT and PIC check digits, choices) on given values."""
        organization = row.candidate = Organization(**row.values, source="import")
        try:
            organization.clean_fields(exclude=[f for f in _ORG_FIELDS if f not in row.values])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.report.add_error(row.line, row.columns.get(name, name), " ".join(messages))
        postcode = row.values.get("postcode")
        if postcode and row.values.get("country", "IT") == "IT" and not _CAP.fullmatch(postcode):
            self.report.add_error(
                row.line, row.columns["postcode"], _("An Italian postcode has 5 digits.")
            )


# --- Matching and writing -----------------------------------------------------------------


@dataclass
class _Existing:
    """The stored organizations that rows of one chunk may refer to."""

    by_vat: dict[str, Organization]
    by_pic: dict[str, Organization]
    by_name: dict[tuple[str, str], list[Organization]]
    competences: dict[int, set[int]]
    themes: dict[int, set[int]]
    memberships: dict[tuple[int, int], Membership]
    reachable: set[int] | None  # organizations the actor may edit; None: all


@dataclass
class _Plan:
    row: _Row
    organization: Organization
    created: bool
    changed: list[str]  # organization fields that change
    competences_changed: bool
    themes_changed: bool
    new_memberships: list[Membership]
    changed_memberships: list[Membership]

    @property
    def action(self) -> str:
        if self.created:
            return "create"
        if self.changed or self.new_memberships or self.changed_memberships:
            return "update"
        return "unchanged"


class _Conflict(Exception):
    def __init__(self, column: str, message: Any) -> None:
        super().__init__(str(message))
        self.column = column


class _Importer:
    def __init__(self, report: ImportReport, reader: _RowReader, apply: bool) -> None:
        self.report = report
        self.reader = reader
        self.apply = apply
        self.locator = TerritoryLocator()
        # Natural keys seen so far in the file, with the line that had them. Keys are kept as
        # 64-bit hashes so that memory grows by only ~100 bytes a key on large files; a
        # collision (odds ~1e-9 at 100,000 rows) would be reported as a duplicate, never missed.
        self.seen: dict[int, int] = {}
        self.seen_targets: dict[int, int] = {}

    def process(self, rows: list[_Row]) -> None:
        rows = [r for r in rows if self._first_in_file(r)]
        existing = self._existing(rows)
        plans = [p for p in (self._plan(r, existing) for r in rows) if p is not None]
        for plan in plans:
            self._count(plan)
        if self.apply and self.report.ok:
            self._write(plans)

    def _first_in_file(self, row: _Row) -> bool:
        keys: list[tuple[int, str, Any]] = []
        if row.vat:
            keys.append((hash(("vat", row.vat)), "vat_number", _("the same VAT number")))
        if row.pic:
            keys.append((hash(("pic", row.pic)), "pic", _("the same PIC")))
        # Every row's name is remembered, but only rows without identifiers are matched by it.
        name_key = hash(("name", *row.name_key))
        if not keys:
            keys.append((name_key, "name", _("the same name and postcode")))
        duplicate = next(((k, c, w) for k, c, w in keys if k in self.seen), None)
        for key, _column, _what in keys:
            self.seen.setdefault(key, row.line)
        self.seen.setdefault(name_key, row.line)
        if duplicate:
            key, column, what = duplicate
            self.report.add_error(
                row.line,
                row.columns[column],
                _("Duplicate of line %(line)d (%(what)s) in this file.")
                % {"line": self.seen[key], "what": what},
            )
            return False
        return True

    def _existing(self, rows: list[_Row]) -> _Existing:
        vats = {r.vat for r in rows if r.vat}
        pics = {r.pic for r in rows if r.pic}
        names = {r.name_key[0] for r in rows if not r.vat and not r.pic}
        queryset = Organization.objects.filter(
            Q(vat_number__in=vats) | Q(pic__in=pics) | Q(normalized_name__in=names)
        )
        if self.apply:
            queryset = queryset.select_for_update()
        organizations = list(queryset)
        ids = [o.pk for o in organizations]
        existing = _Existing(
            {}, {}, defaultdict(list), defaultdict(set), defaultdict(set), {}, None
        )
        for o in organizations:
            if o.vat_number:
                existing.by_vat[o.vat_number] = o
            if o.pic:
                existing.by_pic[o.pic] = o
            existing.by_name[(o.normalized_name, o.postcode)].append(o)
        if not ids:
            return existing
        through = Organization.competences.through.objects.filter(organization_id__in=ids)
        for org_id, item_id in through.values_list("organization_id", "competence_id"):
            existing.competences[org_id].add(item_id)
        through = Organization.s3_themes.through.objects.filter(organization_id__in=ids)
        for org_id, item_id in through.values_list("organization_id", "s3theme_id"):
            existing.themes[org_id].add(item_id)
        for m in Membership.objects.filter(organization_id__in=ids):
            existing.memberships[(m.organization_id, m.cluster_id)] = m
        if self.reader.allowed_clusters is not None:
            existing.reachable = set(
                Membership.objects.filter(
                    organization_id__in=ids, cluster_id__in=self.reader.allowed_clusters
                ).values_list("organization_id", flat=True)
            )
        return existing

    def _match(self, row: _Row, existing: _Existing) -> Organization | None:
        """The stored organization this row is about, or None."""
        target = existing.by_vat.get(row.vat) if row.vat else None
        by_pic = existing.by_pic.get(row.pic) if row.pic else None
        if by_pic is not None and by_pic is not target:
            if target is None and by_pic.vat_number in ("", row.vat):
                return by_pic
            raise _Conflict(
                "pic",
                _("This PIC already belongs to %(name)s (VAT number %(vat)s).")
                % {"name": by_pic.name, "vat": by_pic.vat_number or "-"},
            )
        if target is not None or row.vat or row.pic:
            return target
        candidates = existing.by_name.get(row.name_key, [])
        if len(candidates) > 1:
            raise _Conflict(
                "name",
                _(
                    "%(count)d organizations have this name and postcode: add a VAT number "
                    "or PIC to tell which one."
                )
                % {"count": len(candidates)},
            )
        return candidates[0] if candidates else None

    def _plan(self, row: _Row, existing: _Existing) -> _Plan | None:
        try:
            target = self._match(row, existing)
        except _Conflict as exc:
            self.report.add_error(row.line, row.columns[exc.column], exc)
            return None
        if target is None:
            return self._plan_create(row)
        if target.pk in self.seen_targets:
            self.report.add_error(
                row.line,
                row.columns["name"],
                _("Line %(line)d already refers to the same organization (%(name)s).")
                % {"line": self.seen_targets[target.pk], "name": target.name},
            )
            return None
        self.seen_targets[target.pk] = row.line
        plan = self._plan_update(row, target, existing)
        if plan is None:
            return None
        unreachable = existing.reachable is not None and target.pk not in existing.reachable
        if unreachable and (plan.changed or plan.competences_changed or plan.themes_changed):
            self.report.add_error(
                row.line,
                row.columns["name"],
                _(
                    "%(name)s belongs to clusters you do not manage: its details can only be "
                    "changed by its own cluster or a regional officer (%(fields)s differ)."
                )
                % {"name": target.name, "fields": ", ".join(plan.changed) or _("taxonomy")},
            )
            return None
        return plan

    def _plan_create(self, row: _Row) -> _Plan:
        organization = row.candidate or Organization(**row.values, source="import")
        self._derive(organization, row)
        memberships = [
            Membership(
                organization=organization,
                cluster_id=cluster_id,
                role=row.role or MembershipRole.MEMBER,
                status=row.status or MembershipStatus.ACTIVE,
                since=row.since,
            )
            for cluster_id in row.cluster_ids
        ]
        return _Plan(
            row,
            organization,
            True,
            [],
            bool(row.competence_ids),
            bool(row.theme_ids),
            memberships,
            [],
        )

    def _plan_update(self, row: _Row, target: Organization, existing: _Existing) -> _Plan | None:
        changed = [f for f, v in row.values.items() if getattr(target, f) != v]
        old_competences = existing.competences.get(target.pk, set())
        old_themes = existing.themes.get(target.pk, set())
        competences_changed = (
            row.competence_ids is not None and row.competence_ids != old_competences
        )
        themes_changed = row.theme_ids is not None and row.theme_ids != old_themes
        if row.competence_ids is None:
            row.competence_ids = frozenset(old_competences)
        if row.theme_ids is None:
            row.theme_ids = frozenset(old_themes)
        new_memberships, changed_memberships = [], []
        for cluster_id in row.cluster_ids:
            membership = existing.memberships.get((target.pk, cluster_id))
            if membership is None:
                new_memberships.append(
                    Membership(
                        organization=target,
                        cluster_id=cluster_id,
                        role=row.role or MembershipRole.MEMBER,
                        status=row.status or MembershipStatus.ACTIVE,
                        since=row.since,
                    )
                )
                continue
            wanted = {"role": row.role, "status": row.status, "since": row.since}
            wanted = {k: v for k, v in wanted.items() if v}
            if membership.until and row.since and row.since > membership.until:
                self.report.add_error(
                    row.line,
                    row.columns["member_since"],
                    _("The membership ended on %(until)s, before this date.")
                    % {"until": membership.until.isoformat()},
                )
                return None
            if any(getattr(membership, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(membership, k, v)
                changed_memberships.append(membership)
        if changed or competences_changed or themes_changed:
            for f in changed:
                setattr(target, f, row.values[f])
            self._derive(target, row)
        return _Plan(
            row,
            target,
            False,
            changed,
            competences_changed,
            themes_changed,
            new_memberships,
            changed_memberships,
        )

    def _derive(self, organization: Organization, row: _Row) -> None:
        """Normalised name, province, NUTS-3 and search text, without queries."""
        organization.normalized_name = normalize_name(organization.name)
        territory = self.locator.locate(postcode=organization.postcode, city=organization.city)
        organization.territory = territory
        organization.nuts3 = territory.nuts3 if territory else ""
        territory_name = territory.name if territory else ""
        taxonomy_names: list[str] = []
        for pk in row.competence_ids or ():
            taxonomy_names += self.reader.competence_names[pk]
        for pk in row.theme_ids or ():
            taxonomy_names += self.reader.theme_names[pk]
        organization.search_text = search_text_from(
            organization, territory_name=territory_name, taxonomy_names=taxonomy_names
        )

    def _count(self, plan: _Plan) -> None:
        action = plan.action
        if action == "create":
            self.report.created += 1
            detail = [self.reader.cluster_names[c] for c in plan.row.cluster_ids]
        elif action == "update":
            self.report.updated += 1
            changed = list(plan.changed)
            changed += ["competences"] if plan.competences_changed else []
            changed += ["s3_themes"] if plan.themes_changed else []
            detail = [plan.row.columns[f] for f in changed] + [
                self.reader.cluster_names[m.cluster_id]
                for m in plan.new_memberships + plan.changed_memberships
            ]
        else:
            self.report.unchanged += 1
            detail = []
        self.report.memberships_created += len(plan.new_memberships)
        self.report.memberships_updated += len(plan.changed_memberships)
        preview = self.report.preview[action]
        if len(preview) < PREVIEW_ROWS:
            preview.append(
                {
                    "line": plan.row.line,
                    "name": plan.organization.name,
                    "kind": plan.organization.kind,
                    "detail": ", ".join(detail),
                }
            )

    def _write(self, plans: list[_Plan]) -> None:
        now = timezone.now()
        created = [p for p in plans if p.created]
        Organization.objects.bulk_create([p.organization for p in created])
        updated = [
            p
            for p in plans
            if not p.created and (p.changed or p.competences_changed or p.themes_changed)
        ]
        for plan in updated:
            plan.organization.version += 1
            plan.organization.updated_at = now
        if updated:
            fields = {f for p in updated for f in p.changed} | {
                "normalized_name",
                "territory",
                "nuts3",
                "search_text",
                "version",
                "updated_at",
            }
            Organization.objects.bulk_update([p.organization for p in updated], sorted(fields))
        self._write_links(plans, "competences", "competence_id", "competences_changed")
        self._write_links(plans, "s3_themes", "s3theme_id", "themes_changed")
        Membership.objects.bulk_create([m for p in plans for m in p.new_memberships])
        changed_memberships = [m for p in plans for m in p.changed_memberships]
        for membership in changed_memberships:
            membership.updated_at = now
        Membership.objects.bulk_update(
            changed_memberships, ["role", "status", "since", "updated_at"]
        )

    def _write_links(self, plans: list[_Plan], relation: str, column: str, flag: str) -> None:
        through = getattr(Organization, relation).through
        changed = [p for p in plans if getattr(p, flag)]
        ids_attr = "competence_ids" if relation == "competences" else "theme_ids"
        through.objects.filter(
            organization_id__in=[p.organization.pk for p in changed if not p.created]
        ).delete()
        links = [(p.organization.pk, item) for p in changed for item in getattr(p.row, ids_attr)]
        if links:
            # Two integer columns: plain executemany is several times faster than bulk_create.
            # Names from the model's metadata; the values are parameters.
            table = connection.ops.quote_name(through._meta.db_table)
            columns = ", ".join(map(connection.ops.quote_name, ("organization_id", column)))
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s)"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.executemany(sql, links)


# --- Entry point --------------------------------------------------------------------------


def import_organizations(
    source: str | Path | IO[bytes],
    *,
    mapping: dict[str, str] | None = None,
    dry_run: bool,
    actor: Any = None,
    cluster: Cluster | None = None,
    progress: Callable[[int], None] | None = None,
    filename: str | None = None,
) -> ImportReport:
    """Check (and unless `dry_run`, import) a file of organizations. See the module docstring."""
    started = time.perf_counter()
    if filename is None:
        filename = str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    report = ImportReport(source_name=Path(filename or "").name, dry_run=dry_run)
    allowed = None
    if actor is not None and not actor.is_regional_officer:
        allowed = set(clusters_managed_by(actor).values_list("pk", flat=True))
    try:
        # A dry run only reads: it must not hold SQLite's write lock while it checks.
        atomic = nullcontext() if dry_run else transaction.atomic()
        with open_table(source, filename) as table, atomic:
            report.format, report.encoding, report.delimiter = (
                table.format,
                table.encoding,
                table.delimiter,
            )
            fields = _column_fields(table.headers, mapping)
            report.columns = list(zip(table.headers, fields, strict=True))
            reader = _RowReader(table.headers, fields, report, allowed, cluster)
            importer = _Importer(report, reader, apply=not dry_run)
            chunk: list[_Row] = []
            for line, cells in table.rows:
                report.rows += 1
                row = reader.read(line, cells)
                if row is not None:
                    chunk.append(row)
                if len(chunk) >= CHUNK_SIZE:
                    importer.process(chunk)
                    chunk = []
                    if progress:
                        progress(report.rows)
            importer.process(chunk)
            if progress:
                progress(report.rows)
            if not dry_run:
                if report.ok:
                    report.committed = True
                    match_index_rebuild_soon()
                    _record_import(report, actor=actor, cluster=cluster)
                else:
                    transaction.set_rollback(True)
    except ImportFileError as exc:
        report.add_error(exc.line, exc.column, exc)
    except DatabaseError as exc:
        # A concurrent writer took a key between the checks and the writes: nothing is kept.
        report.committed = False
        report.add_error(None, "", _("The database refused the import: %(error)s") % {"error": exc})
    if (
        report.committed
        and report.created + report.updated >= ANALYZE_AFTER_ROWS
        and connection.vendor == "postgresql"
    ):
        _refresh_planner_statistics()
    report.elapsed = time.perf_counter() - started
    return report


def _record_import(report: ImportReport, *, actor: Any, cluster: Cluster | None) -> None:
    """The import's entry in the audit trail, written in the import's transaction."""
    from clusterhub.audit.models import AuditAction
    from clusterhub.audit.services import record_audit

    record_audit(
        actor=actor,
        action=AuditAction.IMPORT,
        target_type=Organization._meta.label_lower,
        target_label=report.source_name,
        cluster=cluster,
        after={
            "file": report.source_name,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "memberships_created": report.memberships_created,
            "memberships_updated": report.memberships_updated,
        },
        note=report.source_name,
    )


# A bulk load this large changes the tables' shape enough to mislead PostgreSQL's planner
# until its statistics are refreshed, which autovacuum would only do later. (SQLite's
# planner keeps no statistics unless asked, and plans these queries well without them.)
ANALYZE_AFTER_ROWS = 5_000


def _refresh_planner_statistics() -> None:
    tables = [Organization._meta.db_table, Membership._meta.db_table]
    tables += [m.through._meta.db_table for m in (Organization.competences, Organization.s3_themes)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
