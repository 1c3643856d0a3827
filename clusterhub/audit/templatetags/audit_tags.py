"""Showing a before/after value of the audit trail as short text (escaped by the template)."""

import json
from typing import Any

from django import template

from clusterhub.audit.selectors import object_type_label

register = template.Library()

SHOWN_LENGTH = 120


@register.filter
def audit_value(value: Any) -> str:
    if value is None:
        return "–"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


@register.filter
def audit_type(target_type: str) -> str:
    """The object type's name ("organization" for "registry.organization")."""
    return object_type_label(target_type)
