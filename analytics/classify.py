"""Suggest labels (clusters, S3 themes) for texts, with a confidence.

Two signals, both over sentence embeddings (see analytics.embeddings):

- zero-shot prototypes: each label is described by a few texts (its name and description in
  Italian and English, the names of its S3 themes...); a text scores the cosine to each
  label's mean vector. Works from the first day, in both languages.
- a supervised model (logistic regression) trained on labelled examples when there are
  enough of them (projects whose programme tells their cluster, labels confirmed by
  managers). It carries most of the weight once trained (PROTOTYPE_WEIGHT is what is left
  to the prototypes, so that a label without examples can still be suggested).

Confidences are softmax probabilities over the labels: rank them, compare them across texts
of the same classifier, do not read them as calibrated frequencies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analytics.embeddings import Encoder

# Prototype cosines sit in a narrow band; this temperature spreads them into probabilities.
TEMPERATURE = 0.03
# Share of the prototypes once a model is trained: measured on CORDIS projects
# (bench/classification.py), an even mix cut macro-F1 from 0.65 to 0.54.
PROTOTYPE_WEIGHT = 0.15
# Fewer examples than this for a label, or fewer than two labels: no supervised model.
MIN_EXAMPLES_PER_LABEL = 5


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float


def _softmax(scores: NDArray[np.float32], temperature: float) -> NDArray[np.float32]:
    shifted = (scores - scores.max(axis=1, keepdims=True)) / temperature
    exp = np.exp(shifted)
    out: NDArray[np.float32] = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


class LabelClassifier:
    """Suggests labels for texts from label descriptions, and examples when given."""

    def __init__(
        self,
        descriptions: Mapping[str, Sequence[str]],
        encoders: Sequence[Encoder],
        *,
        temperature: float = TEMPERATURE,
    ) -> None:
        self.labels = [
            label for label, texts in descriptions.items() if any(t.strip() for t in texts)
        ]
        if not self.labels:
            raise ValueError("no label has a description to classify against")
        if not encoders:
            raise ValueError("at least one encoder is needed")
        self.encoders = list(encoders)
        self.temperature = temperature
        self._prototypes = [
            self._prototype_matrix(encoder, descriptions) for encoder in self.encoders
        ]
        self._model: object | None = None
        self._model_labels: list[str] = []

    def _prototype_matrix(
        self, encoder: Encoder, descriptions: Mapping[str, Sequence[str]]
    ) -> NDArray[np.float32]:
        rows = []
        for label in self.labels:
            vectors = encoder.encode([t for t in descriptions[label] if t.strip()])
            mean = vectors.mean(axis=0)
            rows.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
        return np.asarray(rows, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> list[NDArray[np.float32]]:
        """Each encoder's vectors of `texts`: reuse them across calls to avoid re-encoding."""
        return [encoder.encode(list(texts)) for encoder in self.encoders]

    def prototype_proba(self, vectors: Sequence[NDArray[np.float32]]) -> NDArray[np.float32]:
        scores = np.mean(
            [v @ p.T for v, p in zip(vectors, self._prototypes, strict=True)], axis=0
        ).astype(np.float32)
        return _softmax(scores, self.temperature)

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> bool:
        """Train the supervised model on labelled examples; False when there are too few."""
        return self.fit_vectors(self.embed(texts), labels)

    def fit_vectors(self, vectors: Sequence[NDArray[np.float32]], labels: Sequence[str]) -> bool:
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        counts = Counter(label for label in labels if label in self.labels)
        usable = {label for label, n in counts.items() if n >= MIN_EXAMPLES_PER_LABEL}
        if len(usable) < 2:
            self._model = None
            return False
        keep = np.array([label in usable for label in labels])
        features = np.hstack(vectors)[keep]
        targets = np.array(labels)[keep]
        model = LogisticRegression(max_iter=5000, C=16.0, class_weight="balanced")
        model.fit(features, targets)
        self._model = model
        self._model_labels = [str(label) for label in model.classes_]
        return True

    def predict_proba(self, vectors: Sequence[NDArray[np.float32]]) -> NDArray[np.float32]:
        """(n, len(self.labels)) probabilities: prototypes, mixed with the model if trained."""
        proba = self.prototype_proba(vectors)
        if self._model is None:
            return proba
        learned = self._model.predict_proba(np.hstack(vectors))  # type: ignore[attr-defined]
        aligned = np.zeros_like(proba)
        for column, label in enumerate(self._model_labels):
            aligned[:, self.labels.index(label)] = learned[:, column]
        mixed = PROTOTYPE_WEIGHT * proba + (1 - PROTOTYPE_WEIGHT) * aligned
        out: NDArray[np.float32] = mixed.astype(np.float32)
        return out

    def predict(self, vectors: Sequence[NDArray[np.float32]]) -> list[str]:
        proba = self.predict_proba(vectors)
        return [self.labels[i] for i in proba.argmax(axis=1)]

    def suggest(
        self, texts: Sequence[str], *, top: int = 3, min_confidence: float = 0.15
    ) -> list[list[Suggestion]]:
        """For each text, its best labels (at most `top`) above `min_confidence`, best first.

        A blank text gets no suggestion.
        """
        return self.suggest_vectors(self.embed(texts), top=top, min_confidence=min_confidence)

    def suggest_vectors(
        self,
        vectors: Sequence[NDArray[np.float32]],
        *,
        top: int = 3,
        min_confidence: float = 0.15,
    ) -> list[list[Suggestion]]:
        """`suggest` for texts already embedded by `embed` (e.g. shared by two classifiers
        with the same encoders)."""
        proba = self.predict_proba(vectors)
        blank = ~np.any(np.hstack(vectors), axis=1)
        result: list[list[Suggestion]] = []
        for row, is_blank in zip(proba, blank, strict=True):
            if is_blank:
                result.append([])
                continue
            order = np.argsort(-row)[:top]
            result.append(
                [
                    Suggestion(self.labels[i], round(float(row[i]), 3))
                    for i in order
                    if row[i] >= min_confidence
                ]
            )
        return result


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean of per-label F1 over the labels present in `truth`."""
    labels = sorted(set(truth))
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def label_by_prefix(code: str, prefixes: Mapping[str, str]) -> str | None:
    """The label of the longest prefix of `code` in `prefixes` (e.g. programme codes)."""
    matching = [prefix for prefix in prefixes if code.startswith(prefix)]
    return prefixes[max(matching, key=len)] if matching else None
