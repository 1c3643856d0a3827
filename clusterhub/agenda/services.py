"""Every write of the agenda's versions and items: create a version (empty, or carrying the
items of an earlier one), edit, split, merge and remove items, their KPIs and milestones, and
move a version through its phases.

Rules kept here, whoever calls (the HTML views, the API, the demo):
- a cluster has at most one version being prepared (draft or consultation) at a time;
- items change only while their version is a draft or in consultation; approved and
  published versions are frozen (only the progress of KPIs and milestones is recorded);
- an item edit names the revision it was based on: a stale one is refused, never applied;
- every change of an item is an `ItemEvent` (fields before and after), every phase change an
  audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.agenda.models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    AgendaVersion,
    ItemEvent,
    ItemEventKind,
    ItemLineage,
    ItemStatus,
    Kpi,
    LineageKind,
    Milestone,
    Phase,
    VotingMethod,
)
from clusterhub.agenda.selectors import EDITABLE_PHASES, linkable_contributions, linkable_topics
from clusterhub.audit.models import AuditAction
from clusterhub.audit.services import record_audit
from clusterhub.contributions.models import Contribution
from clusterhub.contributions.services import clean_line, clean_text
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.services import StaleVersionError
from clusterhub.trends.models import Topic

MAX_POINTS_BUDGET = 1000
MAX_SPLIT_PARTS = 10
MAX_MERGED_ITEMS = 20
# The fields of an item an edit may change, and the ones its history records.
ITEM_FIELDS = (
    "title",
    "objective",
    "planned_actions",
    "responsible",
    "priority_area",
    "starts_on",
    "ends_on",
    "position",
)
LINK_FIELDS = ("contributions", "topics")


class StaleItemError(StaleVersionError):
    """The item changed since the caller read it (HTTP 409 through StaleVersionError)."""

    def __init__(self, current_revision: int) -> None:
        super().__init__(current_revision)
        self.args = (
            _(
                "Someone else changed this item meanwhile (it is now at revision %(revision)d): "
                "nothing was saved. Look at the current text and apply your change again."
            )
            % {"revision": current_revision},
        )

    def __str__(self) -> str:
        return str(self.args[0])


def _fail(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _text(value: Any, field: str, limit: int, *, required: bool = False, line: bool = False) -> str:
    text = clean_line(str(value or "")) if line else clean_text(str(value or ""))
    if required and not text:
        raise _fail(field, _("This field cannot be blank."))
    if len(text) > limit:
        raise _fail(
            field,
            _("At most %(limit)d characters (this text has %(count)d).")
            % {"limit": limit, "count": len(text)},
        )
    return text


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _frozen_error(version: AgendaVersion) -> ValidationError:
    return ValidationError(
        _(
            "Version %(number)d is %(phase)s: its items are frozen. Draft a new version to "
            "change them."
        )
        % {"number": version.number, "phase": version.get_phase_display().lower()}
    )


def _lock_version(version: AgendaVersion) -> AgendaVersion:
    return AgendaVersion.objects.select_for_update().select_related("cluster").get(pk=version.pk)


def _editable_version(version: AgendaVersion) -> AgendaVersion:
    locked = _lock_version(version)
    if locked.phase not in EDITABLE_PHASES:
        raise _frozen_error(locked)
    return locked


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, S3Theme):
        return value.code
    return value


def item_snapshot(item: AgendaItem, *, links: bool = True) -> dict[str, Any]:
    """The item's fields as JSON, for its history."""
    data = {
        "title": item.title,
        "objective": item.objective,
        "planned_actions": item.planned_actions,
        "responsible": item.responsible,
        "priority_area": item.priority_area.code if item.priority_area_id else None,  # type: ignore[union-attr]
        "starts_on": _jsonable(item.starts_on),
        "ends_on": _jsonable(item.ends_on),
        "position": item.position,
        "status": item.status,
        "revision": item.revision,
    }
    if links and item.pk:
        data["contributions"] = sorted(item.contributions.values_list("pk", flat=True))
        data["topics"] = sorted(item.topics.values_list("pk", flat=True))
    return data


