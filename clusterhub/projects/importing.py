"""Import of EU research projects and their participants from CORDIS open-data files.

Entry point (the `import_projects` command, the UI's background task, the demo loader and
`bench/projects.py` all call it)::

    report = import_projects(
        sources,         # paths, or (binary file object, file name) pairs, given together
        layout="auto",   # or one of cordis.LAYOUTS, to read every file that way
        dry_run=True,    # True: check and count only; False: write, all or nothing
        progress=None,   # called with (bytes read, bytes in all, rows read), once per chunk
    )

The layout of each file is told by its header row (`cordis.detect_layout`); a project table and
its participant table are given together (either order): the projects are read first. A
participant row whose project is neither in the files nor already stored is an error.

Reading is streamed in chunks of CHUNK_SIZE rows: memory does not grow with the file, except
for the ids of the projects seen and a 64-bit hash per participation (to find duplicates).
A participant table is read twice: the first pass only counts each (project, participant)
key, so that the rare participant listed twice in one project (CORDIS does it, e.g. as
coordinator and as participant) is folded into one participation (contributions added up)
without holding the file in memory. The JSON layout is parsed whole (it is a few MB).

Natural keys: a project is its CORDIS id; a participation is (project, PIC), else (project,
normalised name). A stored row is updated only when a value differs; an empty cell never
erases a stored value. Importing the same files twice changes nothing (everything counted
as unchanged).

Linking: every participation not yet linked goes through `linking.Linker` (PIC, VAT, name,
review queue, new organization; see there).

Everything happens in one transaction; if any row has a problem nothing is written, and the
report names each problem with its file, line (for JSON: the project's position) and column.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.projects import cordis
from clusterhub.projects.cordis import (
    COMBINED,
    INRAE_JSON,
    LAYOUTS,
    PARTICIPANTS,
    PROJECTS,
    REQUIRED,
    CellError,
    ParticipantRow,
    ProjectRow,
    RowReader,
)
from clusterhub.projects.linking import Linker, LinkItem, RegionLocator
from clusterhub.projects.models import Framework, Participation, Project
from clusterhub.registry.importing import ImportFileError, open_table

CHUNK_SIZE = 1000
MAX_REPORTED_ERRORS = 1000
AUTO = "auto"

Source = str | Path | tuple[IO[bytes], str]
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int | None  # line of the file (1 is the header); None for the file as a whole
    column: str
    message: str


@dataclass
class FileSummary:
    name: str
    layout: str = ""
    kind: str = ""  # cordis.PROJECTS, PARTICIPANTS or COMBINED
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0


@dataclass
class ProjectImportReport:
    files: list[FileSummary] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False
    rows: int = 0
    projects_created: int = 0
    projects_updated: int = 0
    projects_unchanged: int = 0
    participations_created: int = 0
    participations_updated: int = 0
    participations_unchanged: int = 0
    duplicates_merged: int = 0  # participant rows folded into an earlier row of their project
    participants_in_region: int = 0
    linked: dict[str, int] = field(default_factory=dict)  # MatchMethod -> participations
    organizations_created: int = 0
    matches_queued: int = 0
    error_count: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.elapsed if self.elapsed else 0.0

    def add_error(self, file: str, line: int | None, column: str, message: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(ImportProblem(file, line, column, str(message)))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["rows_per_second"] = round(self.rows_per_second)
        data["linked_total"] = sum(self.linked.values())
        return data

    def summary(self) -> str:
        verb = _("were") if self.committed else _("would be")
        return str(
            _(
                "%(rows)d rows in %(files)d files: %(created)d projects %(verb)s created, "
                "%(updated)d updated, %(unchanged)d unchanged; %(p_created)d participations "
                "created, %(p_updated)d updated, %(p_unchanged)d unchanged; %(in_region)d "
                "participants in the region, %(linked)d linked to the registry, %(new)d new "
                "organizations, %(queued)d matches to review; %(errors)d errors; %(seconds).1f s."
            )
            % {
                "rows": self.rows,
                "files": len(self.files),
                "created": self.projects_created,
                "verb": verb,
                "updated": self.projects_updated,
                "unchanged": self.projects_unchanged,
                "p_created": self.participations_created,
                "p_updated": self.participations_updated,
                "p_unchanged": self.participations_unchanged,
                "in_region": self.participants_in_region,
                "linked": sum(self.linked.values()),
                "new": self.organizations_created,
                "queued": self.matches_queued,
                "errors": self.error_count,
                "seconds": self.elapsed,
            }
        )


# --- Files --------------------------------------------------------------------------------


@dataclass
class _File:
    summary: FileSummary
    stream: IO[bytes]
    size: int
    index: int
    is_json: bool = False


def _open_sources(sources: Sequence[Source], stack: ExitStack) -> list[_File]:
    files = []
    for index, source in enumerate(sources):
        if isinstance(source, tuple):
            stream, name = source
        else:
            name = str(source)
            stream = stack.enter_context(open(source, "rb"))  # noqa: SIM115
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        stream.seek(0)
        is_json = Path(name).suffix.lower() == ".json" or head.startswith(b"{")
        files.append(_File(FileSummary(Path(name).name), stream, size, index, is_json))
    return files


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_json_text(v) for v in value)
    return str(value)


def _json_cells(record: dict[str, Any]) -> dict[str, str]:
    return {
        cordis.header_key(k): _json_text(v)
        for k, v in record.items()
        if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict))
    }


def _columns(keys: list[str], kind: str) -> dict[str, str]:
    """Field -> header key, for the header keys present."""
    mapping = cordis.column_map(keys, kind)
    return {name: keys[index] for name, index in mapping.items()}


# --- Importer -----------------------------------------------------------------------------


class _Importer:
    def __init__(self, report: ProjectImportReport, *, apply: bool) -> None:
        self.report = report
        self.apply = apply
        self.locator = RegionLocator()
        self.linker = Linker(self.locator, apply=apply)
        # CORDIS id -> (file index, line) of every project read.
        self.seen_projects: dict[str, tuple[int, int]] = {}
        # hash((project, participant key)) -> file index << 32 | line, to find a participation
        # given twice by different files or records. Kept only when the import has several
        # sources of participations: within one participant table the two passes fold repeats.
        self.seen_participations: dict[int, int] = {}
        self.check_repeats = True
        self.file_names: list[str] = []

    def _where(self, encoded: int) -> tuple[str, int]:
        return self.file_names[encoded >> 32], encoded & 0xFFFFFFFF

    def _validate(self, obj: Project | Participation, fields: Any, row: Any) -> bool:
        names = set(fields)
        exclude = [f.name for f in type(obj)._meta.fields if f.name not in names]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.report.add_error(
                    row.file, row.line, row.columns.get(name, name), " ".join(messages)
                )
            return False
        return True

    # Projects

    def refused_project(self, cordis_id: str, file_index: int, line: int) -> None:
        """A project row with a problem: its participants are not reported a second time."""
        self.seen_projects.setdefault(cordis_id, (file_index, line))

    def projects(self, rows: list[ProjectRow], layout: str, file_index: int) -> None:
        fresh: list[ProjectRow] = []
        for row in rows:
            cordis_id = row.values["cordis_id"]
            if cordis_id in self.seen_projects:
                index, line = self.seen_projects[cordis_id]
                self.report.add_error(
                    row.file,
                    row.line,
                    row.columns.get("cordis_id", "id"),
                    _("Duplicate of project %(id)s on line %(line)d of %(file)s.")
                    % {"id": cordis_id, "line": line, "file": self.file_names[index]},
                )
                continue
            self.seen_projects[cordis_id] = (file_index, row.line)
            fresh.append(row)
        queryset = Project.objects.filter(cordis_id__in=[r.values["cordis_id"] for r in fresh])
        if self.apply:
            queryset = queryset.select_for_update()
        existing = {p.cordis_id: p for p in queryset}
        to_create: list[Project] = []
        to_update: list[tuple[Project, list[str]]] = []
        accepted: list[ProjectRow] = []
        for row in fresh:
            project = existing.get(row.values["cordis_id"])
            if project is None:
                values = {"framework": Framework.OTHER, **row.values}
                project = Project(**values, source=layout)
                if not self._validate(project, values, row):
                    continue
                to_create.append(project)
                self.report.projects_created += 1
            else:
                changed = [f for f, v in row.values.items() if getattr(project, f) != v]
                for name in changed:
                    setattr(project, name, row.values[name])
                if changed and not self._validate(project, changed, row):
                    continue
                if changed:
                    to_update.append((project, changed))
                    self.report.projects_updated += 1
                else:
                    self.report.projects_unchanged += 1
            accepted.append(row)
        if self.apply and self.report.ok:
            Project.objects.bulk_create(to_create, batch_size=500)
            if to_update:
                now = timezone.now()
                for project, _changed in to_update:
                    project.updated_at = now
                fields = sorted({f for _p, changed in to_update for f in changed} | {"updated_at"})
                Project.objects.bulk_update([p for p, _c in to_update], fields, batch_size=500)
        embedded = [p for row in accepted for p in row.participants]
        if embedded:
            self.participants(embedded, file_index)

    # Participations

    def participants(self, rows: list[ParticipantRow], file_index: int) -> None:
        fresh: list[ParticipantRow] = []
        for row in rows if self.check_repeats else ():
            key = hash((row.project_id, row.key))
            if key in self.seen_participations:
                file, line = self._where(self.seen_participations[key])
                self.report.add_error(
                    row.file,
                    row.line,
                    row.columns.get("name", "name"),
                    _(
                        "%(name)s is listed again in project %(id)s (first on line %(line)d "
                        "of %(file)s)."
                    )
                    % {
                        "name": row.values["name"],
                        "id": row.project_id,
                        "line": line,
                        "file": file,
                    },
                )
                continue
            self.seen_participations[key] = file_index << 32 | row.line
            fresh.append(row)
        if not self.check_repeats:
            fresh = rows
        project_ids = dict(
            Project.objects.filter(cordis_id__in={r.project_id for r in fresh}).values_list(
                "cordis_id", "pk"
            )
        )
        # Every participation of these projects: one range scan of the unique index, cheaper
        # than matching thousands of keys.
        queryset = Participation.objects.filter(project_id__in=project_ids.values())
        if self.apply:
            queryset = queryset.select_for_update()
        existing = {(p.project_id, p.participant_key): p for p in queryset}
        to_create: list[Participation] = []
        to_update: list[tuple[Participation, list[str]]] = []
        to_link: list[LinkItem] = []
        for row in fresh:
            project_pk = project_ids.get(row.project_id)
            if project_pk is None and row.project_id not in self.seen_projects:
                self.report.add_error(
                    row.file,
                    row.line,
                    row.columns.get("project_id", "projectID"),
                    _(
                        "Project %(id)s is in none of the project files given and has not been "
                        "imported before: give its project file too."
                    )
                    % {"id": row.project_id},
                )
                continue
            values = dict(row.values)
            location = self.locator.locate(
                country=values.get("country", ""),
                nuts=values.pop("nuts", ""),
                postcode=values.get("postcode", ""),
                city=values.get("city", ""),
            )
            if location.nuts3:
                values["nuts3"] = location.nuts3
            if location.in_region:
                self.report.participants_in_region += 1
            participation = existing.get((project_pk, row.key)) if project_pk else None
            if participation is None:
                participation = Participation(
                    project_id=project_pk,
                    participant_key=row.key,
                    in_region=location.in_region is True,
                    **values,
                )
                if not self._validate(participation, values, row):
                    continue
                to_create.append(participation)
                self.report.participations_created += 1
            else:
                changed = [f for f, v in values.items() if getattr(participation, f) != v]
                if location.in_region and not participation.in_region:
                    changed.append("in_region")
                    values["in_region"] = True
                for name in changed:
                    setattr(participation, name, values[name])
                if changed and not self._validate(participation, changed, row):
                    continue
                if changed:
                    to_update.append((participation, changed))
                    self.report.participations_updated += 1
                else:
                    self.report.participations_unchanged += 1
            if participation.organization_id is None:
                to_link.append(LinkItem(participation, location, row.may_be_in_region))
        if not self.report.ok:
            return
        if self.apply:
            Participation.objects.bulk_create(to_create, batch_size=500)
            if to_update:
                fields = sorted({f for _p, changed in to_update for f in changed})
                Participation.objects.bulk_update(
                    [p for p, _c in to_update], fields, batch_size=500
                )
        self.linker.link(to_link)

    def finish(self) -> None:
        outcome = self.linker.outcome
        self.report.linked = dict(outcome.linked)
        self.report.organizations_created = outcome.organizations_created
        self.report.matches_queued = outcome.matches_queued


# --- Reading the files --------------------------------------------------------------------


class _Run:
    """One import: the files, the importer and the progress made."""

    def __init__(
        self,
        files: list[_File],
        importer: _Importer,
        report: ProjectImportReport,
        layout: str,
        progress: Progress | None,
    ) -> None:
        self.files = files
        self.importer = importer
        self.report = report
        self.layout = layout
        self.progress = progress
        self.region_country = importer.locator.country
        self.total = sum(f.size for f in files)
        self.done = 0

    def _tick(self, file: _File, position: int | None = None) -> None:
        if self.progress is not None:
            if position is None:
                try:
                    position = file.stream.tell()
                except (OSError, ValueError):
                    position = 0
            self.progress(min(self.done + position, self.total), self.total, self.report.rows)

    def _reader(self, file: _File, kind: str, headers: list[str]) -> tuple[RowReader, list[str]]:
        keys = [cordis.header_key(h) for h in headers]
        columns = _columns(keys, kind)
        missing = [name for name in REQUIRED[kind] if name not in columns]
        if missing:
            synonyms = (
                cordis.PARTICIPANT_COLUMNS if kind == PARTICIPANTS else cordis.PROJECT_COLUMNS
            )
            raise ImportFileError(
                _("The required column %(column)s is missing (a header such as %(examples)s).")
                % {
                    "column": missing[0],
                    "examples": ", ".join(repr(s) for s in synonyms[missing[0]][:2]),
                },
                column=missing[0],
            )
        reader = RowReader(
            file=file.summary.name,
            kind=kind,
            columns=columns,
            report=lambda line, column, message: self.report.add_error(
                file.summary.name, line, column, message
            ),
            region_country=self.region_country,
        )
        reader.headers = {name: headers[keys.index(key)] for name, key in columns.items()}
        return reader, keys

    def _describe(self, file: _File) -> str:
        """What the file holds; ImportFileError when it is no CORDIS file of the layout."""
        summary = file.summary
        if file.is_json:
            if self.layout not in (AUTO, INRAE_JSON):
                raise ImportFileError(
                    _("This is a JSON file: its layout is inrae-json, not %(layout)s.")
                    % {"layout": self.layout}
                )
            summary.layout, summary.kind, summary.format = INRAE_JSON, COMBINED, "json"
            return COMBINED
        with open_table(file.stream, summary.name) as table:
            summary.format, summary.encoding, summary.delimiter = (
                table.format,
                table.encoding,
                table.delimiter,
            )
            detected = cordis.detect_layout(table.headers)
        if detected is None:
            raise ImportFileError(
                _(
                    "This is not a CORDIS project or participant table: its header row has "
                    "none of the expected columns (id and title, or projectID and name)."
                )
            )
        if self.layout == INRAE_JSON:
            raise ImportFileError(_("This is not a JSON file, as the inrae-json layout is."))
        layout, kind = detected
        summary.layout = layout if self.layout == AUTO else self.layout
        summary.kind = kind
        return kind

    def run(self) -> None:
        self.importer.file_names = [f.summary.name for f in self.files]
        described = []
        for file in self.files:
            try:
                described.append((file, self._describe(file)))
            except ImportFileError as exc:
                self.report.add_error(file.summary.name, exc.line, exc.column, exc)
        if not self.report.ok:
            return
        # Project-bearing files first; participant tables are read twice.
        described.sort(key=lambda item: item[1] == PARTICIPANTS)
        sources = sum(1 for f, kind in described if f.is_json or kind != PROJECTS)
        self.importer.check_repeats = sources > 1
        self.total += sum(f.size for f, kind in described if kind == PARTICIPANTS)
        for file, kind in described:
            try:
                if file.is_json:
                    self._json(file)
                elif kind == PARTICIPANTS:
                    self._participant_table(file)
                else:
                    self._project_table(file, kind)
            except ImportFileError as exc:
                self.report.add_error(file.summary.name, exc.line, exc.column, exc)
            self.done += file.size
            self._tick(file, 0)

    def _rows(
        self, table: Any, keys: list[str], file: _File
    ) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(keys)
        for line, cells in table.rows:
            if len(cells) > width and any(cells[width:]):
                self.report.add_error(
                    file.summary.name,
                    line,
                    "",
                    _(
                        "The row has %(cells)d cells but the header has %(headers)d: "
                        "is a delimiter missing its quotes?"
                    )
                    % {"cells": len(cells), "headers": width},
                )
                continue
            yield line, dict(zip(keys, cells, strict=False))

    def _project_table(self, file: _File, kind: str) -> None:
        with open_table(file.stream, file.summary.name) as table:
            reader, keys = self._reader(file, kind, table.headers)
            chunk: list[ProjectRow] = []
            for line, cells in self._rows(table, keys, file):
                self.report.rows += 1
                file.summary.rows += 1
                row = reader.project(line, cells)
                if row is not None:
                    row.columns = reader.headers
                    chunk.append(row)
                elif reader.last_cordis_id:
                    self.importer.refused_project(reader.last_cordis_id, file.index, line)
                if len(chunk) >= CHUNK_SIZE:
                    self.importer.projects(chunk, file.summary.layout, file.index)
                    chunk = []
                    self._tick(file)
            self.importer.projects(chunk, file.summary.layout, file.index)

    def _participant_table(self, file: _File) -> None:
        # First pass: which (project, participant) keys have more than one row.
        once: set[int] = set()
        repeated: set[int] = set()
        with open_table(file.stream, file.summary.name) as table:
            reader, keys = self._reader(file, PARTICIPANTS, table.headers)
            columns = reader.columns
            for _line, cells in table.rows:
                key = _quick_key(dict(zip(keys, cells, strict=False)), columns)
                if key is None:
                    continue
                if key in once:
                    repeated.add(key)
                else:
                    once.add(key)
        self.done += file.size
        del once
        folded: dict[int, ParticipantRow] = {}
        with open_table(file.stream, file.summary.name) as table:
            reader, keys = self._reader(file, PARTICIPANTS, table.headers)
            chunk: list[ParticipantRow] = []
            for line, cells in self._rows(table, keys, file):
                self.report.rows += 1
                file.summary.rows += 1
                row = reader.participant(line, cells)
                if row is None:
                    continue
                row.columns = reader.headers
                key = hash((row.project_id, row.key))
                if key in repeated:
                    if key in folded:
                        cordis.merge_participants(folded[key], row)
                        self.report.duplicates_merged += 1
                    else:
                        folded[key] = row
                    continue
                chunk.append(row)
                if len(chunk) >= CHUNK_SIZE:
                    self.importer.participants(chunk, file.index)
                    chunk = []
                    self._tick(file)
            self.importer.participants(chunk, file.index)
            rows = list(folded.values())
            for start in range(0, len(rows), CHUNK_SIZE):
                self.importer.participants(rows[start : start + CHUNK_SIZE], file.index)

    def _json(self, file: _File) -> None:
        try:
            data = json.load(file.stream)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ImportFileError(
                _("The JSON file cannot be read: %(error)s") % {"error": exc}
            ) from exc
        projects = data.get("projects") if isinstance(data, dict) else data
        if not isinstance(projects, list):
            raise ImportFileError(_('The JSON file has no "projects" list.'))
        chunk: list[ProjectRow] = []
        name = file.summary.name
        for position, record in enumerate(projects, start=1):
            self.report.rows += 1
            file.summary.rows += 1
            if not isinstance(record, dict):
                self.report.add_error(name, position, "", _("A project must be an object."))
                continue
            cells = _json_cells(record)
            keys = list(cells)
            originals = {cordis.header_key(k): k for k in record}
            reader = RowReader(
                file=name,
                kind=PROJECTS,
                columns=_columns(keys, PROJECTS),
                report=lambda line, column, message: self.report.add_error(
                    name, line, column, message
                ),
                region_country=self.region_country,
            )
            reader.headers = {n: originals.get(k, k) for n, k in reader.columns.items()}
            row = reader.project(position, cells)
            if row is None and reader.last_cordis_id:
                self.importer.refused_project(reader.last_cordis_id, file.index, position)
            partners = record.get("partners") or []
            if not isinstance(partners, list):
                self.report.add_error(name, position, "partners", _("Must be a list."))
                continue
            participants: dict[str, ParticipantRow] = {}
            for number, partner in enumerate(partners):
                self.report.rows += 1
                if not isinstance(partner, dict):
                    self.report.add_error(
                        name, position, f"partners[{number}]", _("A partner must be an object.")
                    )
                    continue
                partner_cells = _json_cells(partner)
                partner_reader = RowReader(
                    file=name,
                    kind=PARTICIPANTS,
                    columns=_columns(list(partner_cells), PARTICIPANTS),
                    report=lambda line, column, message, n=number: self.report.add_error(
                        name, line, f"partners[{n}].{column}", message
                    ),
                    region_country=self.region_country,
                )
                cordis_id = row.values["cordis_id"] if row else "?"
                participant = partner_reader.participant(position, partner_cells, cordis_id)
                if participant is None:
                    continue
                participant.columns = {"name": f"partners[{number}].name"}
                if participant.key in participants:
                    cordis.merge_participants(participants[participant.key], participant)
                    self.report.duplicates_merged += 1
                else:
                    participants[participant.key] = participant
            if row is None:
                continue
            row.participants = list(participants.values())
            chunk.append(row)
            if len(chunk) >= CHUNK_SIZE // 10:
                self.importer.projects(chunk, INRAE_JSON, file.index)
                chunk = []
                self._tick(file, int(file.size * position / max(len(projects), 1)))
        self.importer.projects(chunk, INRAE_JSON, file.index)


def _quick_key(cells: dict[str, str], columns: dict[str, str]) -> int | None:
    """The hash `_participant_table` gives a row's (project, participant) key, or None."""
    try:
        project_id = cordis.parse_cordis_id(cells.get(columns["project_id"], ""))
        pic_text = cells.get(columns.get("pic", ""), "").strip()
        pic = cordis.parse_pic(pic_text) if pic_text else ""
    except CellError:
        return None
    name = cells.get(columns["name"], "").strip()
    if not name:
        return None
    return hash((project_id, cordis.participant_key(pic, name[:500])))


