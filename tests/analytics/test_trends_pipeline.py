"""The trend pipeline of analytics.trends: topics are recovered, labelled, counted per period,
group and member, and scored; a real slice of CORDIS projects shows the rise of hydrogen."""

import csv
import datetime
import json
import re
from pathlib import Path

import numpy as np
import pytest

from analytics.embeddings import get_encoder
from analytics.trends import (
    TrendDocument,
    TrendParams,
    detect_trends,
    match_topics,
    period_label,
    period_range,
)

DATA = Path(__file__).parent / "data"
YEARS = [2015, 2016, 2017, 2018, 2019, 2020]
DIM = 64

# Planted topics: (words that make their texts, documents per year, group, member).
PLANTED = {
    "hydrogen": (
        "hydrogen electrolyser fuel cell green hydrogen storage",
        [2, 4, 8, 16, 32, 64],
        "ENERGY",
        "org:a",
    ),
    "dairy": ("dairy cheese milk fermentation lactose", [30] * 6, "AGRIFOOD", "org:b"),
    "welding": (
        "laser welding joints aluminium robotic welding",
        [64, 48, 36, 27, 20, 15],
        "MECH",
        "org:c",
    ),
}
FILLER = "the project will study and develop a new approach with partners".split()
PER_YEAR = 150  # the rest of each year's documents are spread thin (outliers or small topics)


def _synthetic(seed=0):
    """Documents of the planted topics plus scattered background documents, with vectors drawn
    around one direction per topic (the encoder is not needed to test the pipeline)."""
    rng = np.random.default_rng(seed)
    docs, vectors, truth = [], [], []
    directions = {name: rng.normal(size=DIM) for name in PLANTED}
    for y, year in enumerate(YEARS):
        planted_here = 0
        for name, (words, counts, group, member) in PLANTED.items():
            vocab = words.split()
            for i in range(counts[y]):
                chosen = rng.choice(vocab, size=6).tolist() + rng.choice(FILLER, size=4).tolist()
                docs.append(
                    TrendDocument(
                        key=f"{name}:{year}:{i}",
                        text=" ".join(chosen),
                        date=datetime.date(year, 1 + i % 12, 1),
                        groups=(group,),
                        members=(member,),
                    )
                )
                vectors.append(directions[name] + rng.normal(scale=0.35, size=DIM))
                truth.append(name)
                planted_here += 1
        for i in range(PER_YEAR - planted_here):
            words = rng.choice([f"misc{j}" for j in range(400)], size=8).tolist()
            docs.append(
                TrendDocument(
                    key=f"background:{year}:{i}",
                    text=" ".join(words),
                    date=datetime.date(year, 6, 1),
                )
            )
            vectors.append(rng.normal(size=DIM))
            truth.append("background")
    return docs, np.array(vectors, dtype=np.float32), truth


PARAMS = TrendParams(min_topic_size=15, max_topics=10)


@pytest.fixture(scope="module")
def synthetic():
    docs, vectors, truth = _synthetic()
    return docs, vectors, truth, detect_trends(docs, vectors=vectors, params=PARAMS)


def _topic_for(result, truth, name):
    """The topic holding most of the planted topic ``name``, and its purity."""
    ids = [result.assignments[i] for i, t in enumerate(truth) if t == name]
    best = max(set(ids), key=ids.count)
    assert best >= 0, f"{name} ended up among the outliers"
    topic = result.topics[best]
    planted = sum(1 for d in topic.documents if truth[d.index] == name)
    return topic, ids.count(best) / len(ids), planted / len(topic.documents)


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_topics_are_recovered_and_labelled_with_their_words(synthetic, name):
    _, _, truth, result = synthetic
    topic, recall, purity = _topic_for(result, truth, name)
    assert recall >= 0.95
    assert purity >= 0.95
    top_words = {w for term in topic.terms[:5] for w in term.term.split()}
    assert top_words & set(PLANTED[name][0].split())
    assert not top_words & set(FILLER)  # stop words and shared prose do not label a topic
    assert topic.label.split(", ")[0] in {t.term for t in topic.terms}


