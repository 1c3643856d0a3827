"""Merging a duplicate organization into the one that is kept, with its history.

`organization_merge` moves everything that points at the duplicate (cluster memberships,
people's roles, project participations, review candidates, working groups, invitations,
earlier merges, competences and S3 themes, and whatever other app adds later: relations are
found from the model's metadata) onto the kept organization, fills the kept organization's
empty fields from the duplicate (its PIC or VAT number, say), deletes the duplicate and
records an `registry.OrganizationMerge` whose snapshot holds the duplicate's fields and every
row that could not be moved because the kept organization already had its equivalent (the
same cluster, the same person): nothing is lost.

It lives here because the review queue of project participants is its first user; it knows
nothing about projects and can move to `registry.services` as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from clusterhub.audit.models import AuditAction
from clusterhub.audit.services import record_audit
from clusterhub.registry.models import Organization, OrganizationMerge
from clusterhub.registry.services import (
    EDITABLE_FIELDS,
    organization_refresh_derived,
    organization_update,
)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    return {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def _unique_sets(model: type[models.Model], field_name: str) -> list[list[str]]:
    """The other fields that, with `field_name`, must be unique in `model`'s rows."""
    sets: list[list[str]] = []
    for constraint in model._meta.constraints:
        fields = list(getattr(constraint, "fields", ()) or ())
        if isinstance(constraint, models.UniqueConstraint) and field_name in fields:
            sets.append([f for f in fields if f != field_name])
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append([f for f in together if f != field_name])
    return [s for s in sets if s]


def _move_foreign_keys(kept: Organization, merged: Organization, snapshot: dict[str, Any]) -> None:
    for relation in Organization._meta.related_objects:
        if relation.many_to_many or not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        field = relation.field
        label = f"{model._meta.label}.{field.name}"
        rows = model._default_manager.filter(**{field.name: merged})
        if not rows.exists():
            continue
        dropped: list[dict[str, Any]] = []
        for others in _unique_sets(model, field.name):
            taken = set(model._default_manager.filter(**{field.name: kept}).values_list(*others))
            if not taken:
                continue
            for obj in list(rows):
                if tuple(getattr(obj, model._meta.get_field(f).attname) for f in others) in taken:
                    dropped.append(_row(obj))
                    obj.delete()
        moved = rows.update(**{field.name: kept})
        snapshot["moved"][label] = moved
        if dropped:
            # The kept organization already has the same (cluster, person, ...): its row stays.
            snapshot["kept_instead"][label] = dropped


def _move_many_to_many(kept: Organization, merged: Organization, snapshot: dict[str, Any]) -> None:
    # Relations declared on Organization (competences, S3 themes) ...
    for field in Organization._meta.many_to_many:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        targets = set(
            through.objects.filter(**{source: merged}).values_list(f"{target}_id", flat=True)
        )
        have = set(through.objects.filter(**{source: kept}).values_list(f"{target}_id", flat=True))
        through.objects.bulk_create(
            [through(**{f"{source}_id": kept.pk, f"{target}_id": t}) for t in targets - have]
        )
        snapshot["many_to_many"][field.name] = sorted(targets)
    # ... and on other models pointing here (working groups).
    for relation in Organization._meta.related_objects:
        if not relation.many_to_many:
            continue
        field = relation.field
        through = field.remote_field.through
        source = field.m2m_reverse_field_name()  # the Organization side
        target = field.m2m_field_name()
        owners = set(
            through.objects.filter(**{source: merged}).values_list(f"{target}_id", flat=True)
        )
        have = set(through.objects.filter(**{source: kept}).values_list(f"{target}_id", flat=True))
        through.objects.bulk_create(
            [through(**{f"{source}_id": kept.pk, f"{target}_id": o}) for o in owners - have]
        )
        snapshot["many_to_many"][relation.related_model._meta.label] = sorted(owners)


@transaction.atomic
def organization_merge(
    *, kept: Organization, merged: Organization, actor: Any = None, reason: str = ""
) -> OrganizationMerge:
    """Merge `merged` into `kept` (see the module docstring); returns the history row."""
    if kept.pk == merged.pk:
        raise ValidationError(_("An organization cannot be merged into itself."), code="same")
    locked = {
        o.pk: o
        for o in Organization.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
    }
    if len(locked) != 2:
        raise ValidationError(_("One of the organizations no longer exists."), code="gone")
    kept, merged = locked[kept.pk], locked[merged.pk]
    snapshot: dict[str, Any] = {
        "organization": _row(merged),
        "moved": {},
        "kept_instead": {},
        "many_to_many": {},
    }
    _move_many_to_many(kept, merged, snapshot)
    _move_foreign_keys(kept, merged, snapshot)
    # The kept organization's empty fields take the duplicate's values.
    filled = {
        name: getattr(merged, name)
        for name in EDITABLE_FIELDS
        if name not in ("name", "kind", "htn_accredited", "is_public")
        and getattr(merged, name)
        and not getattr(kept, name)
    }
    snapshot["filled"] = sorted(filled)
    merged_id, merged_name = merged.pk, merged.name
    merged.delete()  # its PIC and VAT number are free for the kept organization now
    if filled:
        organization_update(organization=kept, **filled)
    else:
        organization_refresh_derived(organization=kept)
    history = OrganizationMerge(
        kept=kept,
        merged_id=merged_id,
        merged_name=merged_name[:255],
        snapshot=snapshot,
        reason=reason[:255],
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    history.full_clean()
    history.save()
    record_audit(
        actor=actor,
        action=AuditAction.MERGE,
        target=kept,
        target_label=f"{merged_name} → {kept.name}"[:300],
        before={"merged": snapshot["organization"]},
        after={
            "kept": kept.pk,
            "moved": snapshot["moved"],
            "filled": snapshot["filled"],
            "history": history.pk,
        },
        note=reason,
    )
    return history
