"""CSV exports of the trends pages: a run's topics, a topic's evidence, training needs and
the opportunities members reported. Text cells are defused for spreadsheets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from clusterhub.contributions.models import Contribution
from clusterhub.registry.exporting import csv_line_writer, spreadsheet_safe
from clusterhub.trends.models import Topic, TopicDocument, TrendRun
from clusterhub.trends.selectors import TrainingNeeds


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return spreadsheet_safe(str(value))


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv_line_writer()
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def scope_name(run: TrendRun) -> str:
    return run.cluster.slug if run.cluster_id else "region"  # type: ignore[union-attr]


TOPIC_HEADER = (
    "topic_id",
    "label",
    "status",
    "documents",
    "growth_rate",
    "p_value",
    "q_value",
    "contributions",
    "projects",
    "members",
    "terms",
    "counts_per_period",
)


def topic_rows(run: TrendRun, topics: Iterable[Topic]) -> Iterator[list[Any]]:
    for topic in topics:
        counts = "; ".join(
            f"{period}={count:g}" for period, count in zip(run.periods, topic.counts, strict=False)
        )
        yield [
            topic.pk,
            topic.label,
            topic.status,
            topic.size,
            round(topic.growth, 4),
            topic.p_value,
            topic.q_value,
            topic.contribution_count,
            topic.project_count,
            topic.member_count,
            "; ".join(str(term) for term in topic.terms or []),
            counts,
        ]


EVIDENCE_HEADER = (
    "source",
    "id",
    "title",
    "kind",
    "date",
    "period",
    "score",
    "organization_id",
    "organization",
    "merged",
)


def evidence_rows(documents: Iterable[TopicDocument], visible: set[int]) -> Iterator[list[Any]]:
    """One row per document; organizations the viewer may not see are left out."""
    for document in documents:
        shown = document.organization if document.organization_id in visible else None
        yield [
            document.source,
            document.project_id or document.contribution_id,
            document.title,
            document.kind,
            document.date,
            document.period,
            round(document.score, 4),
            shown.pk if shown else None,
            shown.name if shown else "",
            document.merged,
        ]


TRAINING_HEADER = (
    "group",
    "contribution_id",
    "title",
    "organization",
    "competences",
    "created_at",
)


def training_rows(needs: TrainingNeeds) -> Iterator[list[Any]]:
    for group in needs.groups:
        for contribution in group.contributions:
            yield [
                group.label,
                contribution.pk,
                contribution.title,
                contribution.organization.name,
                "; ".join(c.name for c in contribution.competences.all()),
                contribution.created_at,
            ]


OPPORTUNITY_HEADER = ("contribution_id", "kind", "title", "text", "organization", "created_at")


def opportunity_rows(contributions: Iterable[Contribution]) -> Iterator[list[Any]]:
    for contribution in contributions:
        yield [
            contribution.pk,
            contribution.kind,
            contribution.title,
            contribution.text,
            contribution.organization.name,
            contribution.created_at,
        ]