def test_each_planted_topic_gets_its_own_growth_status(synthetic):
    _, _, truth, result = synthetic
    statuses = {name: _topic_for(result, truth, name)[0].growth.status for name in PLANTED}
    assert statuses == {"hydrogen": "emerging", "dairy": "stable", "welding": "declining"}
    hydrogen = _topic_for(result, truth, "hydrogen")[0]
    assert hydrogen in result.emerging()
    assert hydrogen.growth.rate > 0.5
    assert hydrogen.growth.q_value < 0.001


def test_counts_per_period_group_and_member_and_evidence(synthetic):
    docs, _, truth, result = synthetic
    assert result.periods == tuple(str(y) for y in YEARS)
    assert result.totals == (float(PER_YEAR),) * len(YEARS)
    dairy = _topic_for(result, truth, "dairy")[0]
    assert sum(dairy.counts) == dairy.total == len(dairy.documents)
    assert dairy.shares == pytest.approx([c / PER_YEAR for c in dairy.counts])
    assert max(dairy.group_counts, key=dairy.group_counts.get) == "AGRIFOOD"
    assert dairy.members[0] == "org:b"
    # Evidence: documents given back by key and index, best members first.
    first = dairy.documents[0]
    assert docs[first.index].key == first.key
    scores = [d.score for d in dairy.documents]
    assert scores == sorted(scores, reverse=True)
    assert result.topic_of(first.index) is dairy


def test_background_noise_is_not_called_a_trend(synthetic):
    """Topics made only of background documents (uniform per year) are never emerging or
    declining."""
    _, _, truth, result = synthetic
    for topic in result.topics:
        background = sum(1 for d in topic.documents if truth[d.index] == "background")
        if background > 0.8 * len(topic.documents):
            assert topic.growth.status == "stable", topic.label


def test_the_result_is_deterministic_and_json_ready(synthetic):
    docs, vectors, _, result = synthetic
    again = detect_trends(docs, vectors=vectors, params=PARAMS)
    assert again.assignments == result.assignments
    assert [t.label for t in again.topics] == [t.label for t in result.topics]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["params"] == PARAMS.to_dict()
    assert len(data["topics"][0]["centroid"]) == DIM
    assert data["encoder"] == "given"


def test_topics_of_two_runs_are_matched_by_their_centroids(synthetic):
    docs, vectors, truth, result = synthetic
    # A later run over a reshuffled subset: topic ids change, the topics do not.
    rng = np.random.default_rng(5)
    keep = rng.permutation(len(docs))[: int(len(docs) * 0.8)]
    later = detect_trends([docs[i] for i in keep], vectors=vectors[keep], params=PARAMS)
    matches = {m.old: m.new for m in match_topics(result.topics, later.topics)}
    later_truth = [truth[i] for i in keep]
    for name in PLANTED:
        old = _topic_for(result, truth, name)[0]
        new = _topic_for(later, later_truth, name)[0]
        assert matches[old.id] == new.id
    # Stored centroids (lists of floats) work as well.
    stored = [t.to_dict()["centroid"] for t in result.topics]
    assert match_topics(stored, later.topics) == match_topics(result.topics, later.topics)


def test_quarters_and_a_window_of_recent_periods():
    docs, vectors, truth = _synthetic(seed=3)
    params = TrendParams(period="quarter", window=8, min_topic_size=15, max_topics=10)
    result = detect_trends(docs, vectors=vectors, params=params)
    assert result.periods[0] == "2015-Q1"
    assert result.periods[-1] == "2020-Q4"
    assert len(result.periods) == 24
    assert result.tested_periods == 8
    topic = _topic_for(result, truth, "hydrogen")[0]
    assert sum(topic.counts) == topic.total