def _event(
    item: AgendaItem,
    *,
    actor: Any,
    kind: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        version_id=item.version_id,
        actor=_actor(actor),
        kind=kind,
        before=before or {},
        after=after or {},
        note=note[:500],
    )


def _phase_audit(
    version: AgendaVersion, *, actor: Any, before: dict[str, Any], note: str = ""
) -> None:
    record_audit(
        actor=actor,
        action=AuditAction.AGENDA_PHASE,
        target=version,
        cluster=version.cluster,
        before=before,
        after={"phase": version.phase, **_dates(version)},
        note=note,
    )


def _dates(version: AgendaVersion) -> dict[str, Any]:
    return {
        key: _jsonable(getattr(version, key))
        for key in ("consultation_opens_at", "consultation_closes_at")
        if getattr(version, key) is not None
    }


# --- Versions -----------------------------------------------------------------------------


@transaction.atomic
def version_create(
    *,
    cluster: Cluster,
    actor: Any,
    title: str,
    summary: str = "",
    based_on: AgendaVersion | None = None,
) -> AgendaVersion:
    """Start drafting the cluster's next version: empty, or carrying the active items of
    `based_on` (with their KPIs, milestones and links; a CARRIED lineage each)."""
    Cluster.objects.select_for_update().filter(pk=cluster.pk).first()  # one draft at a time
    title = _text(title, "title", TITLE_MAX_LENGTH, required=True, line=True)
    summary = _text(summary, "summary", TEXT_MAX_LENGTH)
    open_one = AgendaVersion.objects.filter(
        cluster=cluster, phase__in=(Phase.DRAFT, Phase.CONSULTATION)
    ).first()
    if open_one is not None:
        raise ValidationError(
            _(
                "Version %(number)d is still being prepared (%(phase)s): finish it before "
                "drafting another one."
            )
            % {"number": open_one.number, "phase": open_one.get_phase_display().lower()}
        )
    if based_on is not None and based_on.cluster_id != cluster.pk:
        raise _fail("based_on", _("A version can only be based on one of the same cluster."))
    number = (
        AgendaVersion.objects.filter(cluster=cluster).aggregate(top=Max("number"))["top"] or 0
    ) + 1
    version = AgendaVersion(
        cluster=cluster,
        number=number,
        title=title,
        summary=summary,
        based_on=based_on,
        created_by=_actor(actor),
    )
    if based_on is not None:
        version.voting_method = based_on.voting_method
        version.points_budget = based_on.points_budget
    version.full_clean()
    version.save()
    if based_on is not None:
        for item in based_on.items.filter(status=ItemStatus.ACTIVE).order_by("position", "id"):
            copy = _copy_item(item, version=version, title=item.title, objective=item.objective)
            ItemLineage.objects.create(parent=item, child=copy, kind=LineageKind.CARRIED)
            _event(
                copy,
                actor=actor,
                kind=ItemEventKind.CREATED,
                after=item_snapshot(copy),
                note=f"v{based_on.number} → v{number}",
            )
    _phase_audit(version, actor=actor, before={}, note=f"v{number}")
    return version


def _copy_item(
    item: AgendaItem,
    *,
    version: AgendaVersion,
    kpis: Iterable[Kpi] | None = None,
    milestones: Iterable[Milestone] | None = None,
    links: bool = True,
    **fields: Any,
) -> AgendaItem:
    """A new active item of `version` with the item's fields (overridden by `fields`), its
    links, and copies of its KPIs and milestones (or of those given)."""
    values = {name: getattr(item, name) for name in ITEM_FIELDS}
    values.update(fields)
    copy = AgendaItem(version=version, **values)
    copy.full_clean()
    copy.save()
    if links:
        copy.contributions.set(item.contributions.all())
        copy.topics.set(item.topics.all())
    _copy_measures(
        copy,
        item.kpis.all() if kpis is None else kpis,
        item.milestones.all() if milestones is None else milestones,
    )
    return copy


