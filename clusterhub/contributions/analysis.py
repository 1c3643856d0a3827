"""What the platform reads in a contribution's text: its language, suggested tags (S3 themes
and competences of the region's taxonomies) and near-duplicates among earlier contributions.

All three use the multilingual encoder ("use-m3": Italian and English in one space), so an
Italian need finds its English twin. Vectors are stored with each contribution as float16
(1 KiB each); similarity is the cosine of title + text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analytics.classify import LabelClassifier
from analytics.embeddings import get_encoder
from analytics.retrieval.text import detect_language
from clusterhub.projects.classification import theme_classifier
from clusterhub.regions.models import Cluster, Competence, S3Theme

ENCODER = "use-m3"
# Cosine of title + text from which a new contribution is flagged as a near-duplicate of an
# earlier one of the same clusters. Measured with use-m3 on the demo contributions and a few
# hand-written rewordings: translations (Italian/English) and close rewordings of one need
# score 0.84-0.96; loose rewordings of it 0.55-0.66; different needs of the same topic
# (predictive maintenance of spindles vs of packaging machines, digital twins of robot cells
# vs training on digital twins) 0.47-0.60; the median pair of the demo 0.16. The flag is a
# hint the managers act on, so it is kept above the same-topic band: loose rewordings go
# unflagged but are still shown to the author (SIMILAR_THRESHOLD).
DUPLICATE_THRESHOLD = 0.75
# Shown to the author before posting as "similar, endorse instead?" (at most 5).
SIMILAR_THRESHOLD = 0.6
MAX_THEMES = 3
MAX_COMPETENCES = 4
MIN_CONFIDENCE = 0.12


def embed(text: str) -> NDArray[np.float32]:
    """The unit vector of a text (a zero vector for a blank one)."""
    vectors: NDArray[np.float32] = get_encoder(ENCODER).encode([text])
    return vectors[0]


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    return vector.astype("<f2").tobytes()


def from_bytes(data: bytes | memoryview) -> NDArray[np.float32]:
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)


def language_of(text: str) -> str:
    """ "it" or "en" (the region's languages); English when the text gives no evidence."""
    return detect_language(text, "en")


def cosine_scores(
    vector: NDArray[np.float32], candidates: Iterable[tuple[int, bytes | memoryview]]
) -> list[tuple[int, float]]:
    """(id, cosine) of each candidate with a stored vector of the same size, best first."""
    ids, rows = [], []
    for pk, data in candidates:
        row = from_bytes(data)
        if row.shape == vector.shape:
            ids.append(pk)
            rows.append(row)
    if not rows or not np.any(vector):
        return []
    matrix = np.stack(rows)
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(vector)), 1e-12)
    scores = (matrix @ vector) / np.maximum(norms, 1e-12)
    order = np.argsort(-scores)
    return [(ids[i], round(float(scores[i]), 3)) for i in order]


def _texts_of_competence(competence: Competence) -> list[str]:
    parent = competence.parent
    texts = [competence.name_en, competence.name_it]
    if parent is not None:
        texts += [
            f"{parent.name_en}: {competence.name_en}",
            f"{parent.name_it}: {competence.name_it}",
        ]
    return [text for text in texts if text]


def competence_classifier() -> LabelClassifier:
    competences = Competence.objects.filter(level=2).select_related("parent")
    return LabelClassifier(
        {c.code: _texts_of_competence(c) for c in competences}, [get_encoder(ENCODER)]
    )


_classifiers: dict[tuple[object, ...], tuple[LabelClassifier, LabelClassifier]] = {}


def _tag_classifiers() -> tuple[LabelClassifier, LabelClassifier]:
    """The theme and competence classifiers, built once per process and taxonomy."""
    key = (
        tuple(S3Theme.objects.order_by("pk").values_list("pk", "name_en")),
        tuple(Competence.objects.order_by("pk").values_list("pk", "name_en")),
    )
    if key not in _classifiers:
        _classifiers.clear()
        _classifiers[key] = (theme_classifier(), competence_classifier())
    return _classifiers[key]


@dataclass(frozen=True)
class TagSuggestions:
    themes: list[tuple[S3Theme, float]]
    competences: list[tuple[Competence, float]]

    def __bool__(self) -> bool:
        return bool(self.themes or self.competences)


def suggest_tags(text: str, clusters: Iterable[Cluster] = ()) -> TagSuggestions:
    """S3 themes and competences suggested for a text, best first, with their confidence.

    With clusters, the S3 themes are those of the clusters' S3 areas (when they have one):
    a mechatronics need is not tagged with a theme of the health area.
    """
    if not text.strip():
        return TagSuggestions([], [])
    by_theme, by_competence = _tag_classifiers()
    vectors = by_theme.embed([text])
    areas = {cluster.s3_area_id for cluster in clusters if cluster.s3_area_id}
    allowed = set(
        S3Theme.objects.filter(parent_id__in=areas).values_list("code", flat=True)
        if areas
        else by_theme.labels
    )
    themes = _top(by_theme, vectors, allowed, MAX_THEMES)
    competences = _top(by_competence, vectors, set(by_competence.labels), MAX_COMPETENCES)
    theme_rows = S3Theme.objects.select_related("parent").in_bulk(
        [code for code, _c in themes], field_name="code"
    )
    competence_rows = Competence.objects.select_related("parent").in_bulk(
        [code for code, _c in competences], field_name="code"
    )
    return TagSuggestions(
        [(theme_rows[code], c) for code, c in themes if code in theme_rows],
        [(competence_rows[code], c) for code, c in competences if code in competence_rows],
    )


def _top(
    classifier: LabelClassifier,
    vectors: list[NDArray[np.float32]],
    allowed: set[str],
    top: int,
) -> list[tuple[str, float]]:
    """The best `top` allowed labels above MIN_CONFIDENCE, probabilities renormalised over
    the allowed labels."""
    proba = classifier.predict_proba(vectors)[0]
    columns = [i for i, label in enumerate(classifier.labels) if label in allowed]
    if not columns:
        return []
    kept = proba[columns] / max(float(proba[columns].sum()), 1e-12)
    order = np.argsort(-kept)[:top]
    return [
        (classifier.labels[columns[i]], round(float(kept[i]), 3))
        for i in order
        if kept[i] >= MIN_CONFIDENCE
    ]
