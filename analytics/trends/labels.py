"""Key terms of topics by class-based TF-IDF (c-TF-IDF, as in BERTopic).

All documents of a topic form one "class document"; a term's weight in a topic is its
frequency in the topic (relative to the topic's words) times log(1 + A / f), A being the
average number of words per topic and f the term's frequency over all topics: frequent in this
topic, rare in the others. Terms are words of three letters or more and two-word phrases,
lower-cased, Italian and English stop words (and words that every research text uses, such as
"project") removed; a term must occur in at least two documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import NDArray
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    ENGLISH_STOP_WORDS,
    CountVectorizer,
)

from analytics.retrieval.text import STOPWORDS
from analytics.trends.model import TopicTerm

# Words of project and proposal prose that say nothing about a topic.
_DOMAIN_STOP = frozenset(
    """
    project projects proposal propose proposed research researcher researchers aim aims aimed
    objective objectives main new novel will also based use used using develop developed
    developing development approach approaches work well within including include includes
    provide provides providing result results first one two three high key able way ways
    towards across make making made order different several various specific specifically
    potential current currently future need needs important activities activity overall
    level levels time years year european europe eu partners consortium addition furthermore
    moreover however thus therefore like may can could would must well particular study
    studies action actions programme phase help enable enables
    progetto progetti ricerca obiettivo obiettivi nuovo nuovi nuova nuove sviluppo attività
    anche essere può possono inoltre attraverso livello
    """.split()
)
STOP_WORDS = sorted(STOPWORDS["en"] | STOPWORDS["it"] | ENGLISH_STOP_WORDS | _DOMAIN_STOP)
# Words: three or more letters (no digits), so codes and numbers do not become labels.
_TOKEN = r"(?u)\b[^\W\d_]{3,}\b"
# The vocabulary is capped (the most frequent terms) to bound memory on large runs.
_MAX_FEATURES = 50_000


def topic_terms(
    texts: Sequence[str], labels: NDArray[np.int64], k: int, *, top: int
) -> list[list[TopicTerm]]:
    """The ``top`` terms of each topic 0..k-1 (documents labelled -1 count in no topic but
    still make a term common), best first."""
    if k == 0:
        return []
    vectorizer = CountVectorizer(
        token_pattern=_TOKEN,
        stop_words=STOP_WORDS,
        ngram_range=(1, 2),
        min_df=2,
        max_features=_MAX_FEATURES,
        dtype=np.float32,
    )
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # no term occurs twice: nothing to label with
        return [[] for _ in range(k)]
    vocabulary = vectorizer.get_feature_names_out()
    inside = labels >= 0
    rows = labels[inside]
    indicator = sp.csr_matrix(
        (np.ones(rows.size, np.float32), (rows, np.flatnonzero(inside))),
        shape=(k, len(texts)),
    )
    per_topic = (indicator @ counts).toarray().astype(np.float64)  # k x terms
    words = per_topic.sum(axis=1, keepdims=True)
    tf = per_topic / np.maximum(words, 1.0)
    frequency = np.asarray(counts.sum(axis=0)).ravel().astype(np.float64)
    average = float(words.mean())
    idf = np.log1p(average / np.maximum(frequency, 1.0))
    weights = tf * idf
    out: list[list[TopicTerm]] = []
    for tid in range(k):
        row = weights[tid]
        best = np.argsort(-row, kind="stable")[:top]
        out.append(
            [TopicTerm(term=str(vocabulary[j]), weight=float(row[j])) for j in best if row[j] > 0]
        )
    return out