def _copy_measures(item: AgendaItem, kpis: Iterable[Kpi], milestones: Iterable[Milestone]) -> None:
    Kpi.objects.bulk_create(
        Kpi(
            item=item,
            name=kpi.name,
            unit=kpi.unit,
            baseline=kpi.baseline,
            target=kpi.target,
            current=kpi.current,
        )
        for kpi in kpis
    )
    Milestone.objects.bulk_create(
        Milestone(item=item, title=m.title, due_on=m.due_on, done_on=m.done_on) for m in milestones
    )


def _phase_error(version: AgendaVersion, expected: str) -> ValidationError:
    return ValidationError(
        _("Version %(number)d is %(phase)s, not %(expected)s: this step does not apply.")
        % {
            "number": version.number,
            "phase": version.get_phase_display().lower(),
            "expected": Phase(expected).label.lower(),
        }
    )


@transaction.atomic
def version_open_consultation(
    *,
    version: AgendaVersion,
    actor: Any,
    opens_at: datetime,
    closes_at: datetime,
    voting_method: str = VotingMethod.APPROVAL,
    points_budget: int = 10,
    now: datetime | None = None,
) -> AgendaVersion:
    """Put a draft to the members: comments, amendments and ballots between the two dates."""
    now = now or timezone.now()
    locked = _lock_version(version)
    if locked.phase != Phase.DRAFT:
        raise _phase_error(locked, Phase.DRAFT)
    if not locked.items.filter(status=ItemStatus.ACTIVE).exists():
        raise ValidationError(_("Add at least one item before opening the consultation."))
    if opens_at is None or closes_at is None:
        raise _fail("consultation_closes_at", _("Give the opening and the closing date."))
    if closes_at <= opens_at:
        raise _fail("consultation_closes_at", _("The consultation must close after it opens."))
    if closes_at <= now:
        raise _fail("consultation_closes_at", _("The closing date is already past."))
    if voting_method not in VotingMethod.values:
        raise _fail("voting_method", _("Choose approval or a budget of points."))
    if voting_method == VotingMethod.POINTS and not 1 <= int(points_budget) <= MAX_POINTS_BUDGET:
        raise _fail(
            "points_budget",
            _("Give each organization between 1 and %(max)d points.") % {"max": MAX_POINTS_BUDGET},
        )
    before = {"phase": locked.phase}
    locked.phase = Phase.CONSULTATION
    locked.consultation_opens_at = opens_at
    locked.consultation_closes_at = closes_at
    locked.voting_method = voting_method
    if voting_method == VotingMethod.POINTS:
        locked.points_budget = int(points_budget)
    locked.full_clean()
    locked.save(
        update_fields=[
            "phase",
            "consultation_opens_at",
            "consultation_closes_at",
            "voting_method",
            "points_budget",
            "updated_at",
        ]
    )
    _phase_audit(locked, actor=actor, before=before)
    return locked


@transaction.atomic
def version_close_consultation(
    *, version: AgendaVersion, actor: Any, now: datetime | None = None
) -> AgendaVersion:
    """End the consultation now (ballots after this are refused); the phase stays
    consultation until the version is approved."""
    now = now or timezone.now()
    locked = _lock_version(version)
    if locked.phase != Phase.CONSULTATION:
        raise _phase_error(locked, Phase.CONSULTATION)
    opens_at = locked.consultation_opens_at
    if opens_at is not None and opens_at >= now:
        raise ValidationError(
            _("The consultation has not opened yet: it cannot close before it opens.")
        )
    closes_at = locked.consultation_closes_at
    if closes_at is not None and closes_at <= now:
        return locked  # already closed: nothing changes
    before = {"phase": locked.phase, **_dates(locked)}
    locked.consultation_closes_at = now
    locked.full_clean()
    locked.save(update_fields=["consultation_closes_at", "updated_at"])
    _phase_audit(locked, actor=actor, before=before, note="consultation closed")
    return locked


