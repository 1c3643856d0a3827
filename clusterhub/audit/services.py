"""Writing the audit trail. Call `record_audit` inside the transaction of the change it
records, so a change and its entry are stored together or not at all.

Two ways entries get written (docs/audit.md):
- explicit calls in the services of business operations (moderation, imports, merges,
  erasures, agenda phases), which know the actor and the figures;
- signal handlers (`audit.signals`) for roles, the regional officer flag and memberships,
  which are changed from many places (services, the back office and its inlines, the demo
  loader, the shell); their actor comes from `audit.context`.
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from clusterhub.audit.context import current_actor, current_note
from clusterhub.audit.models import AuditEntry


def _plain(value: dict[str, Any] | None) -> dict[str, Any]:
    """A JSON-safe copy (dates as ISO text, decimals and UUIDs as text, models as ids)."""
    if not value:
        return {}

    class Encoder(DjangoJSONEncoder):
        def default(self, o: Any) -> Any:
            if isinstance(o, models.Model):
                return o.pk
            if isinstance(o, set | frozenset | tuple):
                return sorted(o, key=str)
            return super().default(o)

    return json.loads(json.dumps(value, cls=Encoder))


def actor_label_for(person: Any) -> str:
    return person.email if person is not None else "system"


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
    target_type: str = "",
) -> AuditEntry:
    """Append one entry. `actor` may be None: then the person of the current request (or of
    `audit.context.acting_as`) is the actor, and without one the system is. Without a
    `target` object, `target_type` may name the kind of objects concerned (an import's)."""
    if actor is None:
        actor = current_actor()
    person = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=person,
        actor_label=actor_label_for(person)[:200],
        action=action,
        target_type=target._meta.label_lower if target is not None else target_type,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:300],
        cluster=cluster,
        before=_plain(before),
        after=_plain(after),
        note=(note or current_note())[:500],
    )
    entry.full_clean()
    entry.save()
    return entry
