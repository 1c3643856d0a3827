"""The trend pipeline: embed, cluster into topics, label, count per period, test growth."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from analytics.embeddings import Encoder
from analytics.retrieval.text import stem
from analytics.trends.growth import growth_tests
from analytics.trends.labels import topic_terms
from analytics.trends.model import (
    TopicDocument,
    TopicMatch,
    TopicTerm,
    TrendDocument,
    TrendParams,
    TrendResult,
    TrendTopic,
    _period_index,
    period_range,
)
from analytics.trends.topics import cluster_topics

# progress(stage, fraction done of the whole run, 0.0 to 1.0)
ProgressCallback = Callable[[str, float], None]

# Texts are embedded in chunks of this many, so that progress can be reported.
_EMBED_CHUNK = 256
# Share of the run's time that embedding takes (for progress only).
_EMBED_SHARE = 0.8


def _check_documents(documents: Sequence[TrendDocument]) -> None:
    if isinstance(documents, TrendDocument):
        raise TypeError("detect_trends() takes a sequence of TrendDocument, not one document")
    for i, doc in enumerate(documents):
        if not isinstance(doc, TrendDocument):
            raise TypeError(f"documents[{i}] is a {type(doc).__name__}, not a TrendDocument")
        if not isinstance(doc.text, str):
            raise TypeError(f"documents[{i}].text is not a string")
        if not isinstance(doc.date, datetime.date):
            raise TypeError(f"documents[{i}].date is not a date")
        if not (doc.weight >= 0.0 and np.isfinite(doc.weight)):
            raise ValueError(f"documents[{i}].weight={doc.weight!r}: expected a number >= 0")


def _embed(
    texts: list[str], encoder: Encoder, progress: ProgressCallback | None
) -> NDArray[np.float32]:
    parts: list[NDArray[np.float32]] = []
    for start in range(0, len(texts), _EMBED_CHUNK):
        parts.append(encoder.encode(texts[start : start + _EMBED_CHUNK], kind="passage"))
        if progress is not None:
            done = min(len(texts), start + _EMBED_CHUNK) / len(texts)
            progress("embedding", _EMBED_SHARE * done)
    return np.vstack(parts).astype(np.float32, copy=False)


def _unit_rows(vectors: NDArray[np.floating]) -> NDArray[np.float32]:
    rows = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    out: NDArray[np.float32] = np.where(norms > 1e-12, rows / np.maximum(norms, 1e-12), 0.0).astype(
        np.float32
    )
    return out


def _sorted_counts(counter: dict[str, float]) -> dict[str, float]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def detect_trends(
    documents: Sequence[TrendDocument],
    *,
    encoder: Encoder | None = None,
    params: TrendParams | None = None,
    vectors: NDArray[np.floating] | None = None,
    progress: ProgressCallback | None = None,
) -> TrendResult:
    """Topics of ``documents`` with their counts per period and their growth status.

    encoder: embeds the texts (e.g. ``get_encoder("use-m3")``, multilingual); not needed when
    ``vectors`` (one row per document, in order, e.g. stored ones) are given.
    params: ``TrendParams()`` by default. progress: called with (stage, fraction of the run
    done) as the run goes: stages "embedding", "clustering", "labelling", "testing", "done".

    Deterministic for the same documents, vectors and seed. Fewer documents than
    ``min_topic_size`` (or no periods with documents): a result without topics.
    TypeError/ValueError name bad inputs (a document that is not a TrendDocument, a negative
    weight, vectors whose row count differs from the documents', no encoder and no vectors).
    """
    params = params if params is not None else TrendParams()
    _check_documents(documents)
    n = len(documents)
    if vectors is None and encoder is None:
        raise ValueError("detect_trends() needs an encoder, or the documents' vectors")
    texts = [" ".join(doc.text.split())[: params.max_chars] for doc in documents]
    if vectors is not None:
        matrix = np.asarray(vectors)
        if matrix.ndim != 2 or matrix.shape[0] != n:
            raise ValueError(
                f"vectors has shape {matrix.shape}: expected one row per document ({n} rows)"
            )
        if not np.all(np.isfinite(matrix)):
            raise ValueError("vectors must be finite numbers")
        unit = _unit_rows(matrix)
        encoder_name = encoder.name if encoder is not None else "given"
    else:
        assert encoder is not None
        unit = (
            _unit_rows(_embed(texts, encoder, progress))
            if n
            else np.zeros((0, encoder.dim), np.float32)
        )
        encoder_name = encoder.name

    # Periods: every one from the first date to the last.
    if n:
        first = min(doc.date for doc in documents)
        last = max(doc.date for doc in documents)
        periods = period_range(first, last, params.period)
        base = _period_index(first, params.period)
        period_of = np.array([_period_index(d.date, params.period) - base for d in documents])
    else:
        periods = []
        period_of = np.zeros(0, dtype=np.int64)
    weights = np.array([doc.weight for doc in documents], dtype=np.float64)
    totals: NDArray[np.float64] = np.zeros(len(periods), dtype=np.float64)
    if n:
        totals = np.bincount(period_of, weights=weights, minlength=len(periods)).astype(np.float64)

    if progress is not None:
        progress("clustering", _EMBED_SHARE)
    labels, centroids = cluster_topics(unit, params)
    k = centroids.shape[0]

    if progress is not None:
        progress("labelling", _EMBED_SHARE + 0.1)
    terms = topic_terms(texts, labels, k, top=params.top_terms)

    if progress is not None:
        progress("testing", _EMBED_SHARE + 0.15)
    counts = np.zeros((k, len(periods)), dtype=np.float64)
    if k:
        np.add.at(counts, (labels[labels >= 0], period_of[labels >= 0]), weights[labels >= 0])
    window = len(periods) if params.window is None else min(params.window, len(periods))
    growths = growth_tests(
        counts[:, len(periods) - window :], totals[len(periods) - window :], params.alpha
    )

    scores = np.einsum("ij,ij->i", unit, centroids[np.maximum(labels, 0)]) if k else np.zeros(n)
    topics: list[TrendTopic] = []
    for tid in range(k):
        found = np.flatnonzero(labels == tid)
        members = [int(i) for i in found[np.argsort(-scores[found], kind="stable")]]
        group_counts: dict[str, float] = defaultdict(float)
        member_counts: dict[str, float] = defaultdict(float)
        for i in members:
            doc = documents[i]
            for group in dict.fromkeys(doc.groups):
                group_counts[group] += doc.weight
            for member in dict.fromkeys(doc.members):
                member_counts[member] += doc.weight
        term_list = terms[tid]
        label = _label(term_list, params.label_terms) or f"topic {tid}"
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(totals > 0, counts[tid] / np.maximum(totals, 1e-300), 0.0)
        topics.append(
            TrendTopic(
                id=tid,
                label=label,
                terms=tuple(term_list),
                documents=tuple(
                    TopicDocument(index=i, key=documents[i].key, score=float(scores[i]))
                    for i in members
                ),
                counts=tuple(float(c) for c in counts[tid]),
                shares=tuple(float(s) for s in shares),
                group_counts=_sorted_counts(group_counts),
                member_counts=_sorted_counts(member_counts),
                total=float(counts[tid].sum()),
                growth=growths[tid],
                centroid=centroids[tid],
            )
        )
    if progress is not None:
        progress("done", 1.0)
    return TrendResult(
        topics=tuple(topics),
        periods=tuple(periods),
        totals=tuple(float(t) for t in totals),
        tested_periods=window,
        assignments=tuple(int(x) for x in labels),
        params=params,
        encoder=encoder_name,
        documents=n,
    )


def _word_keys(word: str) -> set[str]:
    """A word's English and Italian stems: "plastic" and "plastics", "malattia" and "malattie"
    share one."""
    return {stem(word, "en"), stem(word, "it")}


def _label(terms: Sequence[TopicTerm], size: int) -> str:
    """The first ``size`` terms, skipping one whose words all repeat (up to inflection) words
    of terms already taken ("fuel" after "fuel cell", "plastics" after "plastic")."""
    chosen: list[str] = []
    seen: set[str] = set()
    for item in terms:
        keys = [_word_keys(word) for word in item.term.split()]
        if not keys or all(k & seen for k in keys):
            continue
        chosen.append(item.term)
        for k in keys:
            seen |= k
        if len(chosen) == size:
            break
    return ", ".join(chosen)


def match_topics(
    old: Sequence[TrendTopic] | Sequence[Sequence[float]] | NDArray[np.floating],
    new: Sequence[TrendTopic] | Sequence[Sequence[float]] | NDArray[np.floating],
    *,
    min_similarity: float = 0.8,
) -> list[TopicMatch]:
    """Pairs (old index, new index, cosine) of topics of two runs that are the same topic.

    ``old`` and ``new``: the topics of each run, or their centroids (rows, as stored). Each
    topic is matched at most once (the pairing that maximises the total cosine, Hungarian
    method); pairs below ``min_similarity`` are left out. Sorted by old index. Runs must use
    the same encoder (centroids of different encoders are not comparable).
    """
    a = _centroid_matrix(old)
    b = _centroid_matrix(new)
    if a.shape[0] == 0 or b.shape[0] == 0:
        return []
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"centroids of {a.shape[1]} and {b.shape[1]} dimensions: not the same encoder"
        )
    sims = _unit_rows(a) @ _unit_rows(b).T
    rows, cols = linear_sum_assignment(-sims)
    out = [
        TopicMatch(old=int(r), new=int(c), similarity=float(sims[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if sims[r, c] >= min_similarity
    ]
    return sorted(out, key=lambda m: m.old)


def _centroid_matrix(
    items: Sequence[TrendTopic] | Sequence[Sequence[float]] | NDArray[np.floating],
) -> NDArray[np.float32]:
    if isinstance(items, np.ndarray):
        matrix = np.asarray(items, dtype=np.float32)
    else:
        rows = [t.centroid if isinstance(t, TrendTopic) else np.asarray(t) for t in items]
        if not rows:
            return np.zeros((0, 0), np.float32)
        matrix = np.vstack(rows).astype(np.float32)
    if matrix.ndim != 2:
        raise ValueError("centroids must be one row per topic")
    return matrix