@transaction.atomic
def version_approve(
    *, version: AgendaVersion, actor: Any, now: datetime | None = None
) -> AgendaVersion:
    """Approve a version whose consultation is over; from now on its items are frozen."""
    now = now or timezone.now()
    locked = _lock_version(version)
    if locked.phase != Phase.CONSULTATION:
        raise _phase_error(locked, Phase.CONSULTATION)
    if locked.consultation_closes_at is None or locked.consultation_closes_at > now:
        raise ValidationError(_("Close the consultation before approving the version."))
    before = {"phase": locked.phase}
    locked.phase = Phase.APPROVED
    locked.approved_at = now
    locked.save(update_fields=["phase", "approved_at", "updated_at"])
    _phase_audit(locked, actor=actor, before=before)
    return locked


@transaction.atomic
def version_publish(
    *, version: AgendaVersion, actor: Any, now: datetime | None = None
) -> AgendaVersion:
    """Publish an approved version. Earlier published versions stay published and citable;
    the newest one is the cluster's current agenda."""
    locked = _lock_version(version)
    if locked.phase != Phase.APPROVED:
        raise _phase_error(locked, Phase.APPROVED)
    before = {"phase": locked.phase}
    locked.phase = Phase.PUBLISHED
    locked.published_at = now or timezone.now()
    locked.save(update_fields=["phase", "published_at", "updated_at"])
    _phase_audit(locked, actor=actor, before=before)
    return locked


# --- Items --------------------------------------------------------------------------------


def _checked_links(
    version: AgendaVersion,
    contributions: Iterable[Contribution] | None,
    topics: Iterable[Topic] | None,
) -> tuple[list[Contribution] | None, list[Topic] | None]:
    """The links, when each is an approved contribution of the cluster / a topic of its or
    the region's latest trend runs (or already linked to an item of the version)."""
    cluster = version.cluster
    if contributions is not None:
        contributions = list(dict.fromkeys(contributions))
        allowed = set(
            linkable_contributions(cluster)
            .filter(pk__in=[c.pk for c in contributions])
            .values_list("pk", flat=True)
        )
        kept = set(
            Contribution.objects.filter(agenda_items__version=version).values_list("pk", flat=True)
        )
        if any(c.pk not in allowed | kept for c in contributions):
            raise _fail(
                "contributions",
                _("Link only approved contributions of the %(cluster)s cluster.")
                % {"cluster": cluster.name},
            )
    if topics is not None:
        topics = list(dict.fromkeys(topics))
        allowed = set(
            linkable_topics(cluster)
            .filter(pk__in=[t.pk for t in topics])
            .values_list("pk", flat=True)
        )
        kept = set(Topic.objects.filter(agenda_items__version=version).values_list("pk", flat=True))
        if any(t.pk not in allowed | kept for t in topics):
            raise _fail(
                "topics",
                _("Link only trends of the latest trend runs of this cluster or of the region."),
            )
    return contributions, topics


