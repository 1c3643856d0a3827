"""Writing the audit trail. Call `record_audit` inside the transaction of the change it
records, so a change and its entry are stored together or not at all."""

from typing import Any

from django.db import models

from clusterhub.audit.models import AuditEntry


def record_audit(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_label: str = "",
    cluster: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. `actor` may be None (a command or the system)."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=person,
        actor_label=(person.email if person else "system"),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:300],
        cluster=cluster,
        before=before or {},
        after=after or {},
        note=note[:500],
    )
    entry.full_clean()
    entry.save()
    return entry
