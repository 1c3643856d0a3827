"""Helpers shared by the encoders: thread settings, blank texts, normalisation."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

THREADS_ENV = "CLUSTERHUB_EMBED_THREADS"
DEFAULT_THREADS = 2


class EncoderUnavailable(RuntimeError):
    """The package that carries an encoder's weights is not installed (or is broken)."""


def embed_threads() -> int:
    """Threads an encoder may use: CLUSTERHUB_EMBED_THREADS (default 2, at least 1)."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return DEFAULT_THREADS
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{THREADS_ENV}={raw!r}: expected a whole number of threads") from None
    if value < 1:
        raise ValueError(f"{THREADS_ENV}={raw!r}: expected at least 1 thread")
    return value


def clean_texts(texts: Sequence[str], max_chars: int) -> tuple[list[str], list[int]]:
    """The non-blank texts (cut at ``max_chars``) and their positions in ``texts``.

    Anything that is not a string, or is only whitespace, is left out: it gets a zero row.
    One string instead of a sequence of strings is a TypeError (it would be read as a
    sequence of one-letter texts).
    """
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not one string: wrap it in a list")
    kept: list[str] = []
    where: list[int] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            continue
        text = text.replace("\x00", " ").strip()
        if not text:
            continue
        if len(text) > max_chars:
            cut = text.rfind(" ", 0, max_chars)
            text = text[: cut if cut > max_chars // 2 else max_chars]
        kept.append(text)
        where.append(i)
    return kept, where


def l2_normalise(rows: NDArray[np.float32]) -> NDArray[np.float32]:
    """Rows scaled to unit length; an all-zero row stays zero."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    np.maximum(norms, np.float32(1e-12), out=norms)
    out: NDArray[np.float32] = (rows / norms).astype(np.float32, copy=False)
    return out


def import_onnxruntime() -> Any:
    """onnxruntime, imported safely.

    Importing onnxruntime 1.31.1 after usearch 2.26.6's compiled module kills the process
    (segmentation fault inside onnxruntime's import); the other order works. This package
    imports onnxruntime when it is imported itself, so importing analytics.embeddings first is
    enough; where usearch came first anyway, this raises instead of crashing.
    """
    if "onnxruntime" not in sys.modules and "usearch.compiled" in sys.modules:
        raise EncoderUnavailable(
            "onnxruntime cannot be loaded after usearch (the process would crash): "
            "import analytics.embeddings (or onnxruntime) before usearch"
        )
    try:
        import onnxruntime  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EncoderUnavailable(f"onnxruntime is not installed: {exc}") from exc
    return onnxruntime


def onnx_session(
    model: bytes | Path,
    threads: int,
    *,
    custom_ops: bool = False,
    external: Mapping[str, NDArray[Any]] | None = None,
) -> Any:
    """An onnxruntime CPU session with explicit threads and no busy-waiting between runs.

    ``custom_ops`` registers onnxruntime-extensions' operators (the SentencePiece tokenizer
    inside the USE graph). ``external``: tensors of the model's external-data initializers,
    read in place (the caller keeps the arrays alive as long as the session).
    """
    ort = import_onnxruntime()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Worker threads sleep between runs instead of spinning: on a 2-core server the web
    # process and the task worker share the cores with the encoder.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if custom_ops:
        try:
            from onnxruntime_extensions import get_library_path  # type: ignore[import-untyped]
        except ImportError as exc:
            raise EncoderUnavailable(f"onnxruntime-extensions is not installed: {exc}") from exc
        options.register_custom_ops_library(get_library_path())
    if external:
        names = list(external)
        values = [ort.OrtValue.ortvalue_from_numpy(external[name]) for name in names]
        options.add_external_initializers(names, values)
    source = str(model) if isinstance(model, Path) else model
    session = ort.InferenceSession(source, sess_options=options, providers=["CPUExecutionProvider"])
    if external:
        session.external_initializers = values  # their buffers must outlive the session
    return session
