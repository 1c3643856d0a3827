"""What changed between two versions of a cluster's agenda.

Items are matched by their lineage, not by their titles: an item of the newer version is the
same priority as the items of the older version it descends from (carried over, possibly
through intermediate versions, split or merged). Each group of matched items is one entry:
added (no ancestor), removed (no descendant), carried (one to one; changed or not), split
(one became several) or merged (several became one). The texts are compared word by word
with difflib, so a reader sees exactly which words were deleted and inserted.

Everything here reads; nothing is written. The caller decides who may compare which
versions (see views_public and api_public, through the agenda selectors).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterhub.agenda.models import AgendaItem, AgendaVersion, ItemLineage, Kpi
from clusterhub.agenda.selectors import active_items

# Words, runs of white space and single punctuation marks: a change of one word or one comma
# shows as that word or comma, not as the whole sentence.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


class EntryKind:
    ADDED = "added"
    REMOVED = "removed"
    CARRIED = "carried"
    SPLIT = "split"
    MERGED = "merged"


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both (`equal`), only in the newer (`insert`) or only
    in the older (`delete`) text."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments turning `old` into `new`, word by word (runs of one kind joined)."""
    before = _TOKENS.findall(old or "")
    after = _TOKENS.findall(new or "")
    segments: list[Segment] = []

    def add(op: str, tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", before[i1:i2])
            continue
        if tag in ("delete", "replace"):
            add("delete", before[i1:i2])
        if tag in ("insert", "replace"):
            add("insert", after[j1:j2])
    return segments


@dataclass(frozen=True)
class FieldChange:
    """One compared field: its label and the word-level segments (changed or not)."""

    key: str
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(segment.op != "equal" for segment in self.segments)


@dataclass(frozen=True)
class Pair:
    """An item of the newer version against its counterpart text in the older one."""

    old: AgendaItem | None
    new: AgendaItem | None
    fields: list[FieldChange]

    @property
    def changes(self) -> list[FieldChange]:
        return [change for change in self.fields if change.changed]


@dataclass
class Entry:
    kind: str
    old: list[AgendaItem]
    new: list[AgendaItem]
    pairs: list[Pair] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Added, removed, split and merged entries are changes; a carried item is one when a
        field differs."""
        if self.kind != EntryKind.CARRIED:
            return True
        return any(pair.changes for pair in self.pairs)

    @property
    def title(self) -> str:
        return (self.new or self.old)[0].title


@dataclass
class VersionDiff:
    old: AgendaVersion
    new: AgendaVersion
    header: list[FieldChange]
    entries: list[Entry]

    def count(self, kind: str) -> int:
        return sum(1 for entry in self.entries if entry.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        kinds = (
            EntryKind.ADDED,
            EntryKind.REMOVED,
            EntryKind.CARRIED,
            EntryKind.SPLIT,
            EntryKind.MERGED,
        )
        counts = {kind: self.count(kind) for kind in kinds}
        counts["changed"] = sum(
            1 for entry in self.entries if entry.kind == EntryKind.CARRIED and entry.changed
        )
        counts["unchanged"] = counts[EntryKind.CARRIED] - counts["changed"]
        return counts

    @property
    def has_changes(self) -> bool:
        return any(change.changed for change in self.header) or any(
            entry.changed for entry in self.entries
        )


# --- The texts compared -------------------------------------------------------------------


def _number(value: Any) -> str:
    text = f"{value:f}" if value is not None else ""
    return text.rstrip("0").rstrip(".") if "." in text else text


def kpi_line(kpi: Kpi) -> str:
    unit = f" {kpi.unit}" if kpi.unit else ""
    return _("%(name)s: from %(baseline)s to %(target)s%(unit)s") % {
        "name": kpi.name,
        "baseline": _number(kpi.baseline),
        "target": _number(kpi.target),
        "unit": unit,
    }


def _milestone_line(milestone: Any) -> str:
    if milestone.due_on is None:
        return str(milestone.title)
    return f"{milestone.title} ({date_format(milestone.due_on, 'SHORT_DATE_FORMAT')})"


def _timeframe(item: AgendaItem) -> str:
    if item.starts_on is None and item.ends_on is None:
        return ""
    starts = date_format(item.starts_on, "SHORT_DATE_FORMAT") if item.starts_on else "…"
    ends = date_format(item.ends_on, "SHORT_DATE_FORMAT") if item.ends_on else "…"
    return f"{starts} – {ends}"


def item_texts(item: AgendaItem) -> list[tuple[str, str, str]]:
    """(key, label, text) of every compared field of an item, in reading order."""
    return [
        ("title", _("Title"), item.title),
        (
            "priority_area",
            _("Priority area"),
            item.priority_area.name if item.priority_area else "",
        ),
        ("objective", _("Objective"), item.objective),
        ("planned_actions", _("Planned actions"), item.planned_actions),
        ("kpis", _("KPIs"), "\n".join(kpi_line(kpi) for kpi in item.kpis.all())),
        (
            "milestones",
            _("Milestones"),
            "\n".join(_milestone_line(m) for m in item.milestones.all()),
        ),
        ("responsible", _("Responsible people"), item.responsible),
        ("timeframe", _("Timeframe"), _timeframe(item)),
    ]


def _joined_texts(items: Sequence[AgendaItem]) -> list[tuple[str, str, str]]:
    """The fields of several items as one text each (the older side of a merge)."""
    columns = [item_texts(item) for item in items]
    joined = []
    for index, (key, label, _text) in enumerate(columns[0]):
        parts = [column[index][2] for column in columns if column[index][2]]
        separator = " + " if key in ("title", "priority_area", "responsible") else "\n"
        joined.append((key, label, separator.join(dict.fromkeys(parts))))
    return joined


def _compare(
    old: Sequence[tuple[str, str, str]] | None, new: Sequence[tuple[str, str, str]] | None
) -> list[FieldChange]:
    base = new or old or []
    old_by_key = {key: text for key, _label, text in old or []}
    new_by_key = {key: text for key, _label, text in new or []}
    changes = []
    for key, label, _text in base:
        before, after = old_by_key.get(key, ""), new_by_key.get(key, "")
        if not before and not after:
            continue
        changes.append(FieldChange(key, label, word_diff(before, after)))
    return changes


# --- Matching by lineage ------------------------------------------------------------------


def _ancestry(
    old: AgendaVersion, new: AgendaVersion, new_ids: Iterable[int]
) -> dict[int, set[int]]:
    """For each item id of `new`, the ids of the items of `old` it descends from."""
    if old.pk == new.pk:
        return {item_id: {item_id} for item_id in new_ids}
    links = ItemLineage.objects.filter(
        child__version__cluster_id=new.cluster_id,
        child__version__number__gt=old.number,
        child__version__number__lte=new.number,
    ).values_list("child_id", "parent_id", "parent__version__number")
    parents: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for child_id, parent_id, parent_number in links:
        parents[child_id].append((parent_id, parent_number))
    found: dict[int, set[int]] = {}
    for item_id in new_ids:
        reached: set[int] = set()
        seen = {item_id}
        stack = [item_id]
        while stack:
            for parent_id, parent_number in parents.get(stack.pop(), ()):
                if parent_id in seen:
                    continue
                seen.add(parent_id)
                if parent_number == old.number:
                    reached.add(parent_id)
                elif parent_number > old.number:
                    stack.append(parent_id)
        found[item_id] = reached
    return found


def _components(
    old_items: Sequence[AgendaItem], new_items: Sequence[AgendaItem], ancestry: dict[int, set[int]]
) -> list[tuple[list[AgendaItem], list[AgendaItem]]]:
    """Groups of matched (older items, newer items): the connected parts of the lineage."""
    old_by_id = {item.pk: item for item in old_items}
    descendants: dict[int, set[int]] = defaultdict(set)
    for new_id, old_ids in ancestry.items():
        for old_id in old_ids:
            descendants[old_id].add(new_id)
    new_by_id = {item.pk: item for item in new_items}
    done_new: set[int] = set()
    done_old: set[int] = set()
    groups = []
    for item in new_items:
        if item.pk in done_new:
            continue
        group_new, group_old = {item.pk}, set()
        frontier = [("new", item.pk)]
        while frontier:
            side, pk = frontier.pop()
            neighbours = (
                [("old", o) for o in ancestry.get(pk, ()) if o in old_by_id]
                if side == "new"
                else [("new", n) for n in descendants.get(pk, ()) if n in new_by_id]
            )
            for other_side, other in neighbours:
                target = group_old if other_side == "old" else group_new
                if other not in target:
                    target.add(other)
                    frontier.append((other_side, other))
        done_new |= group_new
        done_old |= group_old
        groups.append(
            (
                [old_by_id[pk] for pk in old_by_id if pk in group_old],
                [new_by_id[pk] for pk in new_by_id if pk in group_new],
            )
        )
    for item in old_items:
        if item.pk not in done_old:
            groups.append(([item], []))
    return groups


def _entry(old: list[AgendaItem], new: list[AgendaItem]) -> Entry:
    if not old:
        return Entry(
            EntryKind.ADDED, old, new, [Pair(None, new[0], _compare(None, item_texts(new[0])))]
        )
    if not new:
        return Entry(
            EntryKind.REMOVED, old, new, [Pair(old[0], None, _compare(item_texts(old[0]), None))]
        )
    if len(old) == 1:
        before = item_texts(old[0])
        kind = EntryKind.CARRIED if len(new) == 1 else EntryKind.SPLIT
        pairs = [Pair(old[0], part, _compare(before, item_texts(part))) for part in new]
        return Entry(kind, old, new, pairs)
    before = _joined_texts(old)
    pairs = [Pair(None, merged, _compare(before, item_texts(merged))) for merged in new]
    return Entry(EntryKind.MERGED, old, new, pairs)


def version_diff(first: AgendaVersion, second: AgendaVersion) -> VersionDiff:
    """Compare two versions of one cluster's agenda (in either order: the older one is the
    base). Entries follow the newer version's order; removed items come last."""
    if first.cluster_id != second.cluster_id:
        raise ValueError("Only versions of the same cluster can be compared.")
    old, new = sorted((first, second), key=lambda version: version.number)
    old_items = list(active_items(old))
    new_items = list(active_items(new))
    ancestry = _ancestry(old, new, [item.pk for item in new_items])
    entries = [_entry(o, n) for o, n in _components(old_items, new_items, ancestry)]
    header = _compare(
        [("title", _("Title"), old.title), ("summary", _("Summary"), old.summary)],
        [("title", _("Title"), new.title), ("summary", _("Summary"), new.summary)],
    )
    return VersionDiff(old=old, new=new, header=header, entries=entries)


def diff_as_data(diff: VersionDiff) -> dict[str, Any]:
    """The diff as JSON-ready data (the API and the JSON download)."""

    def segments(change: FieldChange) -> list[dict[str, str]]:
        return [{"op": s.op, "text": s.text} for s in change.segments]

    return {
        "cluster": diff.new.cluster.slug,
        "from_version": diff.old.number,
        "to_version": diff.new.number,
        "counts": diff.counts,
        "header": [
            {"field": c.key, "changed": c.changed, "segments": segments(c)} for c in diff.header
        ],
        "entries": [
            {
                "kind": entry.kind,
                "changed": entry.changed,
                "from_items": [{"id": i.pk, "title": i.title} for i in entry.old],
                "to_items": [{"id": i.pk, "title": i.title} for i in entry.new],
                "changes": [
                    {
                        "from_item": pair.old.pk if pair.old else None,
                        "to_item": pair.new.pk if pair.new else None,
                        "field": change.key,
                        "segments": segments(change),
                    }
                    for pair in entry.pairs
                    for change in pair.changes
                ],
            }
            for entry in diff.entries
        ],
    }
