"""Text analysis for retrieval: languages, stemming, query terms, sentences; and the metrics."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from analytics.retrieval.evaluation import evaluate, ndcg_at_k, read_beir, recall_at_k
from analytics.retrieval.text import (
    MAX_QUERY_WORDS,
    detect_language,
    document_terms,
    guess_language,
    query_terms,
    sentences,
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Il laboratorio sviluppa materiali per l'industria della ceramica.", "it"),
        ("The laboratory develops materials for the ceramics industry.", "en"),
        ("Progettazione e sviluppo di nuovi prodotti", "it"),
        ("Drug delivery and the design of new drugs", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_no_evidence_gives_default_or_none() -> None:
    assert guess_language("Drug delivery") is None
    assert detect_language("Drug delivery", "it") == "it"
    assert detect_language("", "en") == "en"


def test_fields_are_stemmed_in_their_own_language() -> None:
    terms, lang = document_terms(
        {
            "description": "Il laboratorio studia le tecnologie alimentari e la sostenibilità.",
            "projects": "The project develops new technologies for the food industry.",
        }
    )
    assert lang == "it"
    assert "tecnolog" in terms and "sostenibil" in terms  # Italian stems
    assert "technolog" in terms and "industri" in terms  # English stems
    assert "il" not in terms and "the" not in terms  # stop words of each language


def test_query_terms_keep_both_languages_variants() -> None:
    qt = query_terms("drug delivery systems")
    assert qt.lang == "en" or qt.lang is None
    delivery = next(group for group in qt.variants if "deliveri" in group)
    assert "delivery" in delivery  # the Italian stemmer leaves the English word alone
    only_en = query_terms("drug delivery systems", other_languages=False)
    assert all(len(group) == 1 for group in only_en.variants)


def test_query_terms_of_hostile_text() -> None:
    assert not query_terms("")
    assert not query_terms("!!! ??? ;;;")
    assert not query_terms("il lo la di e")
    huge = query_terms(" ".join(f"parola{i}" for i in range(5000)))
    assert len(huge.variants) <= MAX_QUERY_WORDS
    assert (
        query_terms("<b>robotica</b>' OR 1=1; --").stems >= {"robot", "robotic"}
        or {"robotica"} & query_terms("robotica").stems
    )


def test_accents_do_not_matter() -> None:
    assert query_terms("qualità").stems == query_terms("qualita").stems


def test_sentences_with_offsets() -> None:
    text = "Prima frase. Seconda frase!  Terza\nQuarta | Quinta"
    parts = sentences(text)
    assert [s for _, s in parts] == ["Prima frase.", "Seconda frase!", "Terza", "Quarta", "Quinta"]
    for start, sentence in parts:
        assert text[start : start + len(sentence)] == sentence
    long = "parola " * 200
    pieces = sentences(long, max_chars=100)
    assert all(len(p) <= 100 for _, p in pieces)
    for start, sentence in pieces:
        assert long[start : start + len(sentence)] == sentence


def test_metrics() -> None:
    relevant = {"a": 1, "b": 1}
    assert ndcg_at_k(["a", "b", "c"], relevant) == pytest.approx(1.0)
    assert ndcg_at_k(["c", "a"], relevant) == pytest.approx(
        (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    )
    assert ndcg_at_k(["c"], relevant) == 0.0
    assert recall_at_k(["a", "x"], relevant, 100) == 0.5
    assert recall_at_k(["x"] * 5 + ["a"], relevant, 5) == 0.0
    scores = evaluate({"q1": ["a", "b"], "q2": []}, {"q1": relevant, "q2": {"z": 1}})
    assert scores == {"ndcg@10": 0.5, "recall@100": 0.5}


def test_read_beir(tmp_path: Path) -> None:
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text(
        json.dumps({"_id": "d1", "title": "T", "text": "x"})
        + "\n\n"
        + json.dumps({"_id": "d2", "text": "y"})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "x"}) + "\n")
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\n")
    (tmp_path / "qrels" / "train.tsv").write_text("q1\t0\td2\t2\n")  # TREC layout, no header
    data = read_beir(tmp_path)
    assert data.corpus["d2"] == {"title": "", "text": "y"}
    assert data.qrels["test"] == {"q1": {"d1": 1}}
    assert data.qrels["train"] == {"q1": {"d2": 2}}
    (tmp_path / "corpus.jsonl").write_text('{"_id": "d1"}\nnot json\n')
    with pytest.raises(ValueError, match="corpus.jsonl:2"):
        read_beir(tmp_path)
    with pytest.raises(FileNotFoundError, match="not a BEIR dataset"):
        read_beir(tmp_path / "qrels")