# --- Entry point --------------------------------------------------------------------------


def _record_import(report: ProjectImportReport, *, actor: Any) -> None:
    """The import's entry in the audit trail, written in the import's transaction."""
    from clusterhub.audit.models import AuditAction
    from clusterhub.audit.services import record_audit

    names = ", ".join(f.name for f in report.files)
    record_audit(
        actor=actor,
        action=AuditAction.IMPORT,
        target_type=Project._meta.label_lower,
        target_label=names,
        after={
            "files": [f.name for f in report.files],
            "rows": report.rows,
            "projects_created": report.projects_created,
            "projects_updated": report.projects_updated,
            "projects_unchanged": report.projects_unchanged,
            "participations_created": report.participations_created,
            "participations_updated": report.participations_updated,
            "organizations_created": report.organizations_created,
            "matches_queued": report.matches_queued,
        },
        note=names,
    )


def import_projects(
    sources: Sequence[Source],
    *,
    layout: str = AUTO,
    dry_run: bool,
    progress: Progress | None = None,
    actor: Any = None,
) -> ProjectImportReport:
    """Check (and unless `dry_run`, import) CORDIS files. See the module docstring.

    A committed import is recorded in the audit trail with `actor` (None: the system)."""
    started = time.perf_counter()
    report = ProjectImportReport(dry_run=dry_run)
    if layout != AUTO and layout not in LAYOUTS:
        report.add_error(
            "",
            None,
            "",
            _("Unknown layout %(layout)s; the layouts are: %(layouts)s.")
            % {"layout": layout, "layouts": ", ".join((AUTO, *LAYOUTS))},
        )
        return report
    if not sources:
        report.add_error("", None, "", _("No file was given."))
        return report
    try:
        with ExitStack() as stack:
            files = _open_sources(sources, stack)
            report.files = [f.summary for f in files]
            # A dry run only reads: it must not hold SQLite's write lock while it checks.
            with nullcontext() if dry_run else transaction.atomic():
                importer = _Importer(report, apply=not dry_run)
                _Run(files, importer, report, layout, progress).run()
                importer.finish()
                if not dry_run:
                    if report.ok:
                        report.committed = True
                        _record_import(report, actor=actor)
                    else:
                        transaction.set_rollback(True)
    except ImportFileError as exc:
        report.add_error("", exc.line, exc.column, exc)
    except OSError as exc:
        report.add_error("", None, "", _("A file cannot be read: %(error)s") % {"error": exc})
    except DatabaseError as exc:
        report.committed = False
        report.add_error(
            "", None, "", _("The database refused the import: %(error)s") % {"error": exc}
        )
    # Problems in file order, then line order, whichever step found them.
    order = {f.name: i for i, f in enumerate(report.files)}
    report.errors.sort(key=lambda e: (order.get(e.file, -1), e.line or 0))
    report.elapsed = time.perf_counter() - started
    return report