def test_progress_is_reported_up_to_done(synthetic):
    docs, vectors, _, _ = synthetic
    seen = []
    detect_trends(docs, vectors=vectors, params=PARAMS, progress=lambda s, f: seen.append((s, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == ("done", 1.0)


def test_too_few_documents_give_no_topics():
    docs = [
        TrendDocument(key=str(i), text="hydrogen", date=datetime.date(2020, 1, 1)) for i in range(5)
    ]
    result = detect_trends(docs, vectors=np.eye(5, 8, dtype=np.float32), params=PARAMS)
    assert result.topics == ()
    assert result.assignments == (-1,) * 5
    assert result.periods == ("2020",)
    empty = detect_trends([], vectors=np.zeros((0, 8), np.float32))
    assert empty.topics == () and empty.periods == ()


def test_bad_inputs_are_refused_with_a_reason():
    doc = TrendDocument(key="a", text="x", date=datetime.date(2020, 1, 1))
    with pytest.raises(ValueError, match="encoder"):
        detect_trends([doc])
    with pytest.raises(ValueError, match="one row per document"):
        detect_trends([doc], vectors=np.zeros((2, 8), np.float32))
    with pytest.raises(TypeError, match="TrendDocument"):
        detect_trends([{"text": "x"}], vectors=np.zeros((1, 8), np.float32))
    bad = TrendDocument(key="a", text="x", date=datetime.date(2020, 1, 1), weight=-1.0)
    with pytest.raises(ValueError, match="weight"):
        detect_trends([bad], vectors=np.zeros((1, 8), np.float32))


def test_parameters_round_trip_and_are_validated():
    params = TrendParams(period="quarter", min_topic_size=5, alpha=0.01, window=6, seed=3)
    assert TrendParams.from_dict(params.to_dict()) == params
    assert TrendParams.from_dict({}) == TrendParams()
    with pytest.raises(ValueError, match="period"):
        TrendParams(period="month")
    with pytest.raises(ValueError, match="alpha"):
        TrendParams(alpha=1.5)
    with pytest.raises(ValueError, match="min_topic_size"):
        TrendParams.from_dict({"min_topic_size": "ten"})
    with pytest.raises(ValueError, match="unknown trend parameters: colour"):
        TrendParams.from_dict({"colour": "red"})


def test_period_labels():
    assert period_label(datetime.date(2019, 8, 31), "year") == "2019"
    assert period_label(datetime.date(2019, 8, 31), "quarter") == "2019-Q3"
    assert period_range(datetime.date(2019, 11, 1), datetime.date(2020, 4, 1), "quarter") == [
        "2019-Q4",
        "2020-Q1",
        "2020-Q2",
    ]


# --- real data -----------------------------------------------------------------------------


def _cordis_slice():
    with (DATA / "cordis_slice.csv").open(encoding="utf-8", newline="") as handle:
        return [
            TrendDocument(
                key=row["key"],
                text=row["text"],
                date=datetime.date.fromisoformat(row["startDate"]),
                groups=(row["programme"],) if row["programme"] else (),
            )
            for row in csv.DictReader(handle)
        ]


@pytest.fixture(scope="module")
def cordis_slice():
    """The slice's documents and their vectors, embedded once for the seeds below."""
    docs = _cordis_slice()
    return docs, get_encoder("use-m3").encode([d.text for d in docs])


@pytest.mark.parametrize("seed", range(5))
def test_hydrogen_emerges_in_the_horizon_2020_years_of_a_real_cordis_slice(cordis_slice, seed):
    """350 real projects (tests/analytics/data/README.md): FP7 agri-food projects started in
    2008-2015, Horizon 2020 clean-tech ones in 2014-2020. Hydrogen projects appear with
    Horizon 2020: the pipeline, with the multilingual encoder, finds a hydrogen topic, empty
    before 2014, and scores it emerging, whatever the clustering seed."""
    docs, vectors = cordis_slice
    params = TrendParams(min_topic_size=20, max_topics=8, seed=seed)
    if seed == 0:  # the whole pipeline, embedding included
        result = detect_trends(docs, encoder=get_encoder("use-m3"), params=params)
    else:
        result = detect_trends(docs, vectors=vectors, params=params)
    mentions = [i for i, d in enumerate(docs) if re.search("hydrogen", d.text, re.IGNORECASE)]
    ids = [result.assignments[i] for i in mentions]
    topic = result.topics[max(set(ids), key=ids.count)]
    assert "hydrogen" in [t.term for t in topic.terms[:3]]
    assert topic.growth.status == "emerging"
    first = next(i for i, c in enumerate(topic.counts) if c > 0)
    assert int(result.periods[first]) >= 2014
    assert topic in result.emerging()
