"""Inputs and outputs of trend detection: documents, parameters, topics, results."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from analytics.trends.growth import Growth

Period = Literal["year", "quarter"]
PERIODS: tuple[Period, ...] = get_args(Period)


@dataclass(frozen=True)
class TrendDocument:
    """One dated text.

    key: the caller's id, given back in the topics' evidence (e.g. "contribution:12").
    text: what is embedded and labelled (for a project: title, then objective); cut at
    ``TrendParams.max_chars`` before embedding.
    date: when it was raised (a contribution's creation, a project's start date).
    groups: what it is counted under besides the periods (e.g. cluster codes); may be empty.
    members: who raised it (e.g. "organization:7"), counted per topic; may be empty.
    weight: how much it counts (1.0; e.g. more for a contribution that absorbed merged ones).
    """

    key: str
    text: str
    date: datetime.date
    groups: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass(frozen=True)
class TrendParams:
    """Parameters of one run; ``to_dict()`` is what the platform stores next to the result.

    period: "year" or "quarter".
    min_topic_size: a topic needs at least this many documents (smaller clusters are outliers).
    max_topics: at most this many topics (the largest are kept).
    alpha: level of the growth test, on Benjamini-Hochberg adjusted p-values.
    window: test growth over the last ``window`` periods only (None: all periods).
    merge_similarity: topics whose centroids have at least this cosine are merged into one.
    top_terms: key terms kept per topic (the label uses the first ``label_terms``).
    label_terms: terms in a topic's label.
    max_chars: texts are cut at this many characters before embedding (title + start of
    the objective carry the topic; the encoder's time grows with the length).
    seed: random seed of the clustering (same inputs + same seed = same topics).
    """

    period: Period = "year"
    min_topic_size: int = 10
    max_topics: int = 40
    alpha: float = 0.05
    window: int | None = None
    merge_similarity: float = 0.88
    top_terms: int = 10
    label_terms: int = 3
    max_chars: int = 600
    seed: int = 0

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """What is wrong with these parameters, one message per field (empty when valid)."""
        out: list[str] = []
        if self.period not in PERIODS:
            out.append(f"period={self.period!r}: expected one of {', '.join(PERIODS)}")

        def whole(name: str, low: int, high: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                out.append(f"{name}={value!r}: expected a whole number from {low} to {high}")

        whole("min_topic_size", 2, 100_000)
        whole("max_topics", 1, 500)
        whole("top_terms", 1, 50)
        whole("label_terms", 1, 10)
        whole("max_chars", 20, 20_000)
        whole("seed", 0, 2**31 - 1)
        if self.window is not None:
            whole("window", 2, 10_000)
        if (
            isinstance(self.alpha, bool)
            or not isinstance(self.alpha, int | float)
            or not 0.0 < self.alpha < 1.0
        ):
            out.append(f"alpha={self.alpha!r}: expected a level between 0 and 1 (e.g. 0.05)")
        if (
            isinstance(self.merge_similarity, bool)
            or not isinstance(self.merge_similarity, int | float)
            or not 0.0 < self.merge_similarity <= 1.0
        ):
            out.append(f"merge_similarity={self.merge_similarity!r}: expected a cosine in (0, 1]")
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrendParams:
        """Parameters from a stored dict; missing keys take their defaults. ValueError names
        unknown keys and invalid values."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown trend parameters: {', '.join(map(str, unknown))}")
        return cls(**dict(data))


@dataclass(frozen=True)
class TopicTerm:
    term: str
    weight: float  # c-TF-IDF weight within the topic


@dataclass(frozen=True)
class TopicDocument:
    """Evidence: one document of a topic. index: position in the input list."""

    index: int
    key: str
    score: float  # cosine of the document's vector to the topic centroid


