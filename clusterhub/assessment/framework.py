"""Frameworks as configuration: the self-assessment indicators and the manager competences.

Both live in files beside the region preset (`assessment.yaml`, `skills.yaml`). They are read
and checked here; any mistake raises FrameworkError naming the file and the entry at fault.
An assessment stores a copy of the framework it was filled with (`Framework.data`), so a newer
file never changes how an older assessment reads or scores.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import get_language

SCALES = ("levels", "numeric")
CODE_MAX = 40


class FrameworkError(ValueError):
    """A framework file is malformed; the message names the file and the entry at fault."""


def translated(text: Mapping[str, str] | str) -> str:
    """The text in the active language, else English, else any."""
    if isinstance(text, str):
        return text
    language = (get_language() or "en")[:2]
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


@dataclass(frozen=True)
class Indicator:
    code: str
    area: str
    text: Mapping[str, str]
    scale: str
    thresholds: tuple[float, ...]
    unit: str
    evidence: str
    weight: float
    level_count: int

    @property
    def label(self) -> str:
        return translated(self.text)

    @property
    def max_level(self) -> int:
        return len(self.thresholds) if self.scale == "numeric" else self.level_count - 1

    @property
    def is_numeric(self) -> bool:
        return self.scale == "numeric"


@dataclass(frozen=True)
class Area:
    code: str
    name: Mapping[str, str]
    weight: float
    indicators: tuple[Indicator, ...]

    @property
    def label(self) -> str:
        return translated(self.name)


@dataclass(frozen=True)
class Framework:
    version: str
    name: Mapping[str, str]
    reference_percent: float
    levels: tuple[Mapping[str, str], ...]
    areas: tuple[Area, ...]
    data: Mapping[str, Any]  # the validated file, stored with each assessment

    @property
    def label(self) -> str:
        return translated(self.name)

    def level_labels(self) -> list[str]:
        return [translated(level) for level in self.levels]

    def indicators(self) -> list[Indicator]:
        return [indicator for area in self.areas for indicator in area.indicators]

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.code == code), None)

    def area(self, code: str) -> Area | None:
        return next((a for a in self.areas if a.code == code), None)


def _text(node: Any, where: str) -> dict[str, str]:
    """A translated text: {en: ..., it: ...} (or one plain string, used for every language)."""
    if isinstance(node, str) and node.strip():
        return {"en": node}
    if (
        isinstance(node, Mapping)
        and node
        and all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in node.items())
    ):
        return {str(k): str(v) for k, v in node.items()}
    raise FrameworkError(f"{where}: needs a text, or a mapping of language to text")


def _weight(node: Mapping[str, Any], where: str) -> float:
    weight = node.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        raise FrameworkError(f"{where}: weight must be a positive number")
    return float(weight)


def _code(node: Mapping[str, Any], where: str, seen: set[str]) -> str:
    code = node.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > CODE_MAX:
        raise FrameworkError(f"{where}: needs a code of 1 to {CODE_MAX} characters")
    if not code.replace("-", "").replace("_", "").isalnum():
        raise FrameworkError(f"{where}: code '{code}' may hold letters, digits, - and _ only")
    if code in seen:
        raise FrameworkError(f"{where}: code '{code}' is used twice")
    seen.add(code)
    return code


def _list(node: Any, where: str) -> list[Any]:
    if not isinstance(node, list) or not node:
        raise FrameworkError(f"{where}: needs a non-empty list")
    return node


def _version(data: Mapping[str, Any], source: str) -> str:
    version = data.get("version")
    if not isinstance(version, str | int | float) or isinstance(version, bool) or not str(version):
        raise FrameworkError(f"{source}: needs a version")
    return str(version)[:40]


def parse_assessment_framework(
    data: Any, source: str, evidence_names: frozenset[str] | None = None
) -> Framework:
    """Check a framework read from `source` and build it. FrameworkError names what is wrong."""
    if evidence_names is None:
        from clusterhub.assessment.evidence import SOURCES

        evidence_names = frozenset(SOURCES)
    if not isinstance(data, Mapping):
        raise FrameworkError(f"{source}: the framework must be a mapping")
    version = _version(data, source)
    name = _text(data.get("name"), f"{source}: name")
    reference = data.get("reference_percent", 80)
    if isinstance(reference, bool) or not isinstance(reference, int | float):
        raise FrameworkError(f"{source}: reference_percent must be a number")
    if not 0 < reference <= 100:
        raise FrameworkError(f"{source}: reference_percent must be between 0 and 100")
    levels = tuple(
        _text(level, f"{source}: levels[{n}]")
        for n, level in enumerate(_list(data.get("levels"), f"{source}: levels"))
    )
    if len(levels) < 2:
        raise FrameworkError(f"{source}: levels needs at least two levels")
    areas: list[Area] = []
    area_codes: set[str] = set()
    indicator_codes: set[str] = set()
    for a, area_node in enumerate(_list(data.get("areas"), f"{source}: areas")):
        where = f"{source}: areas[{a}]"
        if not isinstance(area_node, Mapping):
            raise FrameworkError(f"{where}: must be a mapping")
        area_code = _code(area_node, where, area_codes)
        where = f"{source}: area '{area_code}'"
        indicators: list[Indicator] = []
        nodes = _list(area_node.get("indicators"), f"{where}: indicators")
        for i, node in enumerate(nodes):
            at = f"{where}: indicators[{i}]"
            if not isinstance(node, Mapping):
                raise FrameworkError(f"{at}: must be a mapping")
            code = _code(node, at, indicator_codes)
            at = f"{source}: indicator '{code}'"
            indicators.append(_indicator(node, at, code, area_code, len(levels), evidence_names))
        areas.append(
            Area(
                code=area_code,
                name=_text(area_node.get("name"), f"{where}: name"),
                weight=_weight(area_node, where),
                indicators=tuple(indicators),
            )
        )
    return Framework(
        version=version,
        name=name,
        reference_percent=float(reference),
        levels=levels,
        areas=tuple(areas),
        data=dict(data),
    )


def _indicator(
    node: Mapping[str, Any],
    at: str,
    code: str,
    area: str,
    level_count: int,
    evidence_names: frozenset[str],
) -> Indicator:
    scale = node.get("scale")
    if scale not in SCALES:
        raise FrameworkError(f"{at}: scale must be one of {', '.join(SCALES)}")
    thresholds: tuple[float, ...] = ()
    if scale == "numeric":
        raw = _list(node.get("thresholds"), f"{at}: thresholds")
        if any(isinstance(t, bool) or not isinstance(t, int | float) for t in raw):
            raise FrameworkError(f"{at}: thresholds must be numbers")
        thresholds = tuple(float(t) for t in raw)
        if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
            raise FrameworkError(f"{at}: thresholds must rise strictly")
    elif "thresholds" in node:
        raise FrameworkError(f"{at}: thresholds belong to a numeric scale only")
    evidence = node.get("evidence") or ""
    if evidence and evidence not in evidence_names:
        raise FrameworkError(f"{at}: unknown evidence source '{evidence}'")
    unit = node.get("unit", "")
    if not isinstance(unit, str):
        raise FrameworkError(f"{at}: unit must be a text")
    return Indicator(
        code=code,
        area=area,
        text=_text(node.get("text"), f"{at}: text"),
        scale=str(scale),
        thresholds=thresholds,
        unit=unit,
        evidence=str(evidence),
        weight=_weight(node, at),
        level_count=level_count,
    )


# --- Skills ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Competence:
    code: str
    area: str
    text: Mapping[str, str]

    @property
    def label(self) -> str:
        return translated(self.text)


@dataclass(frozen=True)
class SkillArea:
    code: str
    name: Mapping[str, str]
    target: int
    keywords: tuple[str, ...]
    competences: tuple[Competence, ...]

    @property
    def label(self) -> str:
        return translated(self.name)


@dataclass(frozen=True)
class SkillFramework:
    version: str
    name: Mapping[str, str]
    levels: tuple[Mapping[str, str], ...]
    areas: tuple[SkillArea, ...]
    data: Mapping[str, Any]

    @property
    def max_level(self) -> int:
        return len(self.levels) - 1

    def level_labels(self) -> list[str]:
        return [translated(level) for level in self.levels]

    def competences(self) -> list[Competence]:
        return [c for area in self.areas for c in area.competences]


def parse_skill_framework(data: Any, source: str) -> SkillFramework:
    """Check a competency framework read from `source` and build it."""
    if not isinstance(data, Mapping):
        raise FrameworkError(f"{source}: the framework must be a mapping")
    version = _version(data, source)
    name = _text(data.get("name"), f"{source}: name")
    levels = tuple(
        _text(level, f"{source}: levels[{n}]")
        for n, level in enumerate(_list(data.get("levels"), f"{source}: levels"))
    )
    if len(levels) < 2:
        raise FrameworkError(f"{source}: levels needs at least two levels")
    areas: list[SkillArea] = []
    area_codes: set[str] = set()
    competence_codes: set[str] = set()
    for a, node in enumerate(_list(data.get("areas"), f"{source}: areas")):
        where = f"{source}: areas[{a}]"
        if not isinstance(node, Mapping):
            raise FrameworkError(f"{where}: must be a mapping")
        code = _code(node, where, area_codes)
        where = f"{source}: area '{code}'"
        target = node.get("target")
        if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target < len(levels):
            raise FrameworkError(f"{where}: target must be a level from 0 to {len(levels) - 1}")
        keywords = node.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise FrameworkError(f"{where}: keywords must be a list of texts")
        competences = []
        for c, item in enumerate(_list(node.get("competences"), f"{where}: competences")):
            at = f"{where}: competences[{c}]"
            if not isinstance(item, Mapping):
                raise FrameworkError(f"{at}: must be a mapping")
            competence_code = _code(item, at, competence_codes)
            competences.append(
                Competence(
                    code=competence_code,
                    area=code,
                    text=_text(item.get("text"), f"{source}: competence '{competence_code}': text"),
                )
            )
        areas.append(
            SkillArea(
                code=code,
                name=_text(node.get("name"), f"{where}: name"),
                target=target,
                keywords=tuple(k.strip().lower() for k in keywords if k.strip()),
                competences=tuple(competences),
            )
        )
    return SkillFramework(
        version=version, name=name, levels=levels, areas=tuple(areas), data=dict(data)
    )


# --- Files ----------------------------------------------------------------------------------


def preset_file(name: str) -> Path:
    """A framework file beside the region preset (settings.CLUSTERHUB_REGION_PRESET)."""
    return Path(settings.CLUSTERHUB_REGION_PRESET).parent / name


_cache: dict[tuple[str, float], Any] = {}


def _load(path: Path, parse: Callable[[Any, str], Any]) -> Any:
    try:
        stamp = path.stat().st_mtime
    except OSError as exc:
        raise FrameworkError(f"{path}: cannot read the framework ({exc.strerror})") from exc
    key = (str(path), stamp)
    if key not in _cache:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise FrameworkError(f"{path}: cannot read the framework ({exc})") from exc
        _cache[key] = parse(data, path.name)
    return _cache[key]


def assessment_framework(path: Path | None = None) -> Framework:
    """The current self-assessment framework (the preset's assessment.yaml)."""
    result: Framework = _load(path or preset_file("assessment.yaml"), parse_assessment_framework)
    return result


def skill_framework(path: Path | None = None) -> SkillFramework:
    """The current competency framework of cluster managers (the preset's skills.yaml)."""
    result: SkillFramework = _load(path or preset_file("skills.yaml"), parse_skill_framework)
    return result


def stored_assessment_framework(data: Mapping[str, Any]) -> Framework:
    """The framework an assessment was filled with, from its stored copy."""
    return parse_assessment_framework(data, "stored framework", evidence_names=_any_name(data))


def stored_skill_framework(data: Mapping[str, Any]) -> SkillFramework:
    return parse_skill_framework(data, "stored framework")


def _any_name(data: Mapping[str, Any]) -> frozenset[str]:
    """Every evidence name a stored framework uses: a source removed since stays readable."""
    names = set()
    for area in data.get("areas") or []:
        for indicator in (area or {}).get("indicators") or []:
            if isinstance(indicator, Mapping) and indicator.get("evidence"):
                names.add(str(indicator["evidence"]))
    return frozenset(names)
