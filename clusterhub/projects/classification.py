"""Suggested clusters and S3 themes for projects and organizations, from their texts.

Labels are described by the region's configuration (cluster names and descriptions in both
languages, the S3 themes of each cluster's area); projects whose programme code maps to a
cluster in the preset's `programme_clusters`, and clusters confirmed by managers, are the
labelled examples of the supervised part (analytics.classify). Suggestions are stored as
ProjectCluster / ProjectTheme rows with source "auto"; a manager's decision (source
"manual", kept or rejected) is never overwritten by a new run.
"""

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from numpy.typing import NDArray

from analytics.classify import LabelClassifier, Suggestion, label_by_prefix
from analytics.embeddings import get_encoder
from clusterhub.projects.models import (
    Project,
    ProjectCluster,
    ProjectTheme,
    SuggestionSource,
)
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.models import Organization

# Multilingual: Italian and English texts get the same labels (bench/classification.py).
ENCODERS = ("use-m3",)
BATCH = 64
MAX_CLUSTERS = 2
MAX_THEMES = 3


def _texts_of_cluster(cluster: Cluster) -> list[str]:
    texts = [cluster.name_en, cluster.name_it, cluster.description_en, cluster.description_it]
    if cluster.s3_area_id:
        for theme in S3Theme.objects.filter(parent_id=cluster.s3_area_id):
            texts += [theme.name_en, theme.name_it]
    return [text for text in texts if text]


def _texts_of_theme(theme: S3Theme) -> list[str]:
    parent = theme.parent
    texts = [theme.name_en, theme.name_it]
    if parent is not None:
        texts += [f"{parent.name_en}: {theme.name_en}", f"{parent.name_it}: {theme.name_it}"]
    return [text for text in texts if text]


@cache
def programme_clusters() -> dict[str, str]:
    """The preset's programme code -> cluster slug map (empty when it has none)."""
    preset = yaml.safe_load(Path(settings.CLUSTERHUB_REGION_PRESET).read_text(encoding="utf-8"))
    return {str(code): str(slug) for code, slug in (preset.get("programme_clusters") or {}).items()}


def project_text(project: Project) -> str:
    return f"{project.title}. {project.objective}".strip()


def programme_label(project: Project) -> str | None:
    """The cluster a project's programme codes point to, when they agree on one."""
    codes = [code for code in project.programme.replace(",", ";").split(";") if code.strip()]
    found = {label_by_prefix(code.strip(), programme_clusters()) for code in codes}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def cluster_classifier() -> LabelClassifier:
    """The region's cluster classifier, untrained (`classify_projects` trains it)."""
    encoders = [get_encoder(name) for name in ENCODERS]
    descriptions = {cluster.slug: _texts_of_cluster(cluster) for cluster in Cluster.objects.all()}
    return LabelClassifier(descriptions, encoders)


def theme_classifier() -> LabelClassifier:
    encoders = [get_encoder(name) for name in ENCODERS]
    themes = S3Theme.objects.filter(level=2).select_related("parent")
    return LabelClassifier({theme.code: _texts_of_theme(theme) for theme in themes}, encoders)


def _labelled_projects() -> dict[int, tuple[Project, str]]:
    """{id: (project, cluster slug)} labelled by a manager's decision, else by its programme."""
    manual = {
        link.project_id: link.cluster.slug
        for link in ProjectCluster.objects.filter(
            source=SuggestionSource.MANUAL, rejected=False
        ).select_related("cluster")
    }
    labelled = {}
    for project in Project.objects.only("id", "title", "objective", "programme").iterator():
        label = manual.get(project.pk) or programme_label(project)
        if label:
            labelled[project.pk] = (project, label)
    return labelled


# {project id: its vector for each encoder}
Vectors = dict[int, list[NDArray[np.float32]]]


def _embed(
    classifier: LabelClassifier,
    projects: list[Project],
    progress: Callable[[int, int], None] | None,
) -> Vectors:
    """{project id: its vector for each encoder}, encoded once, in batches."""
    vectors: Vectors = {}
    for start in range(0, len(projects), BATCH):
        batch = projects[start : start + BATCH]
        per_encoder = classifier.embed([project_text(project) for project in batch])
        for row, project in enumerate(batch):
            vectors[project.pk] = [rows[row] for rows in per_encoder]
        if progress:
            progress(min(start + BATCH, len(projects)), len(projects))
    return vectors


def _stack(vectors: Vectors, ids: list[int]) -> list[NDArray[np.float32]]:
    """The rows of `ids`, one matrix per encoder (the layout `LabelClassifier` takes)."""
    return [np.stack([vectors[i][e] for i in ids]) for e in range(len(ENCODERS))]


