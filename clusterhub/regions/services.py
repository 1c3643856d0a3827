"""Writes for region configuration: loading a preset file."""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from clusterhub.regions.models import (
    Cluster,
    ClusterGroup,
    Competence,
    Postcode,
    Region,
    S3Theme,
    Territory,
)


class PresetError(ValueError):
    """The preset file is malformed; the message names the key at fault."""


@dataclass(frozen=True)
class PresetSummary:
    region: str
    clusters: int
    s3_themes: int
    competences: int
    territories: int
    postcodes: int


def _names(node: dict[str, Any], where: str) -> dict[str, str]:
    name = node.get("name")
    if isinstance(name, str):
        return {"name_en": name, "name_it": name}
    if not isinstance(name, dict) or not (name.get("en") or name.get("it")):
        raise PresetError(f"{where}: 'name' must be a string or a mapping with 'en' and/or 'it'")
    return {
        "name_en": str(name.get("en") or name["it"]),
        "name_it": str(name.get("it") or name["en"]),
    }


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise PresetError(f"{where}: missing key '{key}'")
    return data[key]


def _load_tree(model: type[S3Theme] | type[Competence], nodes: list[Any], key: str) -> int:
    count = 0
    for position, node in enumerate(nodes):
        where = f"{key}[{position}]"
        code = str(_require(node, "code", where))
        parent, _ = model.objects.update_or_create(
            code=code,
            defaults={**_names(node, where), "level": 1, "parent": None, "position": position},
        )
        count += 1
        for child_pos, child in enumerate(node.get("children") or []):
            child_where = f"{where}.children[{child_pos}]"
            model.objects.update_or_create(
                code=str(_require(child, "code", child_where)),
                defaults={
                    **_names(child, child_where),
                    "level": 2,
                    "parent": parent,
                    "position": child_pos,
                },
            )
            count += 1
    return count


def region_load_preset(*, path: Path) -> PresetSummary:
    """Create or update the region's configuration from a preset file. Idempotent."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PresetError(f"{path}: cannot read preset ({exc})") from exc
    if not isinstance(data, dict):
        raise PresetError(f"{path}: the preset must be a mapping")

    with transaction.atomic():
        region_data = _require(data, "region", "preset")
        region, _ = Region.objects.update_or_create(
            code=_require(region_data, "code", "region"),
            defaults={
                **_names(region_data, "region"),
                "country": region_data.get("country", "IT"),
                "nuts2": _require(region_data, "nuts2", "region"),
            },
        )
        s3_count = _load_tree(S3Theme, data.get("s3_themes") or [], "s3_themes")
        competence_count = _load_tree(Competence, data.get("competences") or [], "competences")

        groups = {}
        for position, node in enumerate(_require(data, "cluster_groups", "preset")):
            code = _require(node, "code", f"cluster_groups[{position}]")
            groups[code], _ = ClusterGroup.objects.update_or_create(
                code=code,
                defaults={**_names(node, f"cluster_groups[{position}]"), "position": position},
            )

        clusters = _require(data, "clusters", "preset")
        for position, node in enumerate(clusters):
            where = f"clusters[{position}]"
            group_code = _require(node, "group", where)
            if group_code not in groups:
                raise PresetError(f"{where}: unknown group '{group_code}'")
            s3_area = None
            if node.get("s3_area"):
                s3_area = S3Theme.objects.filter(code=str(node["s3_area"]), level=1).first()
                if s3_area is None:
                    raise PresetError(f"{where}: unknown s3_area '{node['s3_area']}'")
            description = node.get("description") or {}
            Cluster.objects.update_or_create(
                slug=_require(node, "slug", where),
                defaults={
                    **_names(node, where),
                    "short_name": node.get("short_name", ""),
                    "group": groups[group_code],
                    "s3_area": s3_area,
                    "color": node.get("color", "#2f6f9f"),
                    "description_en": description.get("en", ""),
                    "description_it": description.get("it", ""),
                    "position": position,
                },
            )

        territories = {}
        for position, node in enumerate(_require(data, "territories", "preset")):
            where = f"territories[{position}]"
            nuts3 = _require(node, "nuts3", where)
            territories[nuts3], _ = Territory.objects.update_or_create(
                nuts3=nuts3,
                defaults={
                    "name": _require(node, "name", where),
                    "abbreviation": node.get("abbreviation", ""),
                    "cities": [str(city) for city in node.get("cities") or []],
                },
            )

        postcode_count = 0
        if data.get("postcodes_file"):
            postcode_path = path.parent / data["postcodes_file"]
            existing = dict(Postcode.objects.values_list("code", "territory__nuts3"))
            with postcode_path.open(encoding="utf-8-sig", newline="") as handle:
                for line, row in enumerate(csv.DictReader(handle), start=2):
                    territory = territories.get(row.get("nuts3", ""))
                    if territory is None:
                        raise PresetError(
                            f"{postcode_path.name} line {line}: unknown NUTS-3 '{row.get('nuts3')}'"
                        )
                    code = row["postcode"].strip()
                    if existing.get(code) != territory.nuts3:
                        Postcode.objects.update_or_create(
                            code=code, defaults={"territory": territory}
                        )
                    postcode_count += 1

    return PresetSummary(
        region=region.code,
        clusters=len(clusters),
        s3_themes=s3_count,
        competences=competence_count,
        territories=len(territories),
        postcodes=postcode_count,
    )
