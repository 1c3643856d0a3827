"""How well projects are classified into the region's clusters: macro-F1 on real CORDIS projects.

    .venv/bin/python bench/classification.py [--preset presets/emilia-romagna/region.yaml]

Labelled sample: the projects of the shared CORDIS files (H2020 clean-tech set, FP7 INRAE
set) whose programme code maps to exactly one cluster through the preset's
`programme_clusters` (e.g. H2020-EU.3.2 food security -> agrifood). Text: title + objective.
Labels are described the way the platform describes them (clusterhub/projects/classification.py):
cluster name and description in both languages plus the names of the S3 themes of its area.

Reports, for each encoder set: zero-shot prototypes on the whole sample, and prototypes +
logistic regression in stratified 5-fold cross-validation (never scored on its own training
folds). Ends with one JSON line.
"""

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.classify import LabelClassifier, label_by_prefix, macro_f1  # noqa: E402
from analytics.embeddings import get_encoder  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
csv.field_size_limit(10_000_000)


def cluster_descriptions(preset: dict) -> dict[str, list[str]]:
    themes = {str(area["code"]): area for area in preset["s3_themes"]}
    out = {}
    for cluster in preset["clusters"]:
        texts = [cluster["name"]["en"], cluster["name"]["it"]]
        texts += [cluster.get("description", {}).get(lang, "") for lang in ("en", "it")]
        area = themes.get(str(cluster.get("s3_area", "")))
        for child in (area or {}).get("children", []):
            texts += [child["name"]["en"], child["name"]["it"]]
        out[cluster["slug"]] = [t for t in texts if t]
    return out


def labelled_projects(prefixes: dict[str, str]) -> tuple[list[str], list[str]]:
    texts, labels = [], []

    def add(codes: list[str], title: str, objective: str) -> None:
        found = {label_by_prefix(code.strip(), prefixes) for code in codes if code.strip()}
        found.discard(None)
        if len(found) == 1:
            texts.append(f"{title}. {objective}")
            labels.append(found.pop())

    with open(
        DATA / "cordis-h2020-cleantech" / "cleantechtag_joint_results.csv", encoding="utf-8"
    ) as f:
        for row in csv.DictReader(f):
            add(row["programme"].split(";"), row["title"], row["objective"])
    with open(DATA / "cordis-fp7-inrae" / "projects.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add([row["legalBasis"]], row["title"], row["objective"])
    return texts, labels


def folds(labels: list[str], k: int, seed: int = 13) -> list[np.ndarray]:
    """Stratified fold index arrays."""
    rng = np.random.default_rng(seed)
    assignment = np.empty(len(labels), dtype=int)
    for label in set(labels):
        idx = np.flatnonzero(np.array(labels) == label)
        rng.shuffle(idx)
        assignment[idx] = np.arange(len(idx)) % k
    return [np.flatnonzero(assignment == i) for i in range(k)]


def evaluate(encoder_names: list[str], descriptions, texts, labels) -> dict:
    encoders = [get_encoder(name) for name in encoder_names]
    classifier = LabelClassifier(descriptions, encoders)
    started = time.perf_counter()
    vectors = classifier.embed(texts)
    embed_s = time.perf_counter() - started
    zero_shot = classifier.predict(vectors)
    cv_pred = [""] * len(texts)
    for test in folds(labels, 5):
        train = np.setdiff1d(np.arange(len(texts)), test)
        classifier.fit_vectors([v[train] for v in vectors], [labels[i] for i in train])
        predicted = classifier.predict([v[test] for v in vectors])
        for i, label in zip(test, predicted, strict=True):
            cv_pred[i] = label
    return {
        "zero_shot_macro_f1": round(macro_f1(labels, zero_shot), 3),
        "supervised_cv_macro_f1": round(macro_f1(labels, cv_pred), 3),
        "zero_shot_accuracy": round(float(np.mean(np.array(zero_shot) == np.array(labels))), 3),
        "supervised_cv_accuracy": round(float(np.mean(np.array(cv_pred) == np.array(labels))), 3),
        "embed_docs_per_s": round(len(texts) / embed_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--preset", default=str(ROOT / "presets" / "emilia-romagna" / "region.yaml")
    )
    parser.add_argument(
        "--encoders",
        default="use-m3;minilm-l6;use-m3+minilm-l6",
        help="encoder sets to compare, ';'-separated, '+' joins encoders of one set",
    )
    args = parser.parse_args()
    preset = yaml.safe_load(Path(args.preset).read_text(encoding="utf-8"))
    descriptions = cluster_descriptions(preset)
    texts, labels = labelled_projects(preset["programme_clusters"])
    support = dict(Counter(labels).most_common())
    print(f"{len(texts)} labelled projects: {support}", file=sys.stderr)
    result = {"projects": len(texts), "support": support}
    for encoder_set in args.encoders.split(";"):
        result[encoder_set] = evaluate(encoder_set.split("+"), descriptions, texts, labels)
        print(encoder_set, result[encoder_set], file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
