"""Import of opportunities from a CSV file, by a cluster manager for their cluster.

    report = check_opportunities_csv(data, actor=person, cluster=cluster)   # nothing written
    report = import_opportunities_csv(data, actor=person, cluster=cluster)  # all or nothing

Columns (first line; Italian names accepted, order free): title, programme, kind
(financing / internationalization), deadline (2026-03-31 or 31/03/2026) required; budget (whole
euros), eligibility, url, description, clusters (slugs, separated by `|`; default: the import's
cluster), s3_themes (codes or names, separated by `|`) optional. The delimiter (`;`, `,` or tab)
is taken from the first line; the file may be UTF-8 (with or without BOM) or Windows-1252.

Every row is checked and every problem named by line and column; if there is any, nothing is
written. A row is the opportunity with the same link, else with the same title, programme and
deadline: importing a file twice changes nothing the second time.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from clusterhub.opportunities.models import (
    PROGRAMME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    Opportunity,
    OpportunityKind,
    OpportunitySource,
)
from clusterhub.opportunities.selectors import opportunities_editable_by
from clusterhub.opportunities.services import (
    clean_text,
    opportunities_embed,
    opportunity_create,
    opportunity_update,
)
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.selectors import clusters_managed_by

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
REQUIRED = ("title", "programme", "kind", "deadline")
COLUMNS = (*REQUIRED, "budget", "eligibility", "url", "description", "clusters", "s3_themes")
SYNONYMS = {
    "titolo": "title",
    "program": "programme",
    "programma": "programme",
    "tipo": "kind",
    "type": "kind",
    "scadenza": "deadline",
    "importo": "budget",
    "dotazione": "budget",
    "beneficiari": "eligibility",
    "ammissibilita": "eligibility",
    "link": "url",
    "descrizione": "description",
    "cluster": "clusters",
    "temi_s3": "s3_themes",
    "themes": "s3_themes",
    "s3_theme": "s3_themes",
}
KIND_WORDS = {
    "financing": OpportunityKind.FINANCING,
    "financing call": OpportunityKind.FINANCING,
    "finanziamento": OpportunityKind.FINANCING,
    "bando": OpportunityKind.FINANCING,
    "internationalization": OpportunityKind.INTERNATIONALIZATION,
    "internationalisation": OpportunityKind.INTERNATIONALIZATION,
    "internazionalizzazione": OpportunityKind.INTERNATIONALIZATION,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
BUDGET = re.compile(r"^\d{1,3}([.,' ]\d{3})+$|^\d+$")


class ImportRefused(Exception):
    """The file as a whole cannot be read (not CSV, too large, no header)."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass
class PlannedRow:
    line: int
    values: dict[str, Any]
    clusters: list[Cluster]
    themes: list[S3Theme]
    existing: Opportunity | None = None
    action: str = "create"  # create, update or unchanged


@dataclass
class ImportReport:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // 10**6}
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportRefused(_("This is not a CSV text file."))


def _header_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().casefold().replace("à", "a")).strip("_")
    return SYNONYMS.get(key, key)


def _split(cell: str) -> list[str]:
    return [item.strip() for item in re.split(r"[|;,]", cell) if item.strip()]


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


class _Context:
    """Lookups shared by every row of one file."""

    def __init__(self, actor: Any, cluster: Cluster) -> None:
        self.cluster = cluster
        self.managed = {c.slug: c for c in clusters_managed_by(actor)}
        self.all_clusters = {c.slug: c for c in Cluster.objects.all()}
        self.themes: dict[str, S3Theme] = {}
        for theme in S3Theme.objects.all():
            for key in (theme.code, theme.name_en, theme.name_it):
                if key:
                    self.themes.setdefault(key.strip().casefold(), theme)


