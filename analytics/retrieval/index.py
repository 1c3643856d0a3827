"""HybridIndex: BM25 + sentence embeddings, fused; persisted, updated incrementally.

Rows: the main segment's rows come first (0 .. n_main-1), the delta's after them; see
segment.py for the storage and fusion.py for the scoring.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytics.retrieval import dense
from analytics.retrieval.fusion import DEFAULT_WEIGHTS, LEXICAL, FusionWeights
from analytics.retrieval.segment import (
    LANG_CODES,
    Entry,
    Lexical,
    MainSegment,
    build_delta_lexical,
    build_main,
    idf,
    load_main,
    save_main,
)
from analytics.retrieval.text import (
    Language,
    QueryTerms,
    clean_query,
    document_terms,
    query_terms,
)
from analytics.retrieval.types import Document, EncoderLike, Explanation, Hit, Mode, Signal

F32 = NDArray[np.float32]
F16 = NDArray[np.float16]
I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

try:  # the platform's encoders; absent only in a stripped-down install
    from analytics.embeddings import DEFAULT_ENCODERS as _DEFAULT_ENCODERS
except ImportError:  # pragma: no cover
    _DEFAULT_ENCODERS = ("use-m3", "minilm-l6")

DEFAULT_ENCODERS: tuple[str, ...] = tuple(_DEFAULT_ENCODERS)

FORMAT = 1
CURRENT = "CURRENT"
KEEP_VERSIONS = 3  # readers that just read CURRENT can still open the previous versions
# Exact dense search is fast enough up to this many documents (measured: bench/retrieval.py
# speed, docs/matchmaking.md: 100,000 profiles, p95 34 ms a query with both query encoders);
# past it the main segment gets an HNSW index per encoder.
ANN_MIN_DOCS = 150_000
CANDIDATES = 100  # per signal, before fusion
MAX_K = 1000
ENCODE_BATCH = 256
# a hit is said to be carried by a signal when it ranks this high in that signal's list
SUPPORT_RANK = 10


def _doc_text(doc: Document) -> str:
    return "\n".join(v.strip() for v in doc.fields.values() if isinstance(v, str) and v.strip())


@dataclass
class _Delta:
    """The delta's rows compiled for search (rebuilt after each change, lazily)."""

    ids: I64
    langs: NDArray[np.int8]
    lexical: Lexical
    vectors: dict[str, F32]
    has: dict[str, BOOL]


@dataclass
class _Query:
    lang: Language | None
    groups: list[list[int]]  # per word: term ids of its variants
    vectors: dict[str, F32]  # encoder -> query vector (only encoders that will be used)


