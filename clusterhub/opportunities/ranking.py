"""How well an opportunity suits an organization, with the parts of the score shown.

The matchmaking engine's multilingual encoder (use-m3) embeds the opportunity's text; the
organization's vector is the one the match index stored for its profile
(matchmaking.OrganizationEmbedding), or, when the profile changed since or was never
indexed, the same document encoded now. The score is their cosine plus two boosts: the
opportunity names one of the organization's clusters, and they share S3 themes.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from analytics.embeddings import EncoderUnavailable, get_encoder
from clusterhub.matchmaking.documents import build_document, documents_queryset, text_hash
from clusterhub.matchmaking.models import OrganizationEmbedding
from clusterhub.opportunities.models import Opportunity
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.models import Organization

logger = logging.getLogger(__name__)

ENCODER = "use-m3"
# Added to the cosine (about 0.1 for unrelated texts, 0.5 and more for close ones).
CLUSTER_BOOST = 0.10
THEME_BOOST = 0.05  # per shared S3 theme...
THEME_BOOST_MAX = 0.15  # ...up to this much


def opportunity_text(opportunity: Opportunity, themes: Sequence[S3Theme] = ()) -> str:
    """The words of an opportunity that say what it funds, for its vector."""
    theme_lines = [f"{t.name_it} ({t.name_en})" for t in themes]
    parts = [
        opportunity.title,
        opportunity.programme,
        opportunity.description,
        opportunity.eligibility,
        *theme_lines,
    ]
    return "\n".join(" ".join(str(p).split()) for p in parts if str(p).strip())


def text_digest(text: str) -> str:
    return hashlib.sha256(f"{ENCODER}\n{text}".encode()).hexdigest()


def to_bytes(row: NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(row, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> NDArray[np.float32] | None:
    raw = bytes(data or b"")
    if not raw or len(raw) % 4:
        return None
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)


def encode(texts: Sequence[str]) -> list[bytes]:
    """use-m3 vectors of these texts; empty bytes for every text when the encoder is missing
    (the ranking then rests on clusters and themes alone)."""
    if not texts:
        return []
    try:
        matrix = get_encoder(ENCODER).encode(list(texts), kind="passage")
    except EncoderUnavailable:
        logger.warning("Encoder %s unavailable: opportunities stored without vectors.", ENCODER)
        return [b"" for _ in texts]
    return [to_bytes(row) for row in matrix]


def organization_vector(organization: Organization) -> NDArray[np.float32] | None:
    """The organization's profile vector: the stored one while the profile is unchanged,
    else its document encoded now (not stored: the match index owns those rows)."""
    loaded = documents_queryset([organization.pk]).first()
    if loaded is None:
        return None
    document = build_document(loaded)
    fields = dict(document.fields)
    if not fields:
        return None
    stored = OrganizationEmbedding.objects.filter(
        organization_id=organization.pk, encoder=ENCODER, text_hash=text_hash(fields)
    ).first()
    if stored is not None:
        row = from_bytes(stored.vector)
        if row is not None and row.shape[0] == stored.dim:
            return row
    text = "\n".join(v.strip() for v in fields.values() if v.strip())
    raw = encode([text])[0]
    return from_bytes(raw)


@dataclass(frozen=True)
class Score:
    """The parts of an opportunity's score for one organization ("why this")."""

    similarity: float  # cosine of the two texts' vectors
    cluster_boost: float
    theme_boost: float
    shared_clusters: tuple[Cluster, ...] = field(default=())
    shared_themes: tuple[S3Theme, ...] = field(default=())

    @property
    def total(self) -> float:
        return self.similarity + self.cluster_boost + self.theme_boost

    @property
    def similarity_percent(self) -> int:
        return max(0, round(self.similarity * 100))


def score(
    *,
    opportunity_vector: NDArray[np.float32] | None,
    organization_vector: NDArray[np.float32] | None,
    opportunity_clusters: Sequence[Cluster],
    organization_cluster_ids: set[int],
    opportunity_themes: Sequence[S3Theme],
    organization_themes: Sequence[S3Theme],
) -> Score:
    similarity = 0.0
    if (
        opportunity_vector is not None
        and organization_vector is not None
        and opportunity_vector.shape == organization_vector.shape
    ):
        norm = float(np.linalg.norm(opportunity_vector) * np.linalg.norm(organization_vector))
        if norm > 0:
            similarity = float(np.dot(opportunity_vector, organization_vector) / norm)
    shared_clusters = tuple(c for c in opportunity_clusters if c.pk in organization_cluster_ids)
    # A theme is shared when both name it, or one names the area the other's theme is in.
    own = {t.pk for t in organization_themes}
    own_areas = {t.parent_id for t in organization_themes if t.parent_id}
    shared_themes = tuple(
        t for t in opportunity_themes if t.pk in own or t.pk in own_areas or t.parent_id in own
    )
    return Score(
        similarity=similarity,
        cluster_boost=CLUSTER_BOOST if shared_clusters else 0.0,
        theme_boost=min(THEME_BOOST * len(shared_themes), THEME_BOOST_MAX),
        shared_clusters=shared_clusters,
        shared_themes=shared_themes,
    )
