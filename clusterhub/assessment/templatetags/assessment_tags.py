"""Small display filters of the assessment pages."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.utils.formats import number_format

from clusterhub.assessment.evidence import PART_LABELS
from clusterhub.assessment.framework import Indicator, translated
from clusterhub.registry.models import OrganizationKind

register = template.Library()


def _number(value: float) -> str:
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(float(value), 1), decimal_pos=1, force_grouping=True)


@register.filter
def evidence_value(value: Any, indicator: Indicator) -> str:
    """A platform figure with its unit: "42 organizations", "35.5%", "1,200,000 EUR"."""
    if value is None:
        return "–"
    text = _number(value)
    if indicator.unit == "%":
        return f"{text}%"
    return f"{text} {indicator.unit}".strip()


@register.filter
def evidence_parts(parts: Mapping[str, float] | None) -> str:
    """The figures behind a value, labelled: "12 firms · 3 SMEs"."""
    if not parts:
        return ""
    labels = dict(OrganizationKind.choices)
    shown = []
    for key, value in parts.items():
        label = PART_LABELS.get(key) or labels.get(key) or key
        shown.append(f"{_number(value)} {label}")
    return " · ".join(shown)


@register.filter
def get_entry(mapping: Any, key: str) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def thresholds(values: Sequence[float], indicator: Indicator) -> str:
    """ "1 → 1 · 3 → 2 · ..." : the value from which each level is reached."""
    return " · ".join(
        f"{evidence_value(value, indicator)} → {level}"
        for level, value in enumerate(values, start=1)
    )


@register.filter
def level_label(levels: Sequence[tuple[int, str]], level: int) -> str:
    for number, label in levels:
        if number == level:
            return f"{number} · {label}"
    return str(level)


@register.filter
def gap_for(gaps: Sequence[Any], code: str) -> Any:
    return next((gap for gap in gaps if gap.code == code), None)


@register.filter(name="translated")
def translated_filter(text: Any) -> str:
    return translated(text)


@register.filter
def get_field(form: Any, name: str) -> Any:
    return form[name]
