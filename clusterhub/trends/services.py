"""Writes of the trends app: queue a detection run, execute it, store what it found.

`trend_run_start` records a queued run and hands it to the task worker (trends.tasks); the
management command `detect_trends` records one and executes it at once. Both end in
`trend_run_execute`, which reads the scope's documents (trends.documents), calls
`analytics.trends.detect_trends` with a progress callback that saves the run's progress, and
stores the topics with their evidence in one transaction.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.embeddings import get_encoder
from analytics.trends import TrendParams, TrendResult, detect_trends, period_label
from clusterhub.regions.models import Cluster
from clusterhub.trends.documents import (
    CONTRIBUTION,
    PROJECT,
    DocumentInfo,
    scope_documents,
)
from clusterhub.trends.models import (
    DocumentSource,
    Period,
    RunStatus,
    Stage,
    Topic,
    TopicDocument,
    TopicStatus,
    TrendRun,
)

logger = logging.getLogger(__name__)

# Multilingual: Italian needs and English project texts land in the same topics.
ENCODER = "use-m3"
# A cluster has far fewer documents than the region: smaller topics still count.
DEFAULT_PARAMS: dict[str | None, dict[str, Any]] = {
    "cluster": {"min_topic_size": 4, "max_topics": 25},
    "region": {"min_topic_size": 8, "max_topics": 40},
}
# A queued or running run that has not moved for this long is taken for dead (no worker, a
# killed process): it no longer blocks a new run of its scope.
STALE_AFTER = timedelta(minutes=30)
PROGRESS_EVERY_SECONDS = 0.5
MESSAGE_MAX = 200

ProgressBar = Callable[[int, int, str], None]  # core.progress.ProgressBar


def default_params(*, cluster: Cluster | None, period: str) -> dict[str, Any]:
    scope = "region" if cluster is None else "cluster"
    return TrendParams(period=period, **DEFAULT_PARAMS[scope]).to_dict()  # type: ignore[arg-type]


def clean_params(
    *, cluster: Cluster | None, period: str, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The run's full parameters: the scope's defaults, then the given ones, checked."""
    if period not in Period.values:
        raise ValidationError(
            {"period": _("Choose a year or a quarter as the period.")}, code="period"
        )
    merged = default_params(cluster=cluster, period=period) | dict(params or {})
    merged["period"] = period
    try:
        return TrendParams.from_dict(merged).to_dict()
    except (TypeError, ValueError) as exc:
        raise ValidationError({"params": str(exc)}, code="params") from exc


