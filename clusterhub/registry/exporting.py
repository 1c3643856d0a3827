"""Open-data export of the public directory, as CSV and JSON, streamed row by row.

Only public facts about organizations leave through here: never a person, an email
address or anything an organization did not publish. Memory stays flat whatever the
size of the registry: rows are read in chunks and written as they come.
"""

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from clusterhub.registry.models import Organization

CHUNK_SIZE = 500
LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# Column order of the CSV, and keys of each JSON record.
COLUMNS = (
    "id",
    "name",
    "kind",
    "htn_accredited",
    "vat_number",
    "pic",
    "ateco_code",
    "size_class",
    "street",
    "postcode",
    "city",
    "province",
    "nuts3",
    "country",
    "website",
    "description",
    "competences",
    "competence_notes",
    "equipment",
    "s3_themes",
    "clusters",
    "updated_at",
)
LIST_SEPARATOR = "; "

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Defuse a text cell a spreadsheet would run as a formula, by prefixing a quote."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def organization_record(organization: Organization) -> dict[str, Any]:
    """The public record of an organization (expects `organization_directory_loaded`)."""
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "htn_accredited": organization.htn_accredited,
        "vat_number": organization.vat_number,
        "pic": organization.pic,
        "ateco_code": organization.ateco_code,
        "size_class": organization.size_class,
        "street": organization.street,
        "postcode": organization.postcode,
        "city": organization.city,
        "province": organization.territory.name if organization.territory else "",
        "nuts3": organization.nuts3,
        "country": organization.country,
        "website": organization.website,
        "description": organization.description,
        "competences": [c.code for c in organization.competences.all()],
        "competence_notes": organization.competence_notes,
        "equipment": organization.equipment,
        "s3_themes": [t.code for t in organization.s3_themes.all()],
        "clusters": [m.cluster.slug for m in organization.public_memberships],  # type: ignore[attr-defined]
        "updated_at": organization.updated_at.isoformat(),
    }


def _records(organizations: QuerySet[Organization]) -> Iterator[dict[str, Any]]:
    for organization in organizations.iterator(chunk_size=CHUNK_SIZE):
        yield organization_record(organization)


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return spreadsheet_safe(str(value))


class _Line:
    """A file-like object whose write returns the line: csv.writer without a buffer."""

    def write(self, value: str) -> str:
        return value


def csv_line_writer() -> Any:
    """A csv.writer whose writerow returns the formatted line, for streamed CSV responses."""
    return csv.writer(_Line())


def csv_chunks(organizations: QuerySet[Organization]) -> Iterator[str]:
    """The CSV export: a header row, then one row per organization."""
    writer = csv_line_writer()
    yield writer.writerow(COLUMNS)
    for record in _records(organizations):
        yield writer.writerow([_csv_cell(record[column]) for column in COLUMNS])


def open_data_metadata() -> dict[str, Any]:
    """Licence, attribution and sources of the export; the sources come from the region preset."""
    preset_path = Path(settings.CLUSTERHUB_REGION_PRESET)
    preset: dict[str, Any] = {}
    if preset_path.is_file():
        preset = yaml.safe_load(preset_path.read_text(encoding="utf-8")) or {}
    region = preset.get("region", {}).get("name", {}).get("en", "the region")
    sources = [str(source) for source in preset.get("sources", [])]
    attribution = f"Registry of the innovation ecosystem of {region}, published with clusterhub."
    if sources:
        attribution += " Includes data from: " + "; ".join(sources) + "."
    return {
        "title": f"Innovation ecosystem registry: {region}",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": attribution,
        "sources": sources,
        "generated_at": timezone.now().isoformat(),
    }


def json_chunks(organizations: QuerySet[Organization]) -> Iterator[str]:
    """The JSON export: metadata (licence, attribution), then the organizations array."""
    metadata = json.dumps(open_data_metadata(), ensure_ascii=False)
    # Open the object, leave it open for the array that follows: `{...metadata, "organizations": [`
    yield metadata[:-1] + ', "organizations": ['
    separator = ""
    for record in _records(organizations):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ","
    yield "]}"


def _download(chunks: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(organizations: QuerySet[Organization]) -> StreamingHttpResponse:
    return _download(csv_chunks(organizations), "text/csv; charset=utf-8", "organizations.csv")


def json_download(organizations: QuerySet[Organization]) -> StreamingHttpResponse:
    return _download(json_chunks(organizations), "application/json", "organizations.json")
