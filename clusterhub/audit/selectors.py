"""Reading the audit trail (regional officers only: the views and the API check the policy;
the trail covers every cluster, so there is no narrower object-level rule)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from clusterhub.audit.models import AuditEntry
from clusterhub.regions.models import Cluster

SEARCH_MAX_LENGTH = 200


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""  # part of the actor's label (their email), or "system"
    cluster: Cluster | None = None
    target_type: str = ""  # "app_label.model"
    date_from: date | None = None  # UTC days, both included
    date_to: date | None = None
    q: str = ""  # part of the object, the note or the values before/after


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries matching every filter given, newest first."""
    entries = AuditEntry.objects.select_related("cluster")
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.cluster is not None:
        entries = entries.filter(cluster=filters.cluster)
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    if filters.date_from:
        entries = entries.filter(at__gte=_utc_midnight(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_utc_midnight(filters.date_to + timedelta(days=1)))
    if filters.q:
        q = filters.q
        entries = entries.filter(
            Q(target_label__icontains=q)
            | Q(target_id=q)
            | Q(note__icontains=q)
            | Q(before__icontains=q)
            | Q(after__icontains=q)
        )
    return entries.order_by("-at", "-id")


def object_type_label(target_type: str) -> str:
    """The model's verbose name for "app_label.model", else the text itself."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def object_types() -> list[tuple[str, str]]:
    """The object types present in the trail, as (value, label) choices."""
    types = (
        AuditEntry.objects.exclude(target_type="")
        .order_by()
        .values_list("target_type", flat=True)
        .distinct()
    )
    return sorted(((t, object_type_label(t)) for t in types), key=lambda c: c[1].lower())


def changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field named before or after, in a stable order."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [k for k in after if k not in before]
    return [(k, before.get(k), after.get(k)) for k in keys]


CSV_COLUMNS = (
    "id",
    "at_utc",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "cluster",
    "before",
    "after",
    "note",
)


def csv_records(entries: QuerySet[AuditEntry]) -> Iterator[list[Any]]:
    """One list of cells per entry, in CSV_COLUMNS order; read in chunks."""
    for entry in entries.iterator(chunk_size=2000):
        yield [
            entry.pk,
            entry.at.astimezone(UTC).isoformat(),
            entry.actor_label,
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.target_label,
            entry.cluster.slug if entry.cluster else "",
            json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
            json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
            entry.note,
        ]
