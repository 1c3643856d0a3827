"""A version of the agenda as data: the JSON download and the API, the CSV download and the
PDF all read `version_record`, so they always say the same thing.

What a viewer gets: every active item with its priority area, objective, actions, KPIs
(target and current value), milestones, progress, the ids and titles of the linked
contributions the viewer may see (how many others there are, without their titles) and of
the linked trends, and the consultation's result for the item when the version went
through one. Text cells of the CSV are defused for spreadsheets.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse

from clusterhub.agenda.models import AgendaItem, AgendaVersion, ItemLineage
from clusterhub.agenda.results import version_results
from clusterhub.agenda.selectors import active_items, item_progress, kpi_percent
from clusterhub.contributions.models import Contribution
from clusterhub.registry.exporting import spreadsheet_safe
from clusterhub.trends.models import Topic

CSV_HEADER = (
    "cluster",
    "version",
    "item_id",
    "position",
    "title",
    "priority_area_code",
    "priority_area",
    "objective",
    "planned_actions",
    "responsible",
    "starts_on",
    "ends_on",
    "progress_percent",
    "kpis",
    "milestones",
    "contribution_ids",
    "contribution_titles",
    "hidden_contributions",
    "trend_ids",
    "trend_titles",
    "result_score",
    "result_share_percent",
    "result_rank",
    "result_organizations",
    "descends_from",
)


def public_version_url(version: AgendaVersion) -> str:
    return reverse(
        "agenda:public_version", kwargs={"slug": version.cluster.slug, "number": version.number}
    )


def public_item_url(item: AgendaItem) -> str:
    return reverse(
        "agenda:public_item",
        kwargs={
            "slug": item.version.cluster.slug,
            "number": item.version.number,
            "pk": item.pk,
        },
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_items(version: AgendaVersion, *, viewer: Any) -> list[AgendaItem]:
    """The version's active items, with what the export shows loaded; `visible_contributions`
    and `hidden_contributions` set on each for this viewer."""
    from clusterhub.contributions.selectors import contributions_visible_to

    visible = set(contributions_visible_to(viewer).values_list("pk", flat=True))
    items = list(
        active_items(version)
        .select_related("version__cluster")
        .prefetch_related(
            Prefetch(
                "contributions", queryset=Contribution.objects.only("id", "title").order_by("id")
            ),
            Prefetch("topics", queryset=Topic.objects.only("id", "label").order_by("id")),
            Prefetch(
                "parent_links",
                queryset=ItemLineage.objects.select_related("parent__version").order_by(
                    "parent_id"
                ),
            ),
        )
    )
    for item in items:
        linked = list(item.contributions.all())
        item.visible_contributions = [c for c in linked if c.pk in visible]  # type: ignore[attr-defined]
        item.hidden_contributions = len(linked) - len(item.visible_contributions)  # type: ignore[attr-defined]
    return items


def version_results_or_none(version: AgendaVersion, *, equal_types: bool = False) -> Any:
    """The consultation's results (`results.version_results`), or None when nobody voted."""
    results = version_results(version, equal_types=equal_types)
    return results if results.voters else None


def results_by_item(
    version: AgendaVersion, *, equal_types: bool = False
) -> dict[int, dict[str, Any]]:
    """The consultation's result of each item (score, share, rank, organizations that voted,
    score by member type), by item id; empty when nobody voted."""
    results = version_results_or_none(version, equal_types=equal_types)
    return {row["item_id"]: row for row in result_rows(results)}


def result_rows(results: Any) -> list[dict[str, Any]]:
    """The per-item rows of `results.version_results`, as plain data."""
    if results is None:
        return []
    return [
        {
            "item_id": row.item.pk,
            "score": round(float(row.score), 4),
            "share_percent": round(float(row.share_percent), 2),
            "rank": row.rank,
            "organizations": row.organizations,
            "supporters": row.supporters,
            "by_type": {kind: round(float(score), 4) for kind, _label, score in row.by_kind},
        }
        for row in results.items
    ]


def participation_record(results: Any) -> dict[str, Any] | None:
    """Who voted, per member type, as plain data; None when nobody voted."""
    if results is None:
        return None
    return {
        "method": results.method,
        "equal_types": results.equal_types,
        "voters": results.voters,
        "eligible": results.eligible,
        "by_type": [
            {
                "type": row.kind,
                "voted": row.voted,
                "eligible": row.eligible,
                "percent": None if row.percent is None else round(float(row.percent), 1),
            }
            for row in results.participation
        ],
    }