class HybridIndex:
    """Searchable index of documents; see docs/matchmaking.md ("Retrieval").

    ``encoders``: names (resolved with ``analytics.embeddings.get_encoder`` when first
    needed) or encoder objects. Mutations (upsert, remove, set_vectors, save) must not run
    concurrently with anything else on the same object; searches may run concurrently with
    each other. Other processes read the index with ``load`` and re-load when
    ``disk_version`` changes.
    """

    def __init__(
        self,
        encoders: Sequence[str | EncoderLike] = DEFAULT_ENCODERS,
        *,
        weights: FusionWeights = DEFAULT_WEIGHTS,
        default_language: Language = "en",
        ann_min_docs: int = ANN_MIN_DOCS,
        ann_params: dense.AnnParams | None = None,
        merge_min: int = 2000,
        merge_share: float = 0.05,
        candidates: int = CANDIDATES,
        threads: int = 2,
    ) -> None:
        self._encoder_names: list[str] = []
        self._encoders: dict[str, EncoderLike] = {}
        for item in encoders:
            name = item if isinstance(item, str) else item.name
            if name in self._encoder_names:
                raise ValueError(f"encoder {name!r} listed twice")
            self._encoder_names.append(name)
            if not isinstance(item, str):
                self._encoders[name] = item
        self.weights = weights
        self.default_language: Language = default_language
        self.ann_min_docs = ann_min_docs
        self.ann_params = ann_params or dense.AnnParams()
        self.merge_min = merge_min
        self.merge_share = merge_share
        self.candidates = candidates
        self.threads = threads
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._dims: dict[str, int] = {}
        self._languages: dict[str, str] = {}
        self._main = MainSegment.empty({})
        self._alive: BOOL = np.zeros(0, np.bool_)
        self._main_rows: dict[int, int] = {}
        self._delta: dict[int, Entry] = {}
        self._compiled: _Delta | None = None
        self._lock = threading.RLock()
        self._version: str | None = None
        for name, encoder in self._encoders.items():
            self._dims[name] = int(encoder.dim)
            self._languages[name] = str(encoder.languages)

    # ---- basic facts ---------------------------------------------------------------------

    @property
    def encoder_names(self) -> tuple[str, ...]:
        return tuple(self._encoder_names)

    @property
    def version(self) -> str | None:
        """The on-disk version this object was loaded from or last saved as."""
        return self._version

    def __len__(self) -> int:
        return int(self._alive.sum()) + len(self._delta)

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, int | np.integer) or isinstance(doc_id, bool):
            return False
        key = int(doc_id)
        if key in self._delta:
            return True
        row = self._main_rows.get(key)
        return row is not None and bool(self._alive[row])

    def ids(self) -> list[int]:
        """Ids of all indexed documents."""
        main = self._main.ids[self._alive].tolist()
        return sorted(main + list(self._delta))

    def missing_vectors(self, encoder: str) -> list[int]:
        """Ids of documents that have no vector for ``encoder`` (to fill in the background)."""
        self._check_encoder(encoder)
        has = self._main.has.get(encoder)
        lacking = self._alive if has is None else self._alive & ~has
        main = self._main.ids[lacking]
        delta = [i for i, e in self._delta.items() if e.vectors.get(encoder) is None]
        return sorted(main.tolist() + delta)

    def encoder(self, name: str) -> EncoderLike:
        """The encoder object called ``name`` (loaded on first use)."""
        self._check_encoder(name)
        found = self._encoders.get(name)
        if found is None:
            from analytics.embeddings import get_encoder

            found = get_encoder(name)
            self._encoders[name] = found
            self._languages[name] = str(found.languages)
            if name in self._dims and self._dims[name] != int(found.dim):
                raise ValueError(
                    f"encoder {name!r} gives {found.dim}-dimensional vectors,"
                    f" the index holds {self._dims[name]}-dimensional ones"
                )
        return found

    def loaded_encoders(self) -> dict[str, EncoderLike]:
        return dict(self._encoders)

    def _check_encoder(self, name: str) -> None:
        if name not in self._encoder_names:
            raise KeyError(f"encoder {name!r} is not one of this index's: {self._encoder_names}")

    # ---- writing ---------------------------------------------------------------------------

    def _term_ids(self, terms: Sequence[str]) -> I32:
        vocab = self._vocab
        out = np.empty(len(terms), np.int32)
        for i, term in enumerate(terms):
            tid = vocab.get(term)
            if tid is None:
                tid = len(self._terms)
                vocab[term] = tid
                self._terms.append(term)
            out[i] = tid
        return out

    def upsert(
        self,
        docs: Sequence[Document],
        *,
        vectors: Mapping[str, F32] | None = None,
        progress: Callable[[int, int], None] | None = None,
        encode: Collection[str] | None = None,
        merge: bool = True,
    ) -> dict[str, F32]:
        """Add or replace documents; returns the vectors used, per encoder, aligned with docs.

        ``vectors`` (encoder name -> (len(docs), dim) rows) are taken as they are; the
        encoders in ``encode`` (default: all of the index's) compute what is missing. A
        document left without a vector for some encoder is still found by the others.
        ``merge=False`` leaves the delta unmerged however big it grows (a full rebuild feeds
        chunks that way, then calls ``merge()`` once).
        """
        docs = list(docs)
        seen: set[int] = set()
        for pos, doc in enumerate(docs):
            if not isinstance(doc, Document):
                raise TypeError(f"docs[{pos}]: expected a Document, got {type(doc).__name__}")
            if not isinstance(doc.id, int) or isinstance(doc.id, bool):
                raise ValueError(f"docs[{pos}]: id {doc.id!r} is not an integer")
            if doc.id in seen:
                raise ValueError(f"docs[{pos}]: id {doc.id} appears twice in one upsert")
            seen.add(doc.id)
        given = self._check_vectors(vectors or {}, len(docs))
        to_encode = [
            name
            for name in (self._encoder_names if encode is None else list(encode))
            if name not in given
        ]
        for name in to_encode:
            self._check_encoder(name)
        used: dict[str, list[F32]] = {name: [] for name in (*given, *to_encode)}
        total = len(docs)
        with self._lock:
            for start in range(0, total, ENCODE_BATCH):
                chunk = docs[start : start + ENCODE_BATCH]
                computed: dict[str, F32] = {}
                texts = [_doc_text(d) for d in chunk]
                for name in to_encode:
                    rows = self.encoder(name).encode(texts, kind="passage")
                    computed[name] = self._as_rows(name, rows, len(chunk))
                for offset, doc in enumerate(chunk):
                    fields = {k: v for k, v in doc.fields.items() if isinstance(v, str)}
                    terms, lang = document_terms(fields, self.default_language)
                    doc_vectors: dict[str, F16 | None] = {}
                    for name, matrix in given.items():
                        doc_vectors[name] = _nonzero(matrix[start + offset])
                    for name, matrix in computed.items():
                        doc_vectors[name] = _nonzero(matrix[offset])
                    self._put(doc.id, Entry(self._term_ids(terms), lang, doc_vectors))
                for name, matrix in given.items():
                    used[name].append(matrix[start : start + len(chunk)])
                for name, matrix in computed.items():
                    used[name].append(matrix)
                if progress is not None:
                    progress(min(start + len(chunk), total), total)
            self._compiled = None
            if merge:
                self._maybe_merge()
        return {
            name: (
                np.concatenate(parts)
                if parts
                else np.zeros((0, self._dims.get(name, 0)), np.float32)
            )
            for name, parts in used.items()
        }

    def _check_vectors(self, vectors: Mapping[str, F32], n: int) -> dict[str, F32]:
        out: dict[str, F32] = {}
        for name, matrix in vectors.items():
            self._check_encoder(name)
            out[name] = self._as_rows(name, matrix, n)
        return out

    def _as_rows(self, name: str, matrix: Any, n: int) -> F32:
        rows = np.asarray(matrix, dtype=np.float32)
        if rows.ndim != 2 or rows.shape[0] != n:
            raise ValueError(
                f"vectors[{name!r}]: expected {n} rows, got an array of shape {rows.shape}"
            )
        dim = self._dims.setdefault(name, int(rows.shape[1]))
        if rows.shape[1] != dim:
            raise ValueError(f"vectors[{name!r}]: expected {dim} columns, got {rows.shape[1]}")
        if not np.isfinite(rows).all():
            raise ValueError(f"vectors[{name!r}]: contains NaN or infinite values")
        return rows

    def _put(self, doc_id: int, entry: Entry) -> None:
        row = self._main_rows.get(doc_id)
        if row is not None:
            self._alive[row] = False
        self._delta[doc_id] = entry

    def remove(self, ids: Collection[int]) -> None:
        """Forget these documents (unknown ids are ignored)."""
        with self._lock:
            for raw in ids:
                if not isinstance(raw, int | np.integer) or isinstance(raw, bool):
                    continue
                doc_id = int(raw)
                if self._delta.pop(doc_id, None) is not None:
                    self._compiled = None
                row = self._main_rows.get(doc_id)
                if row is not None:
                    self._alive[row] = False
            self._maybe_merge()

    def set_vectors(self, encoder: str, ids: Sequence[int], vectors: F32) -> None:
        """Attach (or replace) ``encoder``'s vectors of already indexed documents.

        For the background job that computes the slower encoder after the fast one made the
        documents searchable. Unknown ids are skipped.
        """
        self._check_encoder(encoder)
        rows = self._as_rows(encoder, vectors, len(ids))
        with self._lock:
            for doc_id, vector in zip(ids, rows, strict=True):
                doc_id = int(doc_id)
                entry = self._delta.get(doc_id)
                if entry is None:
                    row = self._main_rows.get(doc_id)
                    if row is None or not self._alive[row]:
                        continue
                    entry = Entry(
                        np.array(self._main.terms(row), np.int32),
                        self._main.lang(row),
                        {name: self._main.vector(name, row) for name in self._main.vectors},
                    )
                    self._alive[row] = False
                    self._delta[doc_id] = entry
                entry.vectors[encoder] = _nonzero(vector)
            self._compiled = None
            self._maybe_merge()

    def _maybe_merge(self) -> None:
        n_main = self._main.n
        live = int(self._alive.sum())
        if len(self._delta) > max(self.merge_min, self.merge_share * live) or (
            n_main - live > max(self.merge_min, 0.2 * n_main)
        ):
            self.merge()

    def merge(self) -> None:
        """Fold the delta and the masked rows into a new main segment (no re-encoding)."""
        with self._lock:
            main, alive = self._main, self._alive
            keep = np.flatnonzero(alive)
            delta_ids = list(self._delta)
            ids = np.concatenate([main.ids[keep], np.asarray(delta_ids, np.int64)])
            langs = np.concatenate(
                [
                    main.langs[keep],
                    np.asarray([LANG_CODES.index(self._delta[i].lang) for i in delta_ids], np.int8),
                ]
            ).astype(np.int8)
            terms = [main.terms(int(r)) for r in keep] + [self._delta[i].terms for i in delta_ids]
            vectors: dict[str, F16] = {}
            has: dict[str, BOOL] = {}
            for name in self._encoder_names:
                dim = self._dims.get(name)
                if dim is None:
                    continue
                matrix = np.zeros((len(ids), dim), np.float16)
                present = np.zeros(len(ids), np.bool_)
                if name in main.vectors and len(keep):
                    matrix[: len(keep)] = main.vectors[name][keep]
                    present[: len(keep)] = main.has[name][keep]
                for j, doc_id in enumerate(delta_ids, start=len(keep)):
                    vector = self._delta[doc_id].vectors.get(name)
                    if vector is not None:
                        matrix[j] = vector
                        present[j] = True
                vectors[name] = matrix
                has[name] = present
            self._main = build_main(
                ids,
                langs,
                terms,
                len(self._terms),
                vectors,
                has,
                ann_min_rows=self.ann_min_docs,
                ann_builder=lambda m, h: dense.build_ann(m, h, self.ann_params, self.threads),
            )
            self._alive = np.ones(len(ids), np.bool_)
            self._main_rows = {int(d): r for r, d in enumerate(ids.tolist())}
            self._delta = {}
            self._compiled = None

    # ---- reading ---------------------------------------------------------------------------

    def _compiled_delta(self) -> _Delta:
        compiled = self._compiled
        if compiled is not None:
            return compiled
        with self._lock:
            entries = list(self._delta.items())
            ids = np.asarray([i for i, _ in entries], np.int64)
            langs = np.asarray([LANG_CODES.index(e.lang) for _, e in entries], np.int8)
            lexical = build_delta_lexical(
                [e.terms for _, e in entries],
                len(self._terms),
                self._main.df,
                self._main.n,
                self._main.avgdl,
            )
            vectors: dict[str, F32] = {}
            has: dict[str, BOOL] = {}
            for name, dim in self._dims.items():
                matrix = np.zeros((len(entries), dim), np.float32)
                present = np.zeros(len(entries), np.bool_)
                for j, (_, entry) in enumerate(entries):
                    vector = entry.vectors.get(name)
                    if vector is not None:
                        matrix[j] = vector
                        present[j] = True
                vectors[name] = matrix
                has[name] = present
            compiled = _Delta(ids, langs, lexical, vectors, has)
            self._compiled = compiled
            return compiled

    def _langs_present(self) -> set[Language]:
        present: set[Language] = set()
        counts = np.bincount(self._main.langs[self._alive], minlength=len(LANG_CODES))
        present.update(LANG_CODES[c] for c in range(len(LANG_CODES)) if counts[c])
        present.update(e.lang for e in self._delta.values())
        return present

    def _weight(self, signal: str, qlang: Language | None, dlang: Language) -> float:
        languages = self._languages.get(signal, "multilingual")
        return self.weights.weight(signal, qlang or dlang, dlang, languages)

    def _prepare_query(self, text: str, mode: Mode) -> _Query:
        langs = self._langs_present()
        qt: QueryTerms = query_terms(
            text, other_languages=len(langs) > 1, default=self.default_language
        )
        groups: list[list[int]] = []
        if mode != "dense":
            for variants in qt.variants:
                ids = [self._vocab[s] for s in variants if s in self._vocab]
                if ids:
                    groups.append(ids)
        vectors: dict[str, F32] = {}
        if mode != "lexical":
            usable = [n for n in self._encoder_names if self._has_any_vector(n)]
            # an encoder whose weight is 0 for every language pair at hand is not run at all
            # (in dense mode, unless every encoder is weighted 0: then all count equally)
            weighted = [n for n in usable if self._max_weight(n, qt.lang, langs) > 0.0]
            if mode == "dense" and not weighted:
                weighted = usable
            for name in weighted:
                vector = self.encoder(name).encode([text], kind="query")
                q = np.asarray(vector, np.float32).reshape(-1)
                if q.shape[0] == self._dims.get(name) and float(np.abs(q).sum()) > 0.0:
                    vectors[name] = q
        return _Query(qt.lang, groups, vectors)

    def _max_weight(self, name: str, qlang: Language | None, langs: set[Language]) -> float:
        if name not in self._languages:
            self.encoder(name)  # learn its languages
        return max((self._weight(name, qlang, d) for d in langs), default=0.0)

    def _has_any_vector(self, name: str) -> bool:
        has = self._main.has.get(name)
        if has is not None and bool((has & self._alive).any()):
            return True
        return any(e.vectors.get(name) is not None for e in self._delta.values())

    def search(
        self,
        query: str,
        *,
        k: int = 20,
        allowed: Collection[int] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Hit]:
        """The best ``k`` documents for ``query``; [] for an empty or meaningless query."""
        text = clean_query(query)
        if mode not in ("hybrid", "lexical", "dense"):
            raise ValueError(f"mode {mode!r}: expected 'hybrid', 'lexical' or 'dense'")
        if not text or not isinstance(k, int) or k <= 0 or len(self) == 0:
            return []
        prepared = self._prepare_query(text, mode)
        return self._rank(prepared, k=min(k, MAX_K), allowed=allowed, mode=mode, exclude=None)

    def similar(
        self, doc_id: int, *, k: int = 10, allowed: Collection[int] | None = None
    ) -> list[Hit]:
        """Documents most like an indexed one (itself excluded); [] if it is not indexed."""
        if doc_id not in self or not isinstance(k, int) or k <= 0:
            return []
        doc_id = int(doc_id)
        entry = self._delta.get(doc_id)
        if entry is not None:
            terms, lang = entry.terms, entry.lang
            vectors: dict[str, F16 | None] = dict(entry.vectors)
        else:
            row = self._main_rows[doc_id]
            terms, lang = self._main.terms(row), self._main.lang(row)
            vectors = {name: self._main.vector(name, row) for name in self._main.vectors}
        groups: list[list[int]] = []
        if len(terms):
            uniq, counts = np.unique(np.asarray(terms), return_counts=True)
            df = np.zeros(len(uniq), np.int64)
            known = uniq < len(self._main.df)
            df[known] = self._main.df[uniq[known]]
            weight = counts * idf(np.maximum(df, 1), max(self._main.n, 1))
            top = uniq[np.argsort(-weight, kind="stable")[:32]]
            groups = [[int(t)] for t in top]
        query_vectors = {n: v.astype(np.float32) for n, v in vectors.items() if v is not None}
        query = _Query(lang, groups, query_vectors)
        return self._rank(query, k=min(k, MAX_K), allowed=allowed, mode="hybrid", exclude=doc_id)

    def _eligible(
        self, allowed: Collection[int] | None, exclude: int | None
    ) -> tuple[BOOL, BOOL, _Delta]:
        delta = self._compiled_delta()
        main_ok = self._alive.copy()
        delta_ok = np.ones(len(delta.ids), np.bool_)
        if allowed is not None:
            wanted = np.fromiter(
                (
                    int(a)
                    for a in allowed
                    if isinstance(a, int | np.integer) and not isinstance(a, bool)
                ),
                np.int64,
            )
            main_ok &= np.isin(self._main.ids, wanted)
            delta_ok &= np.isin(delta.ids, wanted)
        if exclude is not None:
            row = self._main_rows.get(exclude)
            if row is not None:
                main_ok[row] = False
            delta_ok &= delta.ids != exclude
        return main_ok, delta_ok, delta

    def _rank(
        self,
        query: _Query,
        *,
        k: int,
        allowed: Collection[int] | None,
        mode: Mode,
        exclude: int | None,
    ) -> list[Hit]:
        main = self._main
        main_ok, delta_ok, delta = self._eligible(allowed, exclude)
        n_main = main.n
        eligible = np.concatenate([main_ok, delta_ok])
        if not eligible.any():
            return []
        n_cand = max(self.candidates, k)
        doc_langs = np.concatenate([main.langs, delta.langs])

        # lexical list
        lexical: F32 | None = None
        lex_rows: I64 = np.zeros(0, np.int64)
        if mode != "dense" and query.groups:
            lexical = np.concatenate(
                [main.lexical.scores(query.groups), delta.lexical.scores(query.groups)]
            )
            lexical[~eligible] = 0.0
            positive = np.flatnonzero(lexical > 0)
            if len(positive) > n_cand:
                part = np.argpartition(-lexical[positive], n_cand - 1)[:n_cand]
                positive = positive[part]
            lex_rows = positive[np.lexsort((positive, -lexical[positive]))]
            if len(lex_rows) == 0:
                lexical = None

        # semantic lists, one per encoder
        dense_lists: dict[str, tuple[I64, F32]] = {}
        for name, q in query.vectors.items():
            parts_rows: list[I64] = []
            parts_scores: list[F32] = []
            if name in main.vectors and n_main:
                rows, scores = dense.top_rows(
                    main.vectors[name],
                    q,
                    main_ok & main.has[name],
                    n_cand,
                    ann=main.ann.get(name),
                    threads=self.threads,
                )
                parts_rows.append(rows)
                parts_scores.append(scores)
            if len(delta.ids) and name in delta.vectors:
                ok = np.flatnonzero(delta_ok & delta.has[name])
                if len(ok):
                    scores = delta.vectors[name][ok] @ q
                    parts_rows.append(ok.astype(np.int64) + n_main)
                    parts_scores.append(scores.astype(np.float32))
            if parts_rows:
                rows = np.concatenate(parts_rows)
                scores = np.concatenate(parts_scores)
                order = np.lexsort((rows, -scores))[:n_cand]
                if len(order) and float(scores[order[0]]) > 0.0:
                    dense_lists[name] = (rows[order], scores[order])

        candidates = np.unique(
            np.concatenate([lex_rows, *[rows for rows, _ in dense_lists.values()]])
        )
        if len(candidates) == 0:
            return []
        cand_langs = [LANG_CODES[int(c)] for c in doc_langs[candidates]]

        num = np.zeros(len(candidates), np.float64)
        den = np.zeros(len(candidates), np.float64)
        dense_num = np.zeros(len(candidates), np.float64)
        dense_den = np.zeros(len(candidates), np.float64)
        lex_part = np.zeros(len(candidates), np.float64)

        if lexical is not None:
            top = float(lexical[lex_rows[0]])
            norm = lexical[candidates].astype(np.float64) / top
            w = np.asarray([self._weight(LEXICAL, query.lang, d) for d in cand_langs])
            if mode == "lexical":
                w = np.ones(len(candidates))
            lex_part = w * norm
            num += lex_part
            den += w
        equal_dense = mode == "dense" and all(
            self._max_weight(n, query.lang, set(cand_langs)) <= 0.0 for n in dense_lists
        )
        for name, (_rows, scores) in dense_lists.items():
            top = float(scores[0])
            q = query.vectors[name]
            cos = np.zeros(len(candidates), np.float64)
            avail = np.zeros(len(candidates), np.bool_)
            in_main = candidates < n_main
            main_c = candidates[in_main]
            if len(main_c):
                cos[in_main] = dense.cosines(main.vectors[name], main_c, q)
                avail[in_main] = main.has[name][main_c]
            delta_c = candidates[~in_main] - n_main
            if len(delta_c):
                cos[~in_main] = dense.cosines(delta.vectors[name], delta_c, q)
                avail[~in_main] = delta.has[name][delta_c]
            top = max(top, float(cos.max()))
            norm = np.clip(cos, 0.0, None) / top
            if equal_dense:
                w = avail.astype(np.float64)
            else:
                w = np.asarray([self._weight(name, query.lang, d) for d in cand_langs]) * avail
            dense_num += w * norm
            dense_den += w
        if mode != "lexical":
            num += dense_num
            den += dense_den
        with np.errstate(divide="ignore", invalid="ignore"):
            fused = np.where(den > 0, num / np.maximum(den, 1e-12), 0.0)
            dense_score = np.where(dense_den > 0, dense_num / np.maximum(dense_den, 1e-12), 0.0)

        keep = fused > 0
        if not keep.any():
            return []
        order = np.lexsort((candidates, -fused))
        order = order[keep[order]][:k]

        lex_rank = {int(r): i + 1 for i, r in enumerate(lex_rows.tolist())}
        dense_rank: dict[int, int] = {}
        if dense_lists:
            in_dense = np.zeros(len(candidates), np.bool_)
            for rows, _ in dense_lists.values():
                in_dense |= np.isin(candidates, rows)
            dense_order = np.lexsort((candidates, -dense_score))
            dense_order = dense_order[in_dense[dense_order] & (dense_score[dense_order] > 0)]
            dense_rank = {int(candidates[j]): i + 1 for i, j in enumerate(dense_order.tolist())}

        all_ids = np.concatenate([main.ids, delta.ids])
        support = max(SUPPORT_RANK, k)
        hits: list[Hit] = []
        for j in order.tolist():
            row = int(candidates[j])
            lr = lex_rank.get(row) if mode != "dense" else None
            dr = dense_rank.get(row) if mode != "lexical" else None
            signal: Signal
            if mode == "lexical":
                signal = "lexical"
            elif mode == "dense":
                signal = "semantic"
            else:
                lex_ok = lr is not None and lr <= support
                den_ok = dr is not None and dr <= support
                if lex_ok and den_ok:
                    signal = "both"
                elif lex_ok:
                    signal = "lexical"
                elif den_ok:
                    signal = "semantic"
                else:
                    signal = "lexical" if lex_part[j] >= dense_num[j] else "semantic"
            hits.append(Hit(int(all_ids[row]), float(fused[j]), lr, dr, signal))
        return hits

    # ---- explanations -------------------------------------------------------------------

    def explain(self, query: str, doc: Document) -> Explanation:
        """Which sentences of ``doc`` match ``query`` and why (see explain.py)."""
        from analytics.retrieval.explain import explain

        return explain(self, query, doc)

    def term_idf(self, term: str) -> float:
        """idf of a stemmed term in this index (unknown terms count as rare)."""
        n = max(self._main.n + len(self._delta), 1)
        tid = self._vocab.get(term)
        df = int(self._main.df[tid]) if tid is not None and tid < len(self._main.df) else 0
        return float(idf(np.asarray([max(df, 1)]), n)[0])

    # ---- persistence --------------------------------------------------------------------

    @staticmethod
    def disk_version(directory: Path) -> str | None:
        """The version saved in ``directory`` (cheap: reads one small file), None if none."""
        try:
            text = (Path(directory) / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return text or None

    def save(self, directory: Path) -> str:
        """Write the index as a new version of ``directory`` and make it current (atomic).

        Only what changed is written: the main segment's files are shared by the versions that
        use it. Returns the new version's name.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock, _exclusive(directory / ".lock"):
            main = self._main
            if main.name is None or not (directory / main.name / "segment.json").is_file():
                name = f"seg-{time.time_ns():020d}-{secrets.token_hex(4)}"
                tmp = directory / f".tmp-{name}"
                save_main(main, tmp)
                _fsync_dir(tmp)
                os.rename(tmp, directory / name)
                main.name = name
            version = f"v-{time.time_ns():020d}-{secrets.token_hex(4)}"
            tmp = directory / f".tmp-{version}"
            tmp.mkdir()
            self._save_version(tmp, main.name)
            _fsync_dir(tmp)
            os.rename(tmp, directory / version)
            pointer = directory / f".tmp-{CURRENT}-{secrets.token_hex(4)}"
            with open(pointer, "w", encoding="utf-8") as handle:
                handle.write(version + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(pointer, directory / CURRENT)
            _fsync_dir(directory)
            self._version = version
            _collect_garbage(directory)
            return version

    def _save_version(self, target: Path, segment: str) -> None:
        entries = list(self._delta.items())
        arrays: dict[str, NDArray[Any]] = {
            "alive": self._alive,
            "delta_ids": np.asarray([i for i, _ in entries], np.int64),
            "delta_langs": np.asarray([LANG_CODES.index(e.lang) for _, e in entries], np.int8),
        }
        lengths = np.asarray([len(e.terms) for _, e in entries], np.int64)
        offsets = np.zeros(len(entries) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        arrays["delta_term_off"] = offsets
        arrays["delta_term_flat"] = (
            np.concatenate([e.terms for _, e in entries]).astype(np.int32)
            if entries
            else np.zeros(0, np.int32)
        )
        for j, name in enumerate(self._dims):
            matrix = np.zeros((len(entries), self._dims[name]), np.float16)
            present = np.zeros(len(entries), np.bool_)
            for r, (_, entry) in enumerate(entries):
                vector = entry.vectors.get(name)
                if vector is not None:
                    matrix[r] = vector
                    present[r] = True
            arrays[f"delta_vec_{j}"] = matrix
            arrays[f"delta_has_{j}"] = present
        with open(target / "delta.npz", "wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        manifest = {
            "format": FORMAT,
            "segment": segment,
            "encoders": self._encoder_names,
            "dims": self._dims,
            "languages": self._languages,
            "delta_encoders": list(self._dims),
            "weights": self.weights.to_json(),
            "default_language": self.default_language,
            "ann_min_docs": self.ann_min_docs,
            "ann_params": vars(self.ann_params),
            "merge_min": self.merge_min,
            "merge_share": self.merge_share,
            "candidates": self.candidates,
            "n_docs": len(self),
        }
        for file, payload in (("manifest.json", manifest), ("vocab.json", self._terms)):
            with open(target / file, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())

    @classmethod
    def load(
        cls,
        directory: Path,
        *,
        encoders: Sequence[EncoderLike] = (),
        threads: int = 2,
    ) -> HybridIndex:
        """The current version saved in ``directory``.

        ``encoders``: objects to use for some of the saved encoder names (by ``name``);
        the others are resolved with ``analytics.embeddings.get_encoder`` when needed.
        FileNotFoundError if the directory holds no index.
        """
        directory = Path(directory)
        for attempt in range(5):
            version = cls.disk_version(directory)
            if version is None:
                raise FileNotFoundError(f"{directory}: no saved index (no {CURRENT} file)")
            try:
                return cls._load_version(directory, version, encoders, threads)
            except FileNotFoundError:
                # a writer collected this version between our read of CURRENT and now
                if attempt == 4 or cls.disk_version(directory) == version:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _load_version(
        cls,
        directory: Path,
        version: str,
        encoders: Sequence[EncoderLike],
        threads: int,
    ) -> HybridIndex:
        folder = directory / version
        with open(folder / "manifest.json", encoding="utf-8") as handle:
            manifest = json.load(handle)
        if manifest.get("format") != FORMAT:
            raise ValueError(
                f"{folder}: index format {manifest.get('format')!r}, expected {FORMAT}"
            )
        with open(folder / "vocab.json", encoding="utf-8") as handle:
            terms: list[str] = json.load(handle)
        by_name = {e.name: e for e in encoders}
        chosen: list[str | EncoderLike] = [by_name.get(n, n) for n in manifest["encoders"]]
        params = dense.AnnParams(**manifest["ann_params"])
        index = cls(
            chosen,
            weights=FusionWeights.from_json(manifest["weights"]),
            default_language=manifest["default_language"],
            ann_min_docs=int(manifest["ann_min_docs"]),
            ann_params=params,
            merge_min=int(manifest["merge_min"]),
            merge_share=float(manifest["merge_share"]),
            candidates=int(manifest["candidates"]),
            threads=threads,
        )
        for name, dim in manifest["dims"].items():
            if index._dims.setdefault(name, int(dim)) != int(dim):
                raise ValueError(
                    f"encoder {name!r} gives {index._dims[name]}-dimensional vectors,"
                    f" the saved index holds {dim}-dimensional ones"
                )
        for name, languages in manifest["languages"].items():
            index._languages.setdefault(name, languages)
        index._terms = terms
        index._vocab = {t: i for i, t in enumerate(terms)}
        index._main = load_main(
            directory / manifest["segment"],
            ann_loader=lambda p: dense.load_ann(p, params.expansion_search),
        )
        with np.load(folder / "delta.npz", allow_pickle=False) as data:
            index._alive = np.array(data["alive"], np.bool_)
            delta_ids = data["delta_ids"].tolist()
            langs = data["delta_langs"].tolist()
            off = data["delta_term_off"]
            flat = data["delta_term_flat"]
            vecs = {
                name: (data[f"delta_vec_{j}"], data[f"delta_has_{j}"])
                for j, name in enumerate(manifest["delta_encoders"])
            }
            for r, doc_id in enumerate(delta_ids):
                vectors: dict[str, F16 | None] = {
                    name: (np.array(m[r], np.float16) if h[r] else None)
                    for name, (m, h) in vecs.items()
                }
                index._delta[int(doc_id)] = Entry(
                    np.array(flat[off[r] : off[r + 1]], np.int32), LANG_CODES[langs[r]], vectors
                )
        index._main_rows = {int(d): r for r, d in enumerate(index._main.ids.tolist())}
        index._version = version
        return index


def _nonzero(vector: NDArray[Any]) -> F16 | None:
    """A vector as stored (float16), or None for the zero row an encoder gives an empty text."""
    if not np.any(vector):
        return None
    out: F16 = np.array(vector, np.float16)
    return out


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _collect_garbage(directory: Path) -> None:
    """Keep the newest versions (readers may still be opening them) and their segments."""
    versions = sorted(p.name for p in directory.iterdir() if p.name.startswith("v-") and p.is_dir())
    keep = versions[-KEEP_VERSIONS:]
    used: set[str] = set()
    for name in keep:
        with contextlib.suppress(OSError, ValueError, KeyError):
            manifest = json.loads((directory / name / "manifest.json").read_text(encoding="utf-8"))
            used.add(str(manifest["segment"]))
    for name in versions[:-KEEP_VERSIONS]:
        shutil.rmtree(directory / name, ignore_errors=True)
    now = time.time()
    for path in directory.iterdir():
        if path.name.startswith("seg-") and path.name not in used:
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(".tmp-"):
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > 3600:
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink()
