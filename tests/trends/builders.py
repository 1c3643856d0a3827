"""Stored trend runs and topics made directly (no detection), for permission and page tests,
and members' contributions dated as the tests need."""

from __future__ import annotations

import datetime

import numpy as np
from django.utils import timezone

from clusterhub.contributions.models import Contribution
from clusterhub.projects.models import Project, ProjectCluster, SuggestionSource
from clusterhub.regions.models import Cluster
from clusterhub.trends.models import RunStatus, Topic, TopicDocument, TrendRun


def stored_run(cluster: Cluster | None, *, label: str = "digital twin, maintenance") -> TrendRun:
    """A finished run of the scope with one topic (reused when it exists)."""
    run = TrendRun.objects.filter(cluster=cluster, status=RunStatus.DONE).first()
    if run is not None:
        return run
    run = TrendRun.objects.create(
        cluster=cluster,
        period="quarter",
        params={"period": "quarter", "min_topic_size": 4},
        periods=["2025-Q3", "2025-Q4", "2026-Q1"],
        document_count=10,
        encoder="use-m3",
        status=RunStatus.DONE,
        progress=1.0,
        message="done",
        finished_at=timezone.now(),
    )
    stored_topic(run, label=label)
    return run


def stored_topic(
    run: TrendRun,
    *,
    label: str,
    size: float = 4.0,
    status: str = "emerging",
    centroid: np.ndarray | None = None,
) -> Topic:
    vector = centroid if centroid is not None else np.ones(8, dtype="<f4") / np.sqrt(8)
    return Topic.objects.create(
        run=run,
        position=run.topics.count(),
        label=label,
        terms=label.split(", "),
        size=size,
        counts=[1.0, 1.0, 2.0],
        growth=0.5,
        p_value=0.01,
        q_value=0.02,
        status=status,
        centroid=np.asarray(vector, dtype="<f4").tobytes(),
    )


def topic_of(cluster: Cluster | None) -> Topic:
    return stored_run(cluster).topics.first()  # type: ignore[return-value]


def evidence(topic: Topic, contribution: Contribution) -> TopicDocument:
    return TopicDocument.objects.create(
        topic=topic,
        source="contribution",
        contribution=contribution,
        organization_id=contribution.organization_id,
        kind=contribution.kind,
        title=contribution.title,
        date=contribution.created_at.date(),
        period="2026-Q1",
        score=0.9,
    )


def contribution(
    organization,
    cluster: Cluster,
    title: str,
    text: str = "",
    *,
    kind: str = "need",
    status: str = "approved",
    created: datetime.date | None = None,
    merged_into: Contribution | None = None,
) -> Contribution:
    made = Contribution.objects.create(
        organization=organization,
        kind=kind,
        title=title,
        text=text or title,
        status=status,
        merged_into=merged_into,
    )
    made.clusters.add(cluster)
    if created is not None:
        moment = timezone.make_aware(datetime.datetime.combine(created, datetime.time(10)))
        Contribution.objects.filter(pk=made.pk).update(created_at=moment)
        made.refresh_from_db()
    return made


def project(
    title: str, objective: str, start: datetime.date, *, clusters: tuple[Cluster, ...] = ()
) -> Project:
    made = Project.objects.create(
        cordis_id=f"9{Project.objects.count():08d}",
        framework="HORIZON",
        title=title,
        objective=objective,
        start_date=start,
    )
    for cluster in clusters:
        ProjectCluster.objects.create(
            project=made, cluster=cluster, source=SuggestionSource.MANUAL, confidence=1.0
        )
    return made
