"""Topics from document vectors (BERTopic-style, with scikit-learn).

1. Reduce: the unit vectors are projected on their first principal components (PCA) and
   scaled back to unit length: clustering is faster and less noisy in fewer dimensions.
2. Cluster: k-means (mini-batch above a few thousand documents) into more clusters than
   topics wanted (about one per ``2 * min_topic_size`` documents, at most ``2 * max_topics``):
   fine clusters first, so that a small but distinct topic (hydrogen beside solar) keeps its
   own cluster. Density clustering (HDBSCAN, BERTopic's default) was tried on the CORDIS
   projects and left 84% of them as outliers in 512 or 48 dimensions (without UMAP, which
   the platform does not ship): k-means plus the steps below does better here.
3. Merge: while two clusters have centroids (in the encoder's space) with a cosine of at
   least ``merge_similarity``, they become one.
4. Keep: clusters of at least ``min_topic_size`` documents, the largest ``max_topics``.
5. Reassign: a document of a cluster that was not kept joins the nearest kept topic when its
   cosine to that topic's centroid is at least the 5th percentile of the kept members'
   cosines; otherwise it is an outlier (-1). Blank texts (zero vectors) are outliers.

Topics are numbered 0, 1, ... by decreasing size. Deterministic for a given seed.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import NDArray
from sklearn.cluster import KMeans, MiniBatchKMeans  # type: ignore[import-untyped]
from sklearn.decomposition import PCA  # type: ignore[import-untyped]

from analytics.trends.model import TrendParams

PCA_DIMS = 48
# Above this many documents, mini-batch k-means (the full one grows too slow).
MINIBATCH_ABOVE = 5000
# Members' cosine percentile under which a document of a dropped cluster stays an outlier.
REASSIGN_PERCENTILE = 5.0


def centroids_of(
    unit: NDArray[np.float32], labels: NDArray[np.int64], k: int
) -> NDArray[np.float32]:
    """Unit-length mean vector of each topic 0..k-1."""
    inside = np.flatnonzero(labels >= 0)
    # A sparse (topics x documents) indicator times the rows: np.add.at is many times slower.
    indicator = sp.csr_matrix(
        (np.ones(inside.size, dtype=np.float64), (labels[inside], inside)),
        shape=(k, unit.shape[0]),
    )
    sums = np.asarray(indicator @ unit.astype(np.float64, copy=False))
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    out: NDArray[np.float32] = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def _relabel_by_size(labels: NDArray[np.int64], keep: NDArray[np.int64]) -> NDArray[np.int64]:
    """Labels in ``keep`` renumbered 0.. by decreasing size (ties: lower old id); others -1."""
    if keep.size == 0:
        return np.full_like(labels, -1)
    sizes = np.bincount(labels[labels >= 0], minlength=int(keep.max()) + 1)[keep]
    order = keep[np.lexsort((keep, -sizes))]
    remap = np.full(int(max(labels.max(), keep.max())) + 1, -1, dtype=np.int64)
    remap[order] = np.arange(order.size)
    out: NDArray[np.int64] = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1)
    return out


def _merge(
    unit: NDArray[np.float32], labels: NDArray[np.int64], similarity: float
) -> NDArray[np.int64]:
    labels = labels.copy()
    while True:
        ids = np.unique(labels[labels >= 0])
        labels = _relabel_by_size(labels, ids)
        k = ids.size
        if k < 2:
            return labels
        cents = centroids_of(unit, labels, k)
        sims = cents @ cents.T
        np.fill_diagonal(sims, -1.0)
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < similarity:
            return labels
        labels[labels == max(i, j)] = min(i, j)


def cluster_topics(
    unit: NDArray[np.float32], params: TrendParams
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """(topic per row or -1, unit centroids of the topics) of unit-length rows."""
    n, dim = unit.shape
    labels = np.full(n, -1, dtype=np.int64)
    valid = np.flatnonzero(np.linalg.norm(unit, axis=1) > 0.5)
    if valid.size < max(params.min_topic_size, 2):
        return labels, np.zeros((0, dim), np.float32)
    x = unit[valid]
    dims = min(PCA_DIMS, dim, x.shape[0] - 1)
    reduced = PCA(
        n_components=dims, svd_solver="randomized", random_state=params.seed
    ).fit_transform(x)
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    k0 = int(min(2 * params.max_topics, max(2, x.shape[0] // (2 * params.min_topic_size))))
    k0 = min(k0, x.shape[0])
    model: KMeans | MiniBatchKMeans
    if x.shape[0] > MINIBATCH_ABOVE:
        model = MiniBatchKMeans(n_clusters=k0, random_state=params.seed, n_init=3, batch_size=4096)
    else:
        model = KMeans(n_clusters=k0, random_state=params.seed, n_init=3)
    labels[valid] = model.fit_predict(reduced)

    labels = _merge(unit, labels, params.merge_similarity)
    sizes = np.bincount(labels[labels >= 0])
    kept = np.flatnonzero(sizes >= params.min_topic_size)[: params.max_topics]
    k = kept.size  # labels are numbered by decreasing size: the kept ones come first
    if k == 0:
        return np.full(n, -1, dtype=np.int64), np.zeros((0, dim), np.float32)
    cents = centroids_of(unit, np.where(labels < k, labels, -1), k)
    inside = (labels >= 0) & (labels < k)
    own = np.einsum("ij,ij->i", unit[inside], cents[labels[inside]])
    floor = float(np.percentile(own, REASSIGN_PERCENTILE))
    loose = np.flatnonzero(labels >= k)
    if loose.size:
        sims = unit[loose] @ cents.T
        best = sims.argmax(axis=1)
        labels[loose] = np.where(sims[np.arange(loose.size), best] >= floor, best, -1)
    labels = _relabel_by_size(labels, np.arange(k))
    return labels, centroids_of(unit, labels, k)
