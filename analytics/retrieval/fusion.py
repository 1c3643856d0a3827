"""How the lexical and the semantic signals are mixed into one score.

Each signal's scores are divided by that signal's best score for the query (max
normalisation: 1.0 for its best document, 0 for no match), then mixed linearly with weights
that depend on the *pair of languages*: the query's and the document's. Where the languages
are the same, BM25 and the English model carry the ranking and the multilingual model adds a
little; where they differ, BM25 cannot match and the English model is weak, so the
multilingual model carries it. A document that lacks some signal (no vector yet for an
encoder) is scored on the signals it has: the weights are renormalised over them.

The shipped weights (DEFAULT_WEIGHTS) were tuned on SciFact's *train* queries (English) and on
the train half of the bundled Italian/English matchmaking set (bench/data/labs-it-en); see
docs/matchmaking.md for the figures. ``bench/retrieval.py tune`` reproduces the search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analytics.retrieval.text import Language

LEXICAL = "lexical"


def _freeze(weights: Mapping[str, float]) -> dict[str, float]:
    out = {}
    for name, value in weights.items():
        value = float(value)
        if not value >= 0.0:
            raise ValueError(f"fusion weight {name}={value!r}: expected a number >= 0")
        out[name] = value
    return out


@dataclass(frozen=True)
class FusionWeights:
    """Weights per (query language, document language); signal name -> weight.

    Signal names: "lexical" and the encoder names ("use-m3", "minilm-l6", ...). An encoder
    missing from a table gets ``multilingual_default`` or ``english_default`` (by the
    encoder's ``languages``) where the languages differ, and ``same_default`` where they match.
    """

    same: Mapping[Language, Mapping[str, float]]
    cross: Mapping[str, float]
    same_default: float = 0.5
    multilingual_default: float = 0.5
    english_default: float = 0.05
    _cache: dict[tuple[str, str, str], float] = field(default_factory=dict, compare=False)

    def weight(
        self, signal: str, query_lang: Language, doc_lang: Language, languages: str
    ) -> float:
        key = (signal, query_lang, doc_lang)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if query_lang == doc_lang:
            table = self.same.get(query_lang, {})
            value = table.get(signal, self.same_default)
        else:
            default = (
                self.multilingual_default if languages == "multilingual" else self.english_default
            )
            if signal == LEXICAL:
                default = 0.1
            value = self.cross.get(signal, default)
        self._cache[key] = value
        return value

    def to_json(self) -> dict[str, object]:
        return {
            "same": {lang: dict(table) for lang, table in self.same.items()},
            "cross": dict(self.cross),
            "same_default": self.same_default,
            "multilingual_default": self.multilingual_default,
            "english_default": self.english_default,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> FusionWeights:
        same_raw = data.get("same", {})
        cross_raw = data.get("cross", {})
        if not isinstance(same_raw, Mapping) or not isinstance(cross_raw, Mapping):
            raise ValueError("fusion weights: 'same' and 'cross' must be objects")
        same: dict[Language, dict[str, float]] = {}
        for lang, table in same_raw.items():
            if lang not in ("it", "en") or not isinstance(table, Mapping):
                raise ValueError(f"fusion weights: bad language table {lang!r}")
            same[lang] = _freeze(table)
        return cls(
            same=same,
            cross=_freeze(cross_raw),
            same_default=float(str(data.get("same_default", 0.5))),
            multilingual_default=float(str(data.get("multilingual_default", 0.5))),
            english_default=float(str(data.get("english_default", 0.05))),
        )


# Tuned on train queries only (bench/retrieval.py tune): "en" on 400 SciFact train queries
# (nDCG@10 0.7643; 0.5/0.5 gave 0.7625, any use-m3 weight lowered it); "it" and the
# cross-language table on the train half of bench/data/labs_it_en_queries.jsonl.
DEFAULT_WEIGHTS = FusionWeights(
    same={
        "en": {LEXICAL: 0.6, "minilm-l6": 0.4, "use-m3": 0.0},
        "it": {LEXICAL: 0.3, "minilm-l6": 0.2, "use-m3": 0.5},
    },
    cross={LEXICAL: 0.05, "minilm-l6": 0.25, "use-m3": 0.7},
)