def _store(
    model: type[ProjectCluster] | type[ProjectTheme],
    field: str,
    project: Project,
    suggestions: list[Suggestion],
    targets: dict[str, object],
) -> None:
    """Replace a project's automatic suggestions; leave manual decisions alone."""
    decided = set(
        model.objects.filter(project=project, source=SuggestionSource.MANUAL).values_list(
            f"{field}__{'slug' if field == 'cluster' else 'code'}", flat=True
        )
    )
    model.objects.filter(project=project, source=SuggestionSource.AUTOMATIC).delete()
    model.objects.bulk_create(
        [
            model(project=project, confidence=s.confidence, **{field: targets[s.label]})
            for s in suggestions
            if s.label not in decided and s.label in targets
        ]
    )


def classify_projects(
    *,
    projects: Iterable[Project] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store suggested clusters and S3 themes for `projects` (all when None); returns the count.

    Every text is embedded once: the same vectors train the cluster model and feed both
    classifiers (they share their encoders). `progress` follows the encoding, the slow part.
    """
    by_cluster = cluster_classifier()
    by_theme = theme_classifier()
    chosen = list(projects if projects is not None else Project.objects.order_by("id"))
    labelled = _labelled_projects()
    chosen_ids = {project.pk for project in chosen}
    others = [project for pk, (project, _label) in labelled.items() if pk not in chosen_ids]
    vectors = _embed(by_cluster, chosen + others, progress)
    if labelled:
        ids = list(labelled)
        by_cluster.fit_vectors(_stack(vectors, ids), [labelled[pk][1] for pk in ids])
    clusters = {cluster.slug: cluster for cluster in Cluster.objects.all()}
    themes = {theme.code: theme for theme in S3Theme.objects.filter(level=2)}
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start : start + BATCH]
        batch_vectors = _stack(vectors, [project.pk for project in batch])
        cluster_suggestions = by_cluster.suggest_vectors(batch_vectors, top=MAX_CLUSTERS)
        theme_suggestions = by_theme.suggest_vectors(
            batch_vectors, top=MAX_THEMES, min_confidence=0.1
        )
        with transaction.atomic():
            for project, for_clusters, for_themes in zip(
                batch, cluster_suggestions, theme_suggestions, strict=True
            ):
                _store(ProjectCluster, "cluster", project, for_clusters, clusters)
                _store(ProjectTheme, "theme", project, for_themes, themes)
    return len(chosen)


@transaction.atomic
def project_cluster_decide(*, project: Project, cluster: Cluster, keep: bool) -> ProjectCluster:
    """A manager confirms (keep) or rejects a cluster of a project; later runs respect it."""
    link, _created = ProjectCluster.objects.update_or_create(
        project=project,
        cluster=cluster,
        defaults={"source": SuggestionSource.MANUAL, "rejected": not keep, "confidence": 1.0},
    )
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
    return link


@transaction.atomic
def project_theme_decide(*, project: Project, theme: S3Theme, keep: bool) -> ProjectTheme:
    """A manager confirms (keep) or rejects an S3 theme of a project."""
    link, _created = ProjectTheme.objects.update_or_create(
        project=project,
        theme=theme,
        defaults={"source": SuggestionSource.MANUAL, "rejected": not keep, "confidence": 1.0},
    )
    return link


_zero_shot: dict[tuple[object, ...], tuple[LabelClassifier, LabelClassifier]] = {}


def _zero_shot_classifiers() -> tuple[LabelClassifier, LabelClassifier]:
    """The untrained cluster and theme classifiers, built once per process and taxonomy."""
    key = (
        tuple(Cluster.objects.order_by("pk").values_list("pk", "slug", "description_en")),
        S3Theme.objects.count(),
    )
    if key not in _zero_shot:
        _zero_shot.clear()
        _zero_shot[key] = (cluster_classifier(), theme_classifier())
    return _zero_shot[key]


def suggest_for_text(text: str) -> dict[str, list[Suggestion]]:
    """Clusters and S3 themes suggested for a free text (an organization's profile)."""
    by_cluster, by_theme = _zero_shot_classifiers()
    return {
        "clusters": by_cluster.suggest([text], top=MAX_CLUSTERS)[0],
        "themes": by_theme.suggest([text], top=MAX_THEMES, min_confidence=0.1)[0],
    }


def organization_suggestions(organization: Organization) -> dict[str, list[tuple[object, float]]]:
    """(cluster or S3 theme, confidence) suggested from the organization's profile and its
    projects, best first: the editor accepts one by ticking it (themes) or asking to join."""
    from clusterhub.matchmaking.documents import document_fields

    fields = document_fields(organization)
    text = "\n".join(value for name, value in fields.items() if name not in ("themes", "name"))
    found = suggest_for_text(text)
    clusters = {
        c.slug: c for c in Cluster.objects.filter(slug__in=[s.label for s in found["clusters"]])
    }
    themes = {
        t.code: t for t in S3Theme.objects.filter(code__in=[s.label for s in found["themes"]])
    }
    return {
        "clusters": [
            (clusters[s.label], s.confidence) for s in found["clusters"] if s.label in clusters
        ],
        "themes": [(themes[s.label], s.confidence) for s in found["themes"] if s.label in themes],
    }
