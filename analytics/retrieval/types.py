"""The value types of the retrieval API (see docs/matchmaking.md, "Retrieval")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

Signal = Literal["lexical", "semantic", "both"]
Mode = Literal["hybrid", "lexical", "dense"]
F32 = NDArray[np.float32]


class EncoderLike(Protocol):
    """What the index needs of an encoder (``analytics.embeddings.Encoder`` satisfies it)."""

    name: str
    dim: int
    languages: str  # "multilingual" or "en"

    def encode(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> F32: ...


@dataclass(frozen=True)
class Document:
    id: int
    fields: Mapping[str, str]  # field name -> text; explanations cite field names


@dataclass(frozen=True)
class Hit:
    id: int
    score: float  # fused score, higher is better
    lexical_rank: int | None  # 1-based rank in the lexical list, None if not retrieved there
    dense_rank: int | None  # 1-based rank in the semantic list, None if not retrieved there
    signal: Signal  # which signal carried it


@dataclass(frozen=True)
class Passage:
    field: str
    text: str  # a sentence (or list item) of that field
    score: float
    highlights: tuple[tuple[int, int], ...]  # character offsets in `text` of matching terms
    start: int = 0  # offset of `text` in the field's text


@dataclass(frozen=True)
class Explanation:
    passages: tuple[Passage, ...]  # best first, at most 3
    matched_terms: tuple[str, ...]
    signal: Signal