def _row(line: int, raw: dict[str, str], ctx: _Context, problems: list[Problem]) -> PlannedRow:
    def problem(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    cell = {key: clean_text(raw.get(key, "")) for key in COLUMNS}
    for key in REQUIRED:
        if not cell[key]:
            problem(key, _("Required: this cell is empty."))
    limits = {
        "title": TITLE_MAX_LENGTH,
        "programme": PROGRAMME_MAX_LENGTH,
        "url": URL_MAX_LENGTH,
        "description": TEXT_MAX_LENGTH,
        "eligibility": TEXT_MAX_LENGTH,
    }
    for key, limit in limits.items():
        if len(cell[key]) > limit:
            problem(key, _("Longer than %(limit)d characters.") % {"limit": limit})
    values: dict[str, Any] = {
        key: cell[key][: limits[key]]
        for key in ("title", "programme", "description", "eligibility")
    }
    kind = KIND_WORDS.get(cell["kind"].casefold()) if cell["kind"] else None
    if cell["kind"] and kind is None:
        problem(
            "kind",
            _("“%(value)s” is neither financing nor internationalization.")
            % {"value": cell["kind"][:40]},
        )
    values["kind"] = kind
    deadline = _date(cell["deadline"]) if cell["deadline"] else None
    if cell["deadline"] and deadline is None:
        problem(
            "deadline",
            _("“%(value)s” is not a date such as 2026-03-31 or 31/03/2026.")
            % {"value": cell["deadline"][:40]},
        )
    values["deadline"] = deadline
    budget_text = re.sub(r"(?i)\s*(€|eur|euro)\s*", "", cell["budget"])
    values["budget"] = None
    if budget_text:
        if BUDGET.match(budget_text) and len(budget_text) <= 20:
            values["budget"] = int(re.sub(r"\D", "", budget_text))
        else:
            problem(
                "budget",
                _("“%(value)s” is not an amount in whole euros, such as 2500000 or 2.500.000.")
                % {"value": cell["budget"][:40]},
            )
    values["url"] = cell["url"]
    if cell["url"] and len(cell["url"]) <= URL_MAX_LENGTH:
        try:
            URLValidator(schemes=["http", "https"])(cell["url"])
        except ValidationError:
            problem("url", _("Not a web address starting with http:// or https://."))
    clusters = []
    for slug in _split(cell["clusters"]) if cell["clusters"] else [ctx.cluster.slug]:
        found = ctx.managed.get(slug.casefold())
        if found is None:
            if slug.casefold() in ctx.all_clusters:
                problem(
                    "clusters", _("You do not manage the cluster “%(slug)s”.") % {"slug": slug[:60]}
                )
            else:
                problem("clusters", _("No cluster “%(slug)s”.") % {"slug": slug[:60]})
        elif found not in clusters:
            clusters.append(found)
    themes = []
    for name in _split(cell["s3_themes"]):
        theme = ctx.themes.get(name.casefold())
        if theme is None:
            problem("s3_themes", _("No S3 theme “%(name)s”.") % {"name": name[:60]})
        elif theme not in themes:
            themes.append(theme)
    return PlannedRow(line=line, values=values, clusters=clusters, themes=themes)


def _natural_key(row: PlannedRow) -> tuple[str, ...]:
    if row.values["url"]:
        return ("url", row.values["url"].casefold())
    return (
        "title",
        row.values["title"].casefold(),
        row.values["programme"].casefold(),
        str(row.values["deadline"]),
    )


def _plan(row: PlannedRow) -> None:
    """Find the opportunity the row is, and whether writing it would change anything."""
    values = row.values
    match = Q(
        title__iexact=values["title"],
        programme__iexact=values["programme"],
        deadline=values["deadline"],
    )
    if values["url"]:
        match |= Q(url=values["url"])
    existing = Opportunity.objects.filter(match).prefetch_related("clusters", "s3_themes").first()
    row.existing = existing
    if existing is None:
        row.action = "create"
        return
    same = all(getattr(existing, key) == value for key, value in values.items())
    same = same and {c.pk for c in existing.clusters.all()} == {c.pk for c in row.clusters}
    same = same and {t.pk for t in existing.s3_themes.all()} == {t.pk for t in row.themes}
    row.action = "unchanged" if same else "update"


def check_opportunities_csv(data: bytes, *, actor: Any, cluster: Cluster) -> ImportReport:
    """Read and check every row; write nothing. Raises ImportRefused for an unreadable file."""
    if not clusters_managed_by(actor).filter(pk=cluster.pk).exists():
        raise PermissionDenied
    text = _decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportRefused(_("The file is empty: the first line must name the columns."))
    header_line = lines[0]
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_header_key(name) for name in next(reader)]
    report = ImportReport()
    unknown = [name for name in header if name and name not in COLUMNS]
    for name in unknown:
        report.problems.append(Problem(1, name, _("Unknown column.")))
    for name in REQUIRED:
        if name not in header:
            report.problems.append(Problem(1, name, _("Missing column.")))
    if report.problems:
        return report
    ctx = _Context(actor, cluster)
    editable = opportunities_editable_by(actor)
    seen: dict[tuple[str, ...], int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(report.rows) >= MAX_ROWS:
            report.problems.append(
                Problem(line, "", _("More than %(n)d rows: split the file.") % {"n": MAX_ROWS})
            )
            break
        if len(cells) > len(header):
            report.problems.append(Problem(line, "", _("More cells than columns.")))
            continue
        problems: list[Problem] = []
        row = _row(line, dict(zip(header, cells, strict=False)), ctx, problems)
        report.problems.extend(problems)
        if problems:
            continue
        key = _natural_key(row)
        if key in seen:
            report.problems.append(
                Problem(line, "", _("Same opportunity as line %(line)d.") % {"line": seen[key]})
            )
            continue
        seen[key] = line
        _plan(row)
        if row.existing is not None and not editable.filter(pk=row.existing.pk).exists():
            report.problems.append(
                Problem(
                    line, "", _("This opportunity exists already, published by another cluster.")
                )
            )
            continue
        report.rows.append(row)
    if not report.rows and not report.problems:
        report.problems.append(Problem(2, "", _("The file has no rows.")))
    return report


def import_opportunities_csv(data: bytes, *, actor: Any, cluster: Cluster) -> ImportReport:
    """Check every row, then write them all in one transaction, or nothing if any is wrong."""
    with transaction.atomic():
        report = check_opportunities_csv(data, actor=actor, cluster=cluster)
        if not report.ok:
            return report
        written = []
        for row in report.rows:
            if row.action == "create":
                written.append(
                    opportunity_create(
                        actor=actor,
                        clusters=row.clusters,
                        s3_themes=row.themes,
                        source=OpportunitySource.IMPORT,
                        embed=False,
                        **row.values,
                    )
                )
            elif row.action == "update" and row.existing is not None:
                written.append(
                    opportunity_update(
                        opportunity=row.existing,
                        actor=actor,
                        clusters=row.clusters,
                        s3_themes=row.themes,
                        embed=False,
                        **row.values,
                    )
                )
        opportunities_embed(written)
        report.written = True
    return report
