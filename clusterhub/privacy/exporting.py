"""The export of everything clusterhub stores about a person (GDPR articles 15 and 20).

`export_person` returns one JSON-ready dict: a section per exporter of the registry, each a
list of rows. `export_archive` packs it as a zip: one JSON file per section, `export.json`
with everything, and a README that says what each file holds and why it is stored.

References to other people are never followed: a column that points at a person says "you"
or "another person", and the registry's field lists leave out other people's details.
"""

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.privacy.registry import FATE_LABELS, Exporter, exporters

FORMAT_VERSION = 1
YOU = "you"
ANOTHER_PERSON = "another person"
# The objects whose name is shown beside their id: names of things, never of people.
LABELLED_MODELS = frozenset(
    {
        "registry.organization",
        "regions.cluster",
        "events.event",
        "contributions.contribution",
        "agenda.agendaitem",
        "agenda.agendaversion",
        "opportunities.opportunity",
    }
)


def _person_model() -> type[models.Model]:
    return apps.get_model("people", "Person")


def _columns(model: type[models.Model], exporter: Exporter) -> list[models.Field[Any, Any]]:
    if exporter.fields is not None:
        return [model._meta.get_field(name) for name in exporter.fields]  # type: ignore[misc]
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in exporter.hidden and not isinstance(field, models.BinaryField)
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, columns: list[Any], person: Any) -> dict[str, Any]:
    person_model = _person_model()
    row: dict[str, Any] = {}
    for field in columns:
        if field.many_to_many:
            row[field.name] = sorted(str(related) for related in getattr(obj, field.name).all())
        elif field.is_relation:
            related_id = getattr(obj, field.attname)
            if field.related_model is person_model:
                row[field.name] = (
                    None
                    if related_id is None
                    else YOU
                    if related_id == person.pk
                    else ANOTHER_PERSON
                )
            else:
                row[field.name] = related_id
                if (
                    related_id is not None
                    and field.related_model._meta.label_lower in LABELLED_MODELS
                ):
                    row[f"{field.name}_name"] = str(getattr(obj, field.name))
        else:
            row[field.name] = _plain(getattr(obj, field.attname))
    return row


def export_section(exporter: Exporter, person: Any) -> list[dict[str, Any]]:
    model = apps.get_model(exporter.model)
    columns = _columns(model, exporter)
    related = [
        field.name
        for field in columns
        if field.is_relation
        and not field.many_to_many
        and field.related_model._meta.label_lower in LABELLED_MODELS
    ]
    queryset = (
        model._default_manager.filter(exporter.lookup(person))
        .select_related(*related)
        .order_by("pk")
        .distinct()
    )
    return [_row(obj, columns, person) for obj in queryset]


def export_person(person: Any) -> dict[str, Any]:
    """Everything about `person`, as JSON-ready data: {"format", "exported_at", "person_id",
    "sections": {key: [rows]}}. Sections with no rows are present and empty."""
    return {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "person_id": person.pk,
        "sections": {exporter.key: export_section(exporter, person) for exporter in exporters()},
    }


def _readme(data: dict[str, Any]) -> str:
    lines = [
        _("Your data in clusterhub"),
        "",
        _(
            "Exported at %(when)s. Each JSON file holds one kind of record; "
            "export.json holds them all."
        )
        % {"when": data["exported_at"]},
        _('A column that points at a person says "you" or "another person".'),
        "",
    ]
    for exporter in exporters():
        count = len(data["sections"][exporter.key])
        lines.append(f"{exporter.key}.json ({count}): {exporter.title}")
        lines.append(f"    {_('Why')}: {exporter.purpose}")
        lines.append(f"    {_('On erasure')}: {FATE_LABELS[exporter.fate]}")
    return "\n".join(lines) + "\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def export_archive(person: Any) -> bytes:
    """The export as a zip: README.txt, export.json and one <section>.json per exporter."""
    data = export_person(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(data))
        archive.writestr("export.json", _dumps(data))
        for key, rows in data["sections"].items():
            archive.writestr(f"{key}.json", _dumps(rows))
    return buffer.getvalue()


def archive_filename(person: Any) -> str:
    return f"clusterhub-data-{person.pk}-{timezone.localdate():%Y%m%d}.zip"