def active_run(cluster: Cluster | None) -> TrendRun | None:
    """The queued or running run of this scope that is still moving, if any."""
    since = timezone.now() - STALE_AFTER
    return (
        TrendRun.objects.filter(
            cluster=cluster,
            status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
            updated_at__gte=since,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def trend_run_create(
    *,
    actor: Any,
    cluster: Cluster | None,
    period: str = Period.QUARTER,
    params: dict[str, Any] | None = None,
) -> TrendRun:
    """A queued run of the region (cluster None) or of one cluster; one at a time per scope."""
    clean = clean_params(cluster=cluster, period=period, params=params)
    # Lock the scope's runs: two managers pressing the button at once get one run.
    list(
        TrendRun.objects.select_for_update()
        .filter(cluster=cluster, status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
        .values_list("id", flat=True)
    )
    if active_run(cluster) is not None:
        raise ValidationError(
            _("A trend detection of this scope is already running; wait for it to end."),
            code="running",
        )
    stale = TrendRun.objects.filter(
        cluster=cluster, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    )
    stale.update(
        status=RunStatus.FAILED,
        error=_("Stopped: it made no progress for a long time."),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    run = TrendRun(
        cluster=cluster,
        period=period,
        params=clean,
        encoder=ENCODER,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        message=Stage.QUEUED,
    )
    run.full_clean()
    run.save()
    return run


def trend_run_start(
    *,
    actor: Any,
    cluster: Cluster | None,
    period: str = Period.QUARTER,
    params: dict[str, Any] | None = None,
) -> TrendRun:
    """Record a queued run and hand it to the task worker once the transaction commits."""
    from clusterhub.trends.tasks import trend_run_task

    with transaction.atomic():
        run = trend_run_create(actor=actor, cluster=cluster, period=period, params=params)
        transaction.on_commit(lambda: trend_run_task.enqueue(run_id=run.pk))
    return run


def _saver(run_id: int, bar: ProgressBar | None) -> Callable[[str, float], None]:
    """A progress callback for detect_trends (stage, share done): stores the share and the
    stage at most twice a second, and draws the command's bar."""
    last = [0.0]

    def progress(stage: str, share: float) -> None:
        share = min(max(float(share), 0.0), 1.0)
        if bar is not None:
            bar(round(share * 1000), 1000, stage)
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_SECONDS and share < 1.0:
            return
        last[0] = now
        TrendRun.objects.filter(pk=run_id).update(
            progress=min(share, 0.99), message=str(stage)[:MESSAGE_MAX], updated_at=timezone.now()
        )

    return progress


def trend_run_execute(*, run_id: int, progress: ProgressBar | None = None) -> TrendRun:
    """Run the detection of a queued run and store its topics; a failure is recorded on the
    run (status failed, the error), never half stored."""
    run = TrendRun.objects.select_related("cluster").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    now = timezone.now()
    run.status = RunStatus.RUNNING
    run.started_at = now
    run.progress = 0.0
    run.message = Stage.READING
    run.save(update_fields=["status", "started_at", "progress", "message", "updated_at"])
    try:
        scope = scope_documents(run.cluster)
        params = TrendParams.from_dict(run.params)
        if scope.documents:
            result = detect_trends(
                scope.documents,
                encoder=get_encoder(run.encoder or ENCODER),
                params=params,
                progress=_saver(run.pk, progress),
            )
        else:
            result = None
        _store(run, result, scope.info, scope.snapshot)
    except Exception as exc:
        logger.exception("Trend run %s failed", run_id)
        run.status = RunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.message = Stage.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "message", "finished_at", "updated_at"])
    run.refresh_from_db()
    return run


def _evidence(
    topic: Topic, info: DocumentInfo, score: float, period: str, run_period: str
) -> list[TopicDocument]:
    rows = [
        TopicDocument(
            topic=topic,
            source=DocumentSource.PROJECT
            if info.source == PROJECT
            else DocumentSource.CONTRIBUTION,
            project_id=info.pk if info.source == PROJECT else None,
            contribution_id=info.pk if info.source == CONTRIBUTION else None,
            organization_id=info.organization_id,
            kind=info.kind,
            title=info.title,
            date=info.date,
            period=period,
            score=score,
        )
    ]
    for merged in info.merged:
        rows.append(
            TopicDocument(
                topic=topic,
                source=DocumentSource.CONTRIBUTION,
                contribution_id=merged.id,
                organization_id=merged.organization_id,
                kind=merged.kind,
                merged=True,
                title=merged.title,
                date=merged.date,
                period=period_label(merged.date, run_period),  # type: ignore[arg-type]
                score=score,
            )
        )
    return rows


def _status(value: str) -> str:
    return value if value in TopicStatus.values else TopicStatus.STABLE


@transaction.atomic
def _store(
    run: TrendRun,
    result: TrendResult | None,
    info: dict[str, DocumentInfo],
    snapshot: dict[str, object],
) -> None:
    run.topics.all().delete()
    topics: list[Topic] = []
    evidence: list[TopicDocument] = []
    for position, found in enumerate(result.topics if result else ()):
        # {organization id: contributions of the topic it posted or endorsed}
        members: Counter[int] = Counter()
        for document in found.documents:
            if document.key in info:
                members.update(info[document.key].members())
        sources = [info[d.key].source for d in found.documents if d.key in info]
        topic = Topic(
            run=run,
            position=position,
            label=found.label[:200] or "—",
            terms=[term.term for term in found.terms],
            size=round(float(found.total), 3),
            counts=[round(float(c), 3) for c in found.counts],
            cluster_counts={k: round(float(v), 3) for k, v in found.group_counts.items()},
            member_counts={str(pk): count for pk, count in members.most_common()},
            growth=float(found.growth.rate),
            p_value=float(found.growth.p_value),
            q_value=float(found.growth.q_value),
            status=_status(found.growth.status),
            project_count=sources.count(PROJECT),
            contribution_count=sources.count(CONTRIBUTION)
            + sum(len(info[d.key].merged) for d in found.documents if d.key in info),
            member_count=len(members),
            centroid=np.asarray(found.centroid, dtype="<f4").tobytes(),
        )
        topics.append(topic)
        for document in found.documents:
            document_info = info.get(document.key)
            if document_info is None:
                continue
            evidence += _evidence(
                topic,
                document_info,
                float(document.score),
                period_label(document_info.date, run.period),  # type: ignore[arg-type]
                run.period,
            )
    Topic.objects.bulk_create(topics)
    TopicDocument.objects.bulk_create(evidence, batch_size=500)
    run.status = RunStatus.DONE
    run.progress = 1.0
    run.periods = list(result.periods) if result else []
    run.document_count = result.documents if result else 0
    if result is not None and result.encoder:
        run.encoder = result.encoder[:40]
    run.snapshot = snapshot
    run.snapshot_hash = str(snapshot.get("hash", ""))
    run.message = Stage.DONE
    run.error = ""
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "status",
            "progress",
            "periods",
            "document_count",
            "encoder",
            "snapshot",
            "snapshot_hash",
            "message",
            "error",
            "finished_at",
            "updated_at",
        ]
    )