def item_record(
    item: AgendaItem, *, result: dict[str, Any] | None = None, absolute: str = ""
) -> dict[str, Any]:
    """One item as JSON-ready data (expects `export_items`)."""
    area = item.priority_area
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title,
        "priority_area": {"code": area.code, "name": area.name} if area else None,
        "objective": item.objective,
        "planned_actions": item.planned_actions,
        "responsible": item.responsible,
        "starts_on": _plain(item.starts_on),
        "ends_on": _plain(item.ends_on),
        "progress": item_progress(item),
        "kpis": [
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "baseline": _plain(kpi.baseline),
                "target": _plain(kpi.target),
                "current": _plain(kpi.current),
                "percent": None if (p := kpi_percent(kpi)) is None else round(p),
            }
            for kpi in item.kpis.all()
        ],
        "milestones": [
            {"title": m.title, "due_on": _plain(m.due_on), "done_on": _plain(m.done_on)}
            for m in item.milestones.all()
        ],
        "contributions": [
            {"id": c.pk, "title": c.title}
            for c in item.visible_contributions  # type: ignore[attr-defined]
        ],
        "hidden_contributions": item.hidden_contributions,  # type: ignore[attr-defined]
        "trends": [{"id": t.pk, "title": t.label} for t in item.topics.all()],
        "descends_from": [
            {
                "item_id": link.parent_id,
                "version": link.parent.version.number,
                "kind": link.kind,
            }
            for link in item.parent_links.all()
        ],
        "result": result,
        "url": absolute + public_item_url(item),
    }


def version_record(version: AgendaVersion, *, viewer: Any, absolute: str = "") -> dict[str, Any]:
    """The whole version as JSON-ready data, as this viewer may see it."""
    results = version_results_or_none(version)
    by_item = {row["item_id"]: row for row in result_rows(results)}
    return {
        "cluster": {"slug": version.cluster.slug, "name": version.cluster.name},
        "number": version.number,
        "title": version.title,
        "summary": version.summary,
        "phase": version.phase,
        "based_on": version.based_on.number if version.based_on_id else None,  # type: ignore[union-attr]
        "voting_method": version.voting_method,
        "points_budget": version.points_budget,
        "consultation_opens_at": _plain(version.consultation_opens_at),
        "consultation_closes_at": _plain(version.consultation_closes_at),
        "approved_at": _plain(version.approved_at),
        "published_at": _plain(version.published_at),
        "url": absolute + public_version_url(version),
        "participation": participation_record(results),
        "items": [
            item_record(item, result=by_item.get(item.pk), absolute=absolute)
            for item in export_items(version, viewer=viewer)
        ],
    }


# --- CSV ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return spreadsheet_safe(str(value))


def _kpi_cell(kpi: dict[str, Any]) -> str:
    unit = f" {kpi['unit']}" if kpi["unit"] else ""
    current = "" if kpi["current"] is None else f", current {kpi['current']:g}"
    return f"{kpi['name']}: {kpi['baseline']:g} -> {kpi['target']:g}{unit}{current}"


def _milestone_cell(milestone: dict[str, Any]) -> str:
    due = f" due {milestone['due_on']}" if milestone["due_on"] else ""
    done = f" done {milestone['done_on']}" if milestone["done_on"] else ""
    return f"{milestone['title']}{due}{done}"


def csv_rows(record: dict[str, Any]) -> Iterable[list[Any]]:
    """One row per item of a `version_record`; lists joined by ' | '."""
    for item in record["items"]:
        result = item["result"] or {}
        area = item["priority_area"] or {}
        yield [
            record["cluster"]["slug"],
            record["number"],
            item["id"],
            item["position"],
            item["title"],
            area.get("code"),
            area.get("name"),
            item["objective"],
            item["planned_actions"],
            item["responsible"],
            item["starts_on"],
            item["ends_on"],
            item["progress"],
            " | ".join(_kpi_cell(kpi) for kpi in item["kpis"]),
            " | ".join(_milestone_cell(m) for m in item["milestones"]),
            " | ".join(str(c["id"]) for c in item["contributions"]),
            " | ".join(c["title"] for c in item["contributions"]),
            item["hidden_contributions"],
            " | ".join(str(t["id"]) for t in item["trends"]),
            " | ".join(t["title"] for t in item["trends"]),
            result.get("score"),
            result.get("share_percent"),
            result.get("rank"),
            result.get("organizations"),
            " | ".join(
                f"v{d['version']}#{d['item_id']} ({d['kind']})" for d in item["descends_from"]
            ),
        ]


def version_csv_text(record: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in csv_rows(record):
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def filename(version: AgendaVersion, extension: str) -> str:
    return f"agenda-{version.cluster.slug}-v{version.number}.{extension}"


def csv_response(version: AgendaVersion, *, viewer: Any) -> HttpResponse:
    text = version_csv_text(version_record(version, viewer=viewer))
    # A byte order mark, so spreadsheets read the accented letters as UTF-8.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(version, "csv")}"'
    return response
