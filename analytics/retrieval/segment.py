"""The index's storage: one immutable main segment plus a small mutable delta.

The main segment holds, for each of its documents (a *row*): the id, the language, the
term ids (kept so a merge never re-analyses text), the BM25 score matrix built by ``bm25s``
(term-major CSC: one column of precomputed scores per term), and per encoder a float16 vector
matrix with a presence mask (documents may lack a vector for some encoder) and, past a size,
an approximate (HNSW, ``usearch``) index. It never changes once built: an edited or removed
document is only masked (``alive``), and its new version goes to the delta.

The delta holds the documents added since the main segment was built, scored the same way:
BM25 with the main segment's statistics, vectors compared exactly. When it grows past a
fraction of the main segment (or too many main rows are masked), both are merged into a new
main segment, from stored term ids and vectors (nothing is re-encoded).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s  # type: ignore[import-untyped]
import numpy as np
from numpy.typing import NDArray

from analytics.retrieval.text import Language

F32 = NDArray[np.float32]
F16 = NDArray[np.float16]
I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

LANG_CODES: tuple[Language, ...] = ("en", "it")

# BM25 parameters (bm25s "lucene" variant, its defaults).
K1 = 1.5
B = 0.75


def idf(df: NDArray[Any], n_docs: int) -> F32:
    """Lucene's BM25 idf, as bm25s computes it."""
    df = df.astype(np.float64)
    out: F32 = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    return out


@dataclass
class Entry:
    """One document of the delta."""

    terms: I32
    lang: Language
    vectors: dict[str, F16 | None]  # float16, as stored


@dataclass
class Lexical:
    """BM25 scores of a set of rows: term-major CSC of precomputed per-(term, row) scores."""

    data: F32
    indices: I32
    indptr: I64  # len = n_terms + 1
    n_rows: int

    @classmethod
    def empty(cls, n_rows: int) -> Lexical:
        return cls(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64), n_rows)

    @property
    def n_terms(self) -> int:
        return len(self.indptr) - 1

    def scores(self, groups: Sequence[Sequence[int]]) -> F32:
        """Per-row BM25 score of a query: per word, the best of its variants, summed."""
        out = np.zeros(self.n_rows, np.float32)
        if self.n_rows == 0:
            return out
        best: F32 | None = None
        for group in groups:
            present = [t for t in group if 0 <= t < self.n_terms]
            if len(present) == 1:
                t = present[0]
                lo, hi = int(self.indptr[t]), int(self.indptr[t + 1])
                # a term's rows are distinct, so fancy-index addition is exact
                out[self.indices[lo:hi]] += self.data[lo:hi]
            elif present:
                if best is None:
                    best = np.zeros(self.n_rows, np.float32)
                else:
                    best.fill(0.0)
                for t in present:
                    lo, hi = int(self.indptr[t]), int(self.indptr[t + 1])
                    rows = self.indices[lo:hi]
                    best[rows] = np.maximum(best[rows], self.data[lo:hi])
                out += best
        return out


def _csc(rows: I64, terms: I64, values: F32, n_rows: int, n_terms: int) -> Lexical:
    order = np.lexsort((rows, terms))
    terms_sorted = terms[order]
    indptr = np.zeros(n_terms + 1, np.int64)
    np.cumsum(np.bincount(terms_sorted, minlength=n_terms), out=indptr[1:])
    return Lexical(values[order].astype(np.float32), rows[order].astype(np.int32), indptr, n_rows)


