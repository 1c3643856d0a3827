"""Nearest vectors in a segment: exact (SIMD brute force) or approximate (HNSW), both usearch.

Vectors are stored as float16 (half the memory of float32, no measurable loss of ranking);
usearch compares them with SIMD kernels without converting them (numpy has no fast float16
matrix product). Scores are inner products of L2-normalised vectors, i.e. cosines.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

# onnxruntime (the encoders' runtime) segfaults at import when usearch's compiled module was
# loaded before it (usearch 2.26.6, onnxruntime 1.31.1: both orders tested, only this one
# works); load it first. tests/analytics/test_retrieval_index.py checks the order.
with contextlib.suppress(ImportError):
    import onnxruntime  # type: ignore[import-untyped]  # noqa: F401

from usearch.compiled import MetricKind  # noqa: E402
from usearch.index import Index, search  # noqa: E402

F32 = NDArray[np.float32]
F16 = NDArray[np.float16]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

# A filter that leaves fewer than this share of the rows: gather those rows and compare
# them exactly instead of over-fetching from the whole segment.
SUBSET_SHARE = 0.05


@dataclass(frozen=True)
class AnnParams:
    """HNSW settings. Measured on 100,000 synthetic profiles (bench/retrieval.py speed): with
    connectivity 16 recall@10 against exact search was 0.85 at expansion 128 and 0.976 at 1024;
    connectivity 32 with expansion 1024 reached 0.988 at 6.7 ms a search (p50, 2 threads)."""

    connectivity: int = 32
    expansion_add: int = 128
    expansion_search: int = 1024


def build_ann(matrix: F16, has: BOOL, params: AnnParams, threads: int) -> Any:
    index = Index(
        ndim=int(matrix.shape[1]),
        metric=MetricKind.IP,
        dtype="f16",
        connectivity=params.connectivity,
        expansion_add=params.expansion_add,
        expansion_search=params.expansion_search,
    )
    rows = np.flatnonzero(has).astype(np.uint64)
    if len(rows):
        index.add(rows, np.ascontiguousarray(matrix[rows.astype(np.int64)]), threads=threads)
    return index


def load_ann(path: Path, expansion_search: int) -> Any:
    index = Index.restore(str(path), view=True)
    if index is None:
        raise ValueError(f"{path}: not a usearch index")
    setattr(index, "expansion_search", expansion_search)  # noqa: B010 (setter untyped)
    return index


def _matches(result: Any) -> tuple[I64, F32]:
    keys = np.asarray(result.keys, dtype=np.int64).reshape(-1)
    distances = np.asarray(result.distances, dtype=np.float32).reshape(-1)
    count = int(getattr(result, "count", len(keys)))
    keys, distances = keys[:count], distances[:count]
    return keys, (1.0 - distances).astype(np.float32)


def top_rows(
    matrix: F16,
    query: F32,
    eligible: BOOL,
    count: int,
    *,
    ann: Any | None,
    threads: int,
) -> tuple[I64, F32]:
    """The ``count`` eligible rows most similar to ``query`` (best first) and their cosines."""
    n = int(matrix.shape[0])
    n_eligible = int(eligible.sum())
    if n == 0 or n_eligible == 0 or count <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    count = min(count, n_eligible)
    q16 = query.astype(np.float16)
    if n_eligible <= max(count * 4, int(n * SUBSET_SHARE)):
        rows = np.flatnonzero(eligible)
        subset = np.ascontiguousarray(matrix[rows])
        keys, scores = _matches(
            search(subset, q16, count, MetricKind.IP, exact=True, threads=threads)
        )
        return rows[keys], scores
    fetch = min(n, math.ceil(count * n / n_eligible * 1.3) + 8)
    while True:
        if ann is not None:
            result = ann.search(q16, fetch, threads=threads)
        else:
            result = search(matrix, q16, fetch, MetricKind.IP, exact=True, threads=threads)
        keys, scores = _matches(result)
        keep = eligible[keys]
        keys, scores = keys[keep], scores[keep]
        if len(keys) >= count or fetch >= n:
            return keys[:count], scores[:count]
        fetch = min(n, fetch * 4)


def cosines(matrix: F16 | F32, rows: I64, query: F32) -> F32:
    """Cosines of some rows with ``query`` (exact, float32)."""
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    block = np.asarray(matrix[rows], dtype=np.float32)
    out: F32 = block @ query.astype(np.float32)
    return out
