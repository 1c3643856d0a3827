"""Hybrid retrieval of organization profiles: BM25 (bm25s, Italian/English stemming) plus
sentence embeddings (analytics.embeddings), fused, persisted and updated incrementally.

No Django here. The design and the measured figures: docs/matchmaking.md, "Retrieval".
"""

from analytics.retrieval.fusion import DEFAULT_WEIGHTS, FusionWeights
from analytics.retrieval.index import DEFAULT_ENCODERS, HybridIndex
from analytics.retrieval.types import Document, EncoderLike, Explanation, Hit, Passage

__all__ = [
    "DEFAULT_ENCODERS",
    "DEFAULT_WEIGHTS",
    "Document",
    "EncoderLike",
    "Explanation",
    "FusionWeights",
    "Hit",
    "HybridIndex",
    "Passage",
]