def build_main_lexical(
    terms: Sequence[I32], n_terms: int
) -> tuple[Lexical, NDArray[np.int32], float]:
    """The BM25 matrix of a main segment (built by bm25s), its document frequencies, avgdl."""
    n_rows = len(terms)
    lengths = np.fromiter((len(t) for t in terms), np.int64, count=n_rows)
    if n_rows == 0 or n_terms == 0 or int(lengths.sum()) == 0:
        return Lexical.empty(n_rows), np.zeros(n_terms, np.int32), 0.0
    uniques = [np.unique(t) for t in terms]
    df = np.bincount(np.concatenate(uniques), minlength=n_terms).astype(np.int32)
    vocab = {i: i for i in range(n_terms)}
    retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
    retriever.index(
        ([t.tolist() for t in terms], vocab), create_empty_token=False, show_progress=False
    )
    scores = retriever.scores
    lexical = Lexical(
        np.asarray(scores["data"], np.float32),
        np.asarray(scores["indices"], np.int32),
        np.asarray(scores["indptr"], np.int64),
        n_rows,
    )
    return lexical, df, float(lengths.mean())


def build_delta_lexical(
    terms: Sequence[I32], n_terms: int, main_df: NDArray[np.int32], main_n: int, main_avgdl: float
) -> Lexical:
    """BM25 matrix of delta rows, with the main segment's statistics (so scores compare).

    Terms the main segment never saw take their document frequency from the delta.
    """
    n_rows = len(terms)
    if n_rows == 0:
        return Lexical.empty(0)
    row_parts: list[I64] = []
    term_parts: list[I64] = []
    tf_parts: list[I64] = []
    lengths = np.zeros(n_rows, np.float64)
    for row, t in enumerate(terms):
        lengths[row] = len(t)
        if len(t) == 0:
            continue
        uniq, counts = np.unique(t, return_counts=True)
        row_parts.append(np.full(len(uniq), row, np.int64))
        term_parts.append(uniq.astype(np.int64))
        tf_parts.append(counts.astype(np.int64))
    if not term_parts:
        return Lexical.empty(n_rows)
    rows = np.concatenate(row_parts)
    term_ids = np.concatenate(term_parts)
    tf = np.concatenate(tf_parts).astype(np.float64)
    delta_df = np.bincount(term_ids, minlength=n_terms)
    df = delta_df.astype(np.int64)
    known = min(len(main_df), n_terms)
    n_docs = main_n + n_rows
    if main_n > 0:
        df[:known] = np.where(main_df[:known] > 0, main_df[:known], delta_df[:known])
    avgdl = main_avgdl if main_n > 0 and main_avgdl > 0 else float(lengths.mean()) or 1.0
    in_main = np.zeros(n_terms, np.bool_)
    if main_n > 0:
        in_main[:known] = main_df[:known] > 0
    term_idf = np.where(in_main, idf(np.maximum(df, 1), main_n), idf(np.maximum(df, 1), n_docs))
    denom = tf + K1 * (1.0 - B + B * lengths[rows] / avgdl)
    values = (term_idf[term_ids] * tf / denom).astype(np.float32)
    return _csc(rows, term_ids, values, n_rows, n_terms)


@dataclass
class MainSegment:
    ids: I64
    langs: NDArray[np.int8]
    term_flat: I32
    term_off: I64
    lexical: Lexical
    df: NDArray[np.int32]
    avgdl: float
    vectors: dict[str, F16]
    has: dict[str, BOOL]
    ann: dict[str, Any] = field(default_factory=dict)  # encoder -> usearch Index (keys = rows)
    name: str | None = None  # directory name once saved

    @property
    def n(self) -> int:
        return len(self.ids)

    def terms(self, row: int) -> I32:
        return self.term_flat[int(self.term_off[row]) : int(self.term_off[row + 1])]

    def lang(self, row: int) -> Language:
        return LANG_CODES[int(self.langs[row])]

    def vector(self, name: str, row: int) -> F16 | None:
        has = self.has.get(name)
        if has is None or not has[row]:
            return None
        return np.array(self.vectors[name][row], np.float16)

    @classmethod
    def empty(cls, dims: Mapping[str, int]) -> MainSegment:
        return cls(
            ids=np.zeros(0, np.int64),
            langs=np.zeros(0, np.int8),
            term_flat=np.zeros(0, np.int32),
            term_off=np.zeros(1, np.int64),
            lexical=Lexical.empty(0),
            df=np.zeros(0, np.int32),
            avgdl=0.0,
            vectors={name: np.zeros((0, dim), np.float16) for name, dim in dims.items()},
            has={name: np.zeros(0, np.bool_) for name in dims},
        )


