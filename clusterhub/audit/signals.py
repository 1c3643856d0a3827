"""Entries for roles, the regional officer flag and memberships, written by signal handlers.

These rows change from many places: the invitation and membership services, the API, the
back office (its forms and inlines), the demo loader and the shell. Handlers on the models
cover them all in one place; the actor is whoever `audit.context` says is acting (the
signed-in person of the request, or `acting_as`). Each handler runs inside the save or delete
it records, so inside that transaction. Bulk writes (`bulk_create`, `QuerySet.update`) send no
signals: the imports and merges that use them write their own entry with their figures.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from clusterhub.audit.models import AuditAction
from clusterhub.audit.services import record_audit

OLD = "_audit_old"


@dataclass(frozen=True)
class Tracked:
    """How the rows of one model are recorded."""

    fields: tuple[str, ...]
    values: Callable[[Any], dict[str, Any]]
    target: Callable[[Any], models.Model]
    label: Callable[[Any], str]
    cluster: Callable[[Any], Any]
    # The action for (before, after); before or after is {} for a created or deleted row.
    action: Callable[[dict[str, Any], dict[str, Any]], str]


def _role_action(before: dict[str, Any], after: dict[str, Any]) -> str:
    if not after:
        return AuditAction.ROLE_REVOKED
    if before.get("role") == "admin" and after.get("role") == "member":
        return AuditAction.ROLE_REVOKED  # an organization admin lowered to member user
    return AuditAction.ROLE_GRANTED


def _tracked() -> dict[type[models.Model], Tracked]:
    from clusterhub.people.models import ClusterRole, OrganizationRole
    from clusterhub.registry.models import Membership

    return {
        ClusterRole: Tracked(
            fields=("person_id", "cluster_id", "role"),
            values=lambda r: {
                "person": r.person.email,
                "cluster": r.cluster.slug,
                "role": r.role,
            },
            target=lambda r: r.person,
            label=lambda r: f"{r.person.email} · {r.cluster.name}",
            cluster=lambda r: r.cluster,
            action=_role_action,
        ),
        OrganizationRole: Tracked(
            fields=("person_id", "organization_id", "role"),
            values=lambda r: {
                "person": r.person.email,
                "organization": r.organization_id,
                "role": r.role,
            },
            target=lambda r: r.person,
            label=lambda r: f"{r.person.email} · {r.organization.name}",
            cluster=lambda r: None,
            action=_role_action,
        ),
        Membership: Tracked(
            fields=("organization_id", "cluster_id", "role", "status", "since", "until"),
            values=lambda m: {
                "organization": m.organization_id,
                "cluster": m.cluster.slug,
                "role": m.role,
                "status": m.status,
                "since": m.since,
                "until": m.until,
            },
            target=lambda m: m.organization,
            label=lambda m: f"{m.organization.name} · {m.cluster.name}",
            cluster=lambda m: m.cluster,
            action=lambda before, after: AuditAction.MEMBERSHIP_CHANGED,
        ),
    }


def _changed(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def _before_save(sender: type[models.Model], instance: Any, raw: bool = False, **kw: Any) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    tracked = TRACKED[sender]
    old = sender._base_manager.filter(pk=instance.pk).first()
    setattr(instance, OLD, tracked.values(old) if old is not None else None)


def _after_save(
    sender: type[models.Model], instance: Any, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw:
        return
    tracked = TRACKED[sender]
    old = instance.__dict__.pop(OLD, None)
    new = tracked.values(instance)
    before, after = ({}, new) if created or old is None else _changed(old, new)
    if not after:
        return  # saved without a change
    _record(tracked, instance, before, after)


def _after_delete(sender: type[models.Model], instance: Any, origin: Any = None, **kw: Any) -> None:
    tracked = TRACKED[sender]
    cluster = tracked.cluster(instance)
    if cluster is not None and isinstance(origin, type(cluster)) and origin.pk == cluster.pk:
        cluster = None  # the cluster itself is being deleted: the entry cannot point at it
    _record(tracked, instance, tracked.values(instance), {}, cluster=cluster)


def _record(
    tracked: Tracked,
    instance: Any,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    cluster: Any = ...,
) -> None:
    record_audit(
        actor=None,
        action=tracked.action(before, after),
        target=tracked.target(instance),
        target_label=tracked.label(instance),
        cluster=tracked.cluster(instance) if cluster is ... else cluster,
        before=before,
        after=after,
    )


# --- The person's own flags -------------------------------------------------------------

# Flags that give powers: the regional officer's, and the back office's.
PERSON_FLAGS = ("is_regional_officer", "is_staff", "is_superuser")


def _person_before_save(
    sender: type[models.Model],
    instance: Any,
    raw: bool = False,
    update_fields: Any = None,
    **kw: Any,
) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(PERSON_FLAGS):
        return  # e.g. last_login at every sign-in: no extra query
    old = sender._base_manager.filter(pk=instance.pk).values(*PERSON_FLAGS).first()
    setattr(instance, OLD, old)


def _person_after_save(
    sender: type[models.Model], instance: Any, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw:
        return
    old = instance.__dict__.pop(OLD, None)
    if old is None and not created:
        return
    for flag in PERSON_FLAGS:
        was = bool(old and old[flag])
        now = bool(getattr(instance, flag))
        if was == now:
            continue
        record_audit(
            actor=None,
            action=AuditAction.ROLE_GRANTED if now else AuditAction.ROLE_REVOKED,
            target=instance,
            target_label=instance.email,
            before={flag: was} if not created else {},
            after={flag: now},
        )


TRACKED: dict[type[models.Model], Tracked] = {}


def connect() -> None:
    from clusterhub.people.models import Person

    TRACKED.update(_tracked())
    for model in TRACKED:
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    pre_save.connect(_person_before_save, sender=Person, dispatch_uid="audit:person")
    post_save.connect(_person_after_save, sender=Person, dispatch_uid="audit:person")
