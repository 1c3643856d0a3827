"""Why a document matches a query: its best sentences, with the matching words marked.

Each field is cut into sentences (or list items); a sentence scores by the idf-weighted share
of the query's words it contains (stemmed as at indexing, either language) and, when an
encoder is already loaded in the process, by its cosine with the query. Nothing is loaded
here just to explain: without an encoder the explanation is lexical only. The first loaded
encoder of the index (the fast multilingual one) is used: it also matches across languages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from analytics.retrieval.text import (
    clean_query,
    detect_language,
    document_language,
    is_stopword,
    query_terms,
    sentences,
    stem,
    words,
)
from analytics.retrieval.types import Document, EncoderLike, Explanation, Passage, Signal

if TYPE_CHECKING:
    from analytics.retrieval.index import HybridIndex

MAX_PASSAGES = 3
MAX_SENTENCES = 30  # per document, for the cosine part
MAX_MATCHED_TERMS = 20
SEMANTIC_MIN = 0.3  # cosine from which a sentence is said to match by meaning
LEXICAL_SHARE = 0.5  # weight of word overlap vs cosine in a sentence's score


def _pick_encoder(index: HybridIndex) -> EncoderLike | None:
    """The first of the index's encoders already loaded (the fast, multilingual one first)."""
    loaded = index.loaded_encoders()
    for name in index.encoder_names:
        if name in loaded:
            return loaded[name]
    return None


def explain(index: HybridIndex, query: str, doc: Document) -> Explanation:
    text = clean_query(query)
    fields = {k: v for k, v in doc.fields.items() if isinstance(k, str) and isinstance(v, str)}
    if not text or not any(v.strip() for v in fields.values()):
        return Explanation((), (), "semantic")
    doc_lang = document_language(fields, index.default_language)
    qt = query_terms(text, other_languages=True, default=index.default_language)
    weights: dict[str, float] = {}
    for group in qt.variants:
        weight = max(index.term_idf(s) for s in group)
        for s in group:
            weights[s] = max(weights.get(s, 0.0), weight)
    # one weight per query word: the sum of its group's weight
    total = sum(max(weights[s] for s in group) for group in qt.variants) or 1.0

    items: list[tuple[str, int, str, float, tuple[tuple[int, int], ...]]] = []
    matched: list[str] = []
    for field, value in fields.items():
        lang = detect_language(value, doc_lang)
        for start, sentence in sentences(value):
            spans: list[tuple[int, int]] = []
            hit_groups: set[int] = set()
            for word in words(sentence):
                if is_stopword(word.text, lang):
                    continue
                s = stem(word.text, lang)
                for g, group in enumerate(qt.variants):
                    if s in group:
                        spans.append((word.start, word.end))
                        hit_groups.add(g)
                        if word.text not in matched:
                            matched.append(word.text)
                        break
            overlap = sum(max(weights[s] for s in qt.variants[g]) for g in hit_groups) / total
            items.append((field, start, sentence, overlap, tuple(spans)))

    cosines = np.zeros(len(items), np.float32)
    encoder = _pick_encoder(index)
    if encoder is not None and items:
        # the sentences that share words with the query first, then in document order
        order = sorted(range(len(items)), key=lambda i: (-items[i][3], i))[:MAX_SENTENCES]
        q = np.asarray(encoder.encode([text], kind="query"), np.float32).reshape(-1)
        if np.any(q):
            vectors = encoder.encode([items[i][2] for i in order], kind="passage")
            sims = np.asarray(vectors, np.float32) @ q
            for i, sim in zip(order, sims.tolist(), strict=True):
                cosines[i] = max(float(sim), 0.0)
    semantic_weight = 1.0 - LEXICAL_SHARE if encoder is not None else 0.0
    lexical_weight = 1.0 - semantic_weight
    scored = [
        (lexical_weight * item[3] + semantic_weight * float(cosines[i]), i)
        for i, item in enumerate(items)
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    passages = tuple(
        Passage(
            field=items[i][0],
            text=items[i][2],
            score=round(score, 4),
            highlights=items[i][4],
            start=items[i][1],
        )
        for score, i in scored[:MAX_PASSAGES]
        if score > 0.0
    )
    lexical = bool(matched)
    semantic = bool(cosines.size) and float(cosines.max()) >= SEMANTIC_MIN
    signal: Signal = "both" if lexical and semantic else "lexical" if lexical else "semantic"
    return Explanation(passages, tuple(matched[:MAX_MATCHED_TERMS]), signal)
