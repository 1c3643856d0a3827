"""Suggesting clusters from texts: prototypes from label descriptions, refined by examples."""

import pytest

from analytics.classify import LabelClassifier, label_by_prefix, macro_f1
from analytics.embeddings import get_encoder

DESCRIPTIONS = {
    "agrifood": ["Agrifood", "Agroalimentare", "Food processing, packaging and agriculture"],
    "mech": ["Mechatronics", "Meccatronica", "Machinery, automation, robotics and engines"],
    "health": ["Health", "Salute", "Medicine, biomedical devices and drugs"],
}


@pytest.fixture(scope="module")
def classifier():
    return LabelClassifier(DESCRIPTIONS, [get_encoder("use-m3")])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Shelf life of fresh cheese in compostable trays", "agrifood"),
        ("Conservazione del formaggio fresco e qualità del latte", "agrifood"),
        ("Robot industriali e controllo del moto per macchine automatiche", "mech"),
        ("A wearable device to monitor heart patients after surgery", "health"),
    ],
)
def test_a_text_gets_the_cluster_it_talks_about_in_either_language(classifier, text, label):
    best = classifier.suggest([text])[0][0]
    assert best.label == label
    assert 0 < best.confidence <= 1


def test_suggestions_are_ranked_and_cut_at_the_minimum_confidence(classifier):
    suggestions = classifier.suggest(["robotic milking machines for dairy farms"], top=3)[0]
    confidences = [s.confidence for s in suggestions]
    assert confidences == sorted(confidences, reverse=True)
    assert all(c >= 0.15 for c in confidences)
    assert len(suggestions) <= 3


def test_a_blank_text_gets_no_suggestion(classifier):
    assert classifier.suggest(["", "   "]) == [[], []]


def test_examples_teach_what_the_descriptions_miss():
    classifier = LabelClassifier(DESCRIPTIONS, [get_encoder("use-m3")])
    # "Tractor" texts read like machinery; the examples say the region files them under agrifood.
    tractors = [f"Precision tractor model {i} for vineyards and orchards" for i in range(6)]
    engines = [f"Racing engine component {i} for motorbikes" for i in range(6)]
    assert classifier.fit(tractors + engines, ["agrifood"] * 6 + ["mech"] * 6)
    assert classifier.suggest(["A tractor for orchards"])[0][0].label == "agrifood"


def test_too_few_examples_leave_the_prototypes_alone():
    classifier = LabelClassifier(DESCRIPTIONS, [get_encoder("use-m3")])
    assert not classifier.fit(["one text", "another"], ["agrifood", "mech"])


def test_a_label_without_description_is_left_out_and_no_label_at_all_is_an_error():
    encoder = get_encoder("use-m3")
    assert LabelClassifier({"a": ["food"], "b": [" "]}, [encoder]).labels == ["a"]
    with pytest.raises(ValueError, match="no label"):
        LabelClassifier({"b": [""]}, [encoder])


def test_macro_f1_weighs_every_label_alike():
    truth = ["a", "a", "a", "a", "b"]
    assert macro_f1(truth, truth) == 1.0
    # All "a": perfect on the big label, zero on the small one.
    assert macro_f1(truth, ["a"] * 5) == pytest.approx((2 * 0.8 / 1.8 + 0) / 2)


def test_the_longest_programme_prefix_wins():
    prefixes = {"H2020-EU.2.1.": "innovate", "H2020-EU.2.1.5.": "mech"}
    assert label_by_prefix("H2020-EU.2.1.5.1.", prefixes) == "mech"
    assert label_by_prefix("H2020-EU.2.1.1.", prefixes) == "innovate"
    assert label_by_prefix("FP7-KBBE", prefixes) is None
