"""A tiny deterministic encoder for the retrieval tests (a test double of the Encoder protocol).

Words map to concepts through a small bilingual dictionary, so "robotics" and "robotica" land
on the same vector: enough to test the semantic and cross-lingual paths without a model.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Literal

import numpy as np

CONCEPTS = {
    "robot": "robot",
    "robots": "robot",
    "robotics": "robot",
    "robotica": "robot",
    "robotic": "robot",
    "automation": "robot",
    "automazione": "robot",
    "food": "food",
    "cibo": "food",
    "alimenti": "food",
    "alimentare": "food",
    "alimentari": "food",
    "agrifood": "food",
    "agroalimentare": "food",
    "packaging": "pack",
    "imballaggio": "pack",
    "imballaggi": "pack",
    "confezionamento": "pack",
    "energy": "energy",
    "energia": "energy",
    "solar": "energy",
    "solare": "energy",
    "battery": "battery",
    "batterie": "battery",
    "batteries": "battery",
    "accumulo": "battery",
    "health": "health",
    "salute": "health",
    "medical": "health",
    "medicale": "health",
    "drug": "health",
    "farmaci": "health",
    "materials": "material",
    "materiali": "material",
    "polymers": "material",
    "polimeri": "material",
}

SLOTS = {concept: i for i, concept in enumerate(sorted(set(CONCEPTS.values())))}


class ConceptEncoder:
    """Deterministic bag-of-concepts encoder; unknown words hash to their own dimension."""

    def __init__(self, name: str = "concepts", dim: int = 48, languages: str = "multilingual"):
        self.name = name
        self.dim = dim
        self.languages = languages
        self.calls = 0

    def encode(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[^\W_]+", str(text).lower()):
                concept = CONCEPTS.get(word)
                if concept is None:
                    if len(word) < 4:
                        continue
                    slot = 16 + zlib.crc32(word.encode()) % (self.dim - 16)
                    out[i, slot] += 0.3
                else:
                    out[i, SLOTS[concept]] += 1.0
            norm = np.linalg.norm(out[i])
            if norm > 0:
                out[i] /= norm
        return out
