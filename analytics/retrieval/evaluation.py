"""Retrieval metrics and the BEIR dataset layout (used by bench/retrieval.py and tests).

BEIR layout: ``corpus.jsonl`` ({"_id", "title", "text"}), ``queries.jsonl`` ({"_id", "text"}),
``qrels/<split>.tsv`` (header line, then query-id, corpus-id, score).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Qrels = dict[str, dict[str, int]]


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with graded gains (as pytrec_eval/BEIR: gain = relevance, log2 discount)."""
    dcg = 0.0
    for i, doc_id in enumerate(ranked[:k]):
        gain = relevant.get(doc_id, 0)
        if gain > 0:
            dcg += gain / math.log2(i + 2)
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 100) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranked[:k])) / len(wanted)


@dataclass(frozen=True)
class BeirDataset:
    name: str
    corpus: dict[str, dict[str, str]]  # doc id -> {"title", "text"}
    queries: dict[str, str]
    qrels: dict[str, Qrels]  # split -> qrels


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict) or "_id" not in row:
                raise ValueError(f"{path}:{number}: expected an object with an '_id'")
            yield row


def read_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or (number == 1 and not row[-1].strip().lstrip("-").isdigit()):
                continue  # blank line or header
            if len(row) == 4:  # TREC layout: qid, iteration, docid, score
                row = [row[0], row[2], row[3]]
            if len(row) != 3:
                raise ValueError(f"{path}:{number}: expected query-id, corpus-id, score")
            try:
                score = int(row[2])
            except ValueError:
                raise ValueError(f"{path}:{number}: score {row[2]!r} is not an integer") from None
            qrels.setdefault(row[0].strip(), {})[row[1].strip()] = score
    return qrels


def read_beir(directory: Path) -> BeirDataset:
    """Read a BEIR dataset folder; every qrels/*.tsv split is loaded."""
    directory = Path(directory)
    for needed in ("corpus.jsonl", "queries.jsonl"):
        if not (directory / needed).is_file():
            raise FileNotFoundError(f"{directory}: missing {needed} (not a BEIR dataset)")
    corpus = {
        str(row["_id"]): {"title": str(row.get("title") or ""), "text": str(row.get("text") or "")}
        for row in _jsonl(directory / "corpus.jsonl")
    }
    queries = {
        str(row["_id"]): str(row.get("text") or "") for row in _jsonl(directory / "queries.jsonl")
    }
    qrels = {path.stem: read_qrels(path) for path in sorted((directory / "qrels").glob("*.tsv"))}
    if not qrels:
        raise FileNotFoundError(f"{directory}: no qrels/*.tsv")
    name = directory.resolve().name
    if name.lower() == "beir":  # e.g. data/scifact/beir/
        name = directory.resolve().parent.name
    return BeirDataset(name, corpus, queries, qrels)


def evaluate(
    runs: Mapping[str, Sequence[str]], qrels: Qrels, *, ndcg_k: int = 10, recall_k: int = 100
) -> dict[str, float]:
    """Mean nDCG@k and recall@k over the judged queries (a query with no run scores 0)."""
    judged = [q for q, rel in qrels.items() if any(g > 0 for g in rel.values())]
    if not judged:
        return {f"ndcg@{ndcg_k}": 0.0, f"recall@{recall_k}": 0.0}
    ndcg = sum(ndcg_at_k(runs.get(q, []), qrels[q], ndcg_k) for q in judged) / len(judged)
    recall = sum(recall_at_k(runs.get(q, []), qrels[q], recall_k) for q in judged) / len(judged)
    return {f"ndcg@{ndcg_k}": round(ndcg, 4), f"recall@{recall_k}": round(recall, 4)}