def build_main(
    ids: I64,
    langs: NDArray[np.int8],
    terms: Sequence[I32],
    n_terms: int,
    vectors: Mapping[str, F16],
    has: Mapping[str, BOOL],
    *,
    ann_min_rows: int,
    ann_builder: Callable[[F16, BOOL], Any],
) -> MainSegment:
    lexical, df, avgdl = build_main_lexical(terms, n_terms)
    lengths = np.fromiter((len(t) for t in terms), np.int64, count=len(terms))
    term_off = np.zeros(len(terms) + 1, np.int64)
    np.cumsum(lengths, out=term_off[1:])
    term_flat = np.concatenate(terms).astype(np.int32) if terms else np.zeros(0, np.int32)
    ann: dict[str, Any] = {}
    if len(ids) >= ann_min_rows:
        for name, matrix in vectors.items():
            if has[name].any():
                ann[name] = ann_builder(matrix, has[name])
    return MainSegment(
        ids=ids,
        langs=langs,
        term_flat=term_flat,
        term_off=term_off,
        lexical=lexical,
        df=df,
        avgdl=avgdl,
        vectors=dict(vectors),
        has=dict(has),
        ann=ann,
    )


# ---- persistence -------------------------------------------------------------------------

_ARRAYS = ("ids", "langs", "term_flat", "term_off", "df")


def _save_array(path: Path, array: NDArray[Any]) -> None:
    with open(path, "wb") as handle:
        np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())


def save_main(segment: MainSegment, directory: Path) -> None:
    directory.mkdir(parents=True)
    for attr in _ARRAYS:
        _save_array(directory / f"{attr}.npy", getattr(segment, attr))
    _save_array(directory / "bm25_data.npy", segment.lexical.data)
    _save_array(directory / "bm25_indices.npy", segment.lexical.indices)
    _save_array(directory / "bm25_indptr.npy", segment.lexical.indptr)
    encoders = {}
    for name, matrix in segment.vectors.items():
        slug = _slug(name)
        _save_array(directory / f"vec_{slug}.npy", matrix)
        _save_array(directory / f"has_{slug}.npy", segment.has[name])
        encoders[name] = {"slug": slug, "dim": int(matrix.shape[1]), "ann": name in segment.ann}
        if name in segment.ann:
            segment.ann[name].save(str(directory / f"ann_{slug}.usearch"))
    meta = {"avgdl": segment.avgdl, "n": segment.n, "encoders": encoders}
    with open(directory / "segment.json", "w", encoding="utf-8") as handle:
        json.dump(meta, handle)
        handle.flush()
        os.fsync(handle.fileno())


def load_main(directory: Path, *, ann_loader: Callable[[Path], Any]) -> MainSegment:
    with open(directory / "segment.json", encoding="utf-8") as handle:
        meta = json.load(handle)

    def arr(name: str) -> Any:
        return np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    vectors: dict[str, F16] = {}
    has: dict[str, BOOL] = {}
    ann: dict[str, Any] = {}
    for name, info in meta["encoders"].items():
        slug = info["slug"]
        vectors[name] = arr(f"vec_{slug}")
        has[name] = np.array(arr(f"has_{slug}"), dtype=np.bool_)
        if info.get("ann"):
            ann[name] = ann_loader(directory / f"ann_{slug}.usearch")
    n = int(meta["n"])
    return MainSegment(
        ids=np.array(arr("ids"), dtype=np.int64),
        langs=np.array(arr("langs"), dtype=np.int8),
        term_flat=arr("term_flat"),
        term_off=np.array(arr("term_off"), dtype=np.int64),
        lexical=Lexical(arr("bm25_data"), arr("bm25_indices"), arr("bm25_indptr"), n),
        df=np.array(arr("df"), dtype=np.int32),
        avgdl=float(meta["avgdl"]),
        vectors=vectors,
        has=has,
        ann=ann,
        name=directory.name,
    )


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