def _clean_item_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ITEM_FIELDS) - set(LINK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown item fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    if "title" in cleaned:
        cleaned["title"] = _text(
            cleaned["title"], "title", TITLE_MAX_LENGTH, required=True, line=True
        )
    if "objective" in cleaned:
        cleaned["objective"] = _text(
            cleaned["objective"], "objective", TEXT_MAX_LENGTH, required=True
        )
    if "planned_actions" in cleaned:
        cleaned["planned_actions"] = _text(
            cleaned["planned_actions"], "planned_actions", TEXT_MAX_LENGTH
        )
    if "responsible" in cleaned:
        cleaned["responsible"] = _text(
            cleaned["responsible"], "responsible", TITLE_MAX_LENGTH, line=True
        )
    starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
    if starts and ends and ends < starts:
        raise _fail("ends_on", _("The item cannot end before it starts."))
    return cleaned


def _next_position(version: AgendaVersion) -> int:
    return (version.items.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def item_create(*, version: AgendaVersion, actor: Any, **fields: Any) -> AgendaItem:
    """Add an item to a draft or a version in consultation.

    Fields: title and objective (required), planned_actions, responsible, priority_area,
    starts_on, ends_on, position, contributions, topics.
    """
    locked = _editable_version(version)
    cleaned = _clean_item_fields(fields)
    contributions, topics = _checked_links(
        locked, cleaned.pop("contributions", None), cleaned.pop("topics", None)
    )
    cleaned.setdefault("position", _next_position(locked))
    cleaned.setdefault("title", "")
    cleaned.setdefault("objective", "")
    item = AgendaItem(version=locked, **cleaned)
    item.full_clean()
    item.save()
    if contributions:
        item.contributions.set(contributions)
    if topics:
        item.topics.set(topics)
    _event(item, actor=actor, kind=ItemEventKind.CREATED, after=item_snapshot(item))
    return item


def _lock_item(item: AgendaItem, revision: int | None) -> AgendaItem:
    """The item's row, locked, after its version's (phase changes lock the version first,
    so an edit and an approval never cross). Refuses a frozen version, an item that is no
    longer active, and a stale revision."""
    _editable_version(item.version)
    locked = (
        AgendaItem.objects.select_for_update().select_related("version__cluster").get(pk=item.pk)
    )
    if revision is not None and locked.revision != int(revision):
        raise StaleItemError(locked.revision)
    if locked.status != ItemStatus.ACTIVE:
        raise ValidationError(
            _("This item was %(status)s: it can no longer change.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def item_update(*, item: AgendaItem, actor: Any, revision: int, **fields: Any) -> AgendaItem:
    """Change an item's fields and links. `revision` is the one the change was based on: when
    someone saved the item since, StaleItemError (a StaleVersionError, 409) and nothing is
    written. Increments the revision; the history keeps the fields before and after."""
    locked = _lock_item(item, revision)
    cleaned = _clean_item_fields(fields)
    contributions, topics = _checked_links(
        locked.version, cleaned.pop("contributions", None), cleaned.pop("topics", None)
    )
    before_all = item_snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.revision += 1
    locked.full_clean()
    locked.save(update_fields=[*cleaned, "revision", "updated_at"])
    if contributions is not None:
        locked.contributions.set(contributions)
    if topics is not None:
        locked.topics.set(topics)
    after_all = item_snapshot(locked)
    changed = [
        key for key in after_all if key != "revision" and after_all[key] != before_all.get(key)
    ]
    _event(
        locked,
        actor=actor,
        kind=ItemEventKind.EDITED,
        before={key: before_all[key] for key in changed} | {"revision": before_all["revision"]},
        after={key: after_all[key] for key in changed} | {"revision": after_all["revision"]},
    )
    return locked


def _retire(item: AgendaItem, status: str, *, update: Sequence[str] = ()) -> None:
    item.status = status
    item.revision += 1
    item.save(update_fields=["status", "revision", "updated_at", *update])


@transaction.atomic
def item_split(
    *,
    item: AgendaItem,
    actor: Any,
    parts: Sequence[Mapping[str, Any]],
    revision: int | None = None,
) -> list[AgendaItem]:
    """Split one item into two or more new items of the same version.

    Each part is a mapping of item fields (title and objective at least; the others default
    to the original's) and optionally `kpi_ids` / `milestone_ids`: which of the original's
    KPIs and milestones it takes; those no part names go to the first part. Every part keeps
    the original's links to contributions and trends. The original becomes `split`.
    """
    locked = _lock_item(item, revision)
    if not 2 <= len(parts) <= MAX_SPLIT_PARTS:
        raise _fail(
            "parts",
            _("Split an item into 2 to %(max)d items.") % {"max": MAX_SPLIT_PARTS},
        )
    kpis = {kpi.pk: kpi for kpi in locked.kpis.all()}
    milestones = {m.pk: m for m in locked.milestones.all()}
    claimed_kpis: set[int] = set()
    claimed_milestones: set[int] = set()
    plans = []
    for index, part in enumerate(parts):
        fields = dict(part)
        kpi_ids = [int(pk) for pk in fields.pop("kpi_ids", None) or []]
        milestone_ids = [int(pk) for pk in fields.pop("milestone_ids", None) or []]
        if set(kpi_ids) - set(kpis) or set(milestone_ids) - set(milestones):
            raise _fail("parts", _("A part names a KPI or milestone the item does not have."))
        fields.pop("contributions", None)
        fields.pop("topics", None)
        try:
            cleaned = _clean_item_fields(fields)
        except ValidationError as exc:
            raise ValidationError(
                {f"parts.{index}.{key}": messages for key, messages in exc.message_dict.items()}
            ) from exc
        if not cleaned.get("title") or not cleaned.get("objective"):
            raise _fail(f"parts.{index}", _("Each part needs a title and an objective."))
        claimed_kpis.update(kpi_ids)
        claimed_milestones.update(milestone_ids)
        plans.append((cleaned, kpi_ids, milestone_ids))
    plans[0] = (
        plans[0][0],
        plans[0][1] + [pk for pk in kpis if pk not in claimed_kpis],
        plans[0][2] + [pk for pk in milestones if pk not in claimed_milestones],
    )
    before = item_snapshot(locked)
    created = []
    for offset, (cleaned, kpi_ids, milestone_ids) in enumerate(plans):
        cleaned.setdefault("position", locked.position)
        part = _copy_item(
            locked,
            version=locked.version,
            kpis=[kpis[pk] for pk in dict.fromkeys(kpi_ids)],
            milestones=[milestones[pk] for pk in dict.fromkeys(milestone_ids)],
            **cleaned,
        )
        ItemLineage.objects.create(parent=locked, child=part, kind=LineageKind.SPLIT)
        created.append(part)
        _event(
            part,
            actor=actor,
            kind=ItemEventKind.CREATED,
            after=item_snapshot(part),
            note=_("Part %(n)d of the split of “%(title)s”")
            % {"n": offset + 1, "title": locked.title},
        )
    _retire(locked, ItemStatus.SPLIT)
    _event(
        locked,
        actor=actor,
        kind=ItemEventKind.SPLIT,
        before=before,
        after={"status": ItemStatus.SPLIT, "into": [part.pk for part in created]},
    )
    return created


@transaction.atomic
def items_merge(
    *,
    items: Sequence[AgendaItem],
    actor: Any,
    revisions: Mapping[int, int] | None = None,
    **fields: Any,
) -> AgendaItem:
    """Merge two or more active items of one version into a new item (title and objective
    given; other fields default to the first item's). The new item links every contribution
    and trend of the merged ones and takes copies of all their KPIs and milestones; the
    merged items become `merged`. `revisions` ({item id: revision}) refuses stale ones."""
    unique = list({item.pk: item for item in items}.values())
    if not 2 <= len(unique) <= MAX_MERGED_ITEMS:
        raise _fail("items", _("Merge 2 to %(max)d items.") % {"max": MAX_MERGED_ITEMS})
    if len({item.version_id for item in unique}) != 1:
        raise _fail("items", _("Only items of the same version can be merged."))
    revisions = revisions or {}
    locked = [
        _lock_item(item, revisions.get(item.pk))
        for item in sorted(unique, key=lambda found: found.pk)
    ]
    locked.sort(key=lambda found: (found.position, found.pk))
    fields.pop("contributions", None)
    fields.pop("topics", None)
    cleaned = _clean_item_fields(fields)
    if not cleaned.get("title") or not cleaned.get("objective"):
        raise _fail("title", _("The merged item needs a title and an objective."))
    first = locked[0]
    cleaned.setdefault("position", first.position)
    merged = _copy_item(
        first,
        version=first.version,
        kpis=[kpi for item in locked for kpi in item.kpis.all()],
        milestones=[m for item in locked for m in item.milestones.all()],
        links=False,
        **cleaned,
    )
    merged.contributions.set(
        Contribution.objects.filter(agenda_items__in=[item.pk for item in locked]).distinct()
    )
    merged.topics.set(
        Topic.objects.filter(agenda_items__in=[item.pk for item in locked]).distinct()
    )
    for item in locked:
        ItemLineage.objects.create(parent=item, child=merged, kind=LineageKind.MERGED)
        before = item_snapshot(item)
        _retire(item, ItemStatus.MERGED)
        _event(
            item,
            actor=actor,
            kind=ItemEventKind.MERGED,
            before=before,
            after={"status": ItemStatus.MERGED, "into": merged.pk},
        )
    _event(
        merged,
        actor=actor,
        kind=ItemEventKind.CREATED,
        after=item_snapshot(merged),
        note=_("Merge of %(titles)s") % {"titles": "; ".join(item.title for item in locked)},
    )
    return merged


@transaction.atomic
def item_remove(
    *, item: AgendaItem, actor: Any, revision: int | None = None, reason: str = ""
) -> AgendaItem:
    """Take an item off the version (kept, as `removed`, for the history)."""
    locked = _lock_item(item, revision)
    before = item_snapshot(locked)
    _retire(locked, ItemStatus.REMOVED)
    _event(
        locked,
        actor=actor,
        kind=ItemEventKind.REMOVED,
        before=before,
        after={"status": ItemStatus.REMOVED},
        note=clean_line(reason)[:500],
    )
    return locked


# --- KPIs and milestones --------------------------------------------------------------------


def _decimal(value: Any, field: str, *, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise _fail(field, _("This field cannot be blank."))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _fail(field, _("Enter a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise _fail(field, _("Enter a number below a trillion."))
    return number.quantize(Decimal("0.01"))


def _measures_item(item: AgendaItem) -> AgendaItem:
    """The item, locked with its version; its KPIs and milestones are defined only while the
    version may change (their progress is recorded in any phase)."""
    _lock_version(item.version)
    return AgendaItem.objects.select_for_update().select_related("version").get(pk=item.pk)


def _definable(item: AgendaItem) -> None:
    if item.version.phase not in EDITABLE_PHASES:
        raise _frozen_error(item.version)
    if item.status != ItemStatus.ACTIVE:
        raise ValidationError(_("This item is no longer active."))


def _kpi_snapshot(kpi: Kpi) -> dict[str, Any]:
    return {
        "kpi": kpi.name,
        "unit": kpi.unit,
        "baseline": str(kpi.baseline),
        "target": str(kpi.target),
        "current": None if kpi.current is None else str(kpi.current),
    }


@transaction.atomic
def kpi_create(
    *,
    item: AgendaItem,
    actor: Any,
    name: str,
    target: Any,
    unit: str = "",
    baseline: Any = 0,
    current: Any = None,
) -> Kpi:
    locked = _measures_item(item)
    _definable(locked)
    kpi = Kpi(
        item=locked,
        name=_text(name, "name", TITLE_MAX_LENGTH, required=True, line=True),
        unit=_text(unit, "unit", 40, line=True),
        baseline=_decimal(baseline, "baseline") or Decimal(0),
        target=_decimal(target, "target", required=True),
        current=_decimal(current, "current"),
    )
    kpi.full_clean()
    kpi.save()
    _event(locked, actor=actor, kind=ItemEventKind.EDITED, after=_kpi_snapshot(kpi))
    return kpi


KPI_DEFINITION = ("name", "unit", "baseline", "target")


@transaction.atomic
def kpi_update(*, kpi: Kpi, actor: Any, **fields: Any) -> Kpi:
    """Change a KPI. Its definition (name, unit, baseline, target) only while the version may
    change; the current value in any phase (that is the progress being recorded)."""
    unknown = set(fields) - {*KPI_DEFINITION, "current"}
    if unknown:
        raise TypeError(f"Unknown KPI fields: {', '.join(sorted(unknown))}")
    if "name" in fields:
        fields["name"] = _text(fields["name"], "name", TITLE_MAX_LENGTH, required=True, line=True)
    if "unit" in fields:
        fields["unit"] = _text(fields["unit"], "unit", 40, line=True)
    if "baseline" in fields:
        fields["baseline"] = _decimal(fields["baseline"], "baseline") or Decimal(0)
    if "target" in fields:
        fields["target"] = _decimal(fields["target"], "target", required=True)
    if "current" in fields:
        fields["current"] = _decimal(fields["current"], "current")
    return _measure_update(kpi, actor, fields, KPI_DEFINITION, _kpi_snapshot, ("updated_at",))


@transaction.atomic
def kpi_delete(*, kpi: Kpi, actor: Any) -> None:
    _measure_delete(kpi, actor, _kpi_snapshot)


def _milestone_snapshot(milestone: Milestone) -> dict[str, Any]:
    return {
        "milestone": milestone.title,
        "due_on": _jsonable(milestone.due_on),
        "done_on": _jsonable(milestone.done_on),
    }


@transaction.atomic
def milestone_create(
    *,
    item: AgendaItem,
    actor: Any,
    title: str,
    due_on: date | None = None,
    done_on: date | None = None,
) -> Milestone:
    locked = _measures_item(item)
    _definable(locked)
    milestone = Milestone(
        item=locked,
        title=_text(title, "title", TITLE_MAX_LENGTH, required=True, line=True),
        due_on=due_on,
        done_on=done_on,
    )
    milestone.full_clean()
    milestone.save()
    _event(locked, actor=actor, kind=ItemEventKind.EDITED, after=_milestone_snapshot(milestone))
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor: Any, **fields: Any) -> Milestone:
    """Change a milestone: its title and due date while the version may change; whether and
    when it was done in any phase."""
    unknown = set(fields) - {"title", "due_on", "done_on"}
    if unknown:
        raise TypeError(f"Unknown milestone fields: {', '.join(sorted(unknown))}")
    if "title" in fields:
        fields["title"] = _text(
            fields["title"], "title", TITLE_MAX_LENGTH, required=True, line=True
        )
    return _measure_update(milestone, actor, fields, ("title", "due_on"), _milestone_snapshot)


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: Any) -> None:
    _measure_delete(milestone, actor, _milestone_snapshot)


def _measure_update(
    measure: Kpi | Milestone,
    actor: Any,
    fields: dict[str, Any],
    definition: Iterable[str],
    snapshot: Callable[[Any], dict[str, Any]],
    also_saved: tuple[str, ...] = (),
) -> Any:
    """Apply cleaned `fields` to a KPI or milestone under the item's lock; changing its
    `definition` needs a version that may still change. One EDITED event, before and after."""
    locked_item = _measures_item(measure.item)
    locked = type(measure).objects.select_for_update().get(pk=measure.pk)
    before = snapshot(locked)
    changed = {key: value for key, value in fields.items() if getattr(locked, key) != value}
    if not changed:
        return locked
    if set(changed) & set(definition):
        _definable(locked_item)
    for key, value in changed.items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save(update_fields=[*changed, *also_saved])
    _event(
        locked_item, actor=actor, kind=ItemEventKind.EDITED, before=before, after=snapshot(locked)
    )
    return locked


def _measure_delete(
    measure: Kpi | Milestone, actor: Any, snapshot: Callable[[Any], dict[str, Any]]
) -> None:
    locked_item = _measures_item(measure.item)
    _definable(locked_item)
    before = snapshot(measure)
    type(measure).objects.filter(pk=measure.pk).delete()
    _event(locked_item, actor=actor, kind=ItemEventKind.EDITED, before=before, after={})