@dataclass(frozen=True, eq=False)
class TrendTopic:
    """One topic and its trend.

    id: 0, 1, ... by decreasing size within a result (not stable between runs: use
    ``match_topics`` on the centroids to follow a topic from one run to the next).
    documents: its documents, best members first. counts: weighted documents per period of
    ``TrendResult.periods``; shares: counts / the period's total (0 for an empty period).
    group_counts / member_counts: weighted documents per group / member, largest first.
    centroid: mean of the documents' (unit) vectors, unit length, in the encoder's space.
    """

    id: int
    label: str
    terms: tuple[TopicTerm, ...]
    documents: tuple[TopicDocument, ...]
    counts: tuple[float, ...]
    shares: tuple[float, ...]
    group_counts: dict[str, float]
    member_counts: dict[str, float]
    total: float
    growth: Growth
    centroid: NDArray[np.float32] = field(repr=False)

    @property
    def status(self) -> str:
        return self.growth.status

    @property
    def members(self) -> tuple[str, ...]:
        """Members who raised it, most documents first."""
        return tuple(self.member_counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "terms": [[t.term, t.weight] for t in self.terms],
            "documents": [[d.index, d.key, d.score] for d in self.documents],
            "counts": list(self.counts),
            "shares": list(self.shares),
            "group_counts": dict(self.group_counts),
            "member_counts": dict(self.member_counts),
            "total": self.total,
            "growth": self.growth.to_dict(),
            "centroid": [float(x) for x in self.centroid],
        }


@dataclass(frozen=True, eq=False)
class TrendResult:
    """Topics of a run with the periods they are counted over.

    periods: labels ("2019", "2019-Q3") of every period from the first document's to the last
    one's, in order (empty periods included, with a 0 total); totals: weighted documents per
    period; tested_periods: how many of the last periods entered the growth test.
    assignments: per input document, its topic id or -1 (outlier).
    encoder: name of the encoder that made the vectors (or "given" when vectors were passed).
    """

    topics: tuple[TrendTopic, ...]
    periods: tuple[str, ...]
    totals: tuple[float, ...]
    tested_periods: int
    assignments: tuple[int, ...]
    params: TrendParams
    encoder: str
    documents: int

    def emerging(self) -> list[TrendTopic]:
        """Emerging topics, strongest growth first."""
        found = [t for t in self.topics if t.growth.status == "emerging"]
        return sorted(found, key=lambda t: (-t.growth.rate, t.growth.q_value))

    def declining(self) -> list[TrendTopic]:
        """Declining topics, steepest decline first."""
        found = [t for t in self.topics if t.growth.status == "declining"]
        return sorted(found, key=lambda t: (t.growth.rate, t.growth.q_value))

    def topic_of(self, index: int) -> TrendTopic | None:
        """The topic of input document ``index`` (None for an outlier)."""
        tid = self.assignments[index]
        return None if tid < 0 else self.topics[tid]

    def to_dict(self) -> dict[str, Any]:
        return {
            "topics": [t.to_dict() for t in self.topics],
            "periods": list(self.periods),
            "totals": list(self.totals),
            "tested_periods": self.tested_periods,
            "assignments": list(self.assignments),
            "params": self.params.to_dict(),
            "encoder": self.encoder,
            "documents": self.documents,
        }


@dataclass(frozen=True)
class TopicMatch:
    """A topic of an earlier run (``old``: its index there) matched to one of a later run."""

    old: int
    new: int
    similarity: float


def period_label(date: datetime.date, period: Period) -> str:
    """ "2019" for a year, "2019-Q3" for a quarter."""
    if period == "year":
        return f"{date.year:04d}"
    return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"


def _period_index(date: datetime.date, period: Period) -> int:
    return date.year if period == "year" else date.year * 4 + (date.month - 1) // 3


def period_range(first: datetime.date, last: datetime.date, period: Period) -> list[str]:
    """Labels of every period from ``first``'s to ``last``'s, both included."""
    lo, hi = _period_index(first, period), _period_index(last, period)
    if period == "year":
        return [f"{i:04d}" for i in range(lo, hi + 1)]
    return [f"{i // 4:04d}-Q{i % 4 + 1}" for i in range(lo, hi + 1)]


def finite(value: float) -> float:
    """A float that JSON can hold (NaN and infinities become 0)."""
    return value if math.isfinite(value) else 0.0
