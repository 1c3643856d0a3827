"""Trend detection benchmark: the platform's pipeline over the real CORDIS project texts.

    .venv/bin/python bench/trends.py [--docs N] [--period year|quarter] [--source all|fp7|h2020]
                                     [--min-topic-size 10] [--max-topics 40] [--data DIR]

Reads the CORDIS files of the shared data folder directly (analytics.trends.cordis: FP7 projects
involving INRAE, 2007-2015, and Horizon 2020 clean-tech projects, 2014-2020; title + objective,
dated by start date) and runs ``analytics.trends.detect_trends`` with the multilingual
``use-m3`` encoder and the default ``TrendParams`` (the platform's region-wide runs use
``--min-topic-size 8``), by start year.

``--docs N``: instead, N documents made by resampling the projects, to measure scale. Each one
is a project drawn at random (with replacement) whose text is its title and a random subset
of its objective's sentences (each kept with probability 0.7, order kept, at least one),
dated in its project's start year; a draw whose embedded part (the first ``max_chars``
characters) repeats an earlier one is drawn again, so the texts are distinct (the number of
distinct embedded texts is printed as "distinct_texts"), their length and vocabulary are
those of real projects, and their topics keep the real time profile.

Prints the top emerging and declining topics with their figures, where the documents that
mention hydrogen and AI landed (known shifts), and ends with one JSON line:
{"docs", "seconds", "peak_rss_mb", "topics", "emerging", "declining", ...}. ``seconds`` is the
pipeline's wall time (embedding included, encoder loading excluded, given apart as
"load_seconds"); "cpu_seconds" is the CPU time it took (all threads), a figure that other
processes sharing the machine do not inflate; peak RSS is the process's (ru_maxrss).
Threads: CLUSTERHUB_EMBED_THREADS (default 2) for the encoder, and 2 for numpy and
scikit-learn unless OMP_NUM_THREADS is set.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.embeddings import get_encoder  # noqa: E402
from analytics.trends import (  # noqa: E402
    TrendDocument,
    TrendParams,
    TrendResult,
    detect_trends,
    period_label,
)
from analytics.trends.cordis import load_projects  # noqa: E402

KNOWN_SHIFTS = {
    "hydrogen": re.compile(r"hydrogen", re.IGNORECASE),
    "ai": re.compile(
        r"artificial intelligence|machine learning|deep learning|neural network", re.IGNORECASE
    ),
}
TOP = 5
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def resample(
    docs: list[TrendDocument], n: int, *, prefix_chars: int, seed: int = 1
) -> list[TrendDocument]:
    """``n`` documents with distinct texts made from random projects (see the module doc):
    a draw whose first ``prefix_chars`` characters (what is embedded) were already made is
    drawn again, up to 20 times."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    for j in range(n):
        for _ in range(20):
            doc = rng.choice(docs)
            title, _, objective = doc.text.partition(". ")
            sentences = _SENTENCE.split(objective)
            kept = [s for s in sentences if rng.random() < 0.7] or [rng.choice(sentences)]
            text = f"{title}. {' '.join(kept)}"
            prefix = " ".join(text.split())[:prefix_chars]
            if prefix not in seen:
                break
        seen.add(prefix)
        out.append(
            dataclasses.replace(
                doc,
                key=f"{doc.key}#{j}",
                text=text,
                date=doc.date.replace(month=rng.randint(1, 12), day=1),
            )
        )
    return out


def _topic_line(topic, periods) -> str:
    series = " ".join(f"{p}:{int(c)}" for p, c in zip(periods, topic.counts, strict=True) if c)
    g = topic.growth
    return (
        f"  [{topic.id}] {topic.label}: {int(topic.total)} docs, rate {g.rate:+.0%}/period, "
        f"q={g.q_value:.2g}, dispersion {g.dispersion:.1f} | {series}"
    )


def known_shifts(docs: list[TrendDocument], result: TrendResult) -> dict:
    """For each known shift: how many documents mention it per period, and the topic where
    most of them landed with its status."""
    out = {}
    for name, pattern in KNOWN_SHIFTS.items():
        hits = [i for i, d in enumerate(docs) if pattern.search(d.text[: result.params.max_chars])]
        ids = Counter(result.assignments[i] for i in hits if result.assignments[i] >= 0)
        by_period = Counter(period_label(docs[i].date, result.params.period) for i in hits)
        entry: dict = {"mentions": len(hits), "per_period": dict(sorted(by_period.items()))}
        if ids:
            tid, held = ids.most_common(1)[0]
            topic = result.topics[tid]
            entry.update(
                topic=topic.label,
                held=held,
                status=topic.growth.status,
                rate=round(topic.growth.rate, 3),
                q_value=float(f"{topic.growth.q_value:.3g}"),
            )
        out[name] = entry
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=None, help="resample to N documents")
    parser.add_argument("--period", choices=("year", "quarter"), default="year")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument(
        "--source",
        choices=("all", "fp7", "h2020"),
        default="all",
        help="only the projects of one file (default: both)",
    )
    defaults = TrendParams()
    parser.add_argument("--min-topic-size", type=int, default=defaults.min_topic_size)
    parser.add_argument("--max-topics", type=int, default=defaults.max_topics)
    args = parser.parse_args()
    try:
        params = TrendParams(
            period=args.period, min_topic_size=args.min_topic_size, max_topics=args.max_topics
        )
    except ValueError as exc:
        parser.error(str(exc))

    docs = load_projects(Path(args.data))
    if args.source != "all":
        docs = [d for d in docs if d.key.startswith(f"{args.source}:")]
    print(f"{len(docs)} CORDIS projects read from {args.data}", file=sys.stderr)
    if args.docs is not None:
        if args.docs < 1:
            parser.error("--docs must be at least 1")
        docs = resample(docs, args.docs, prefix_chars=TrendParams().max_chars)
        distinct = len({" ".join(d.text.split())[: TrendParams().max_chars] for d in docs})
        print(f"resampled to {len(docs)} documents, {distinct} distinct texts", file=sys.stderr)
    else:
        distinct = len({" ".join(d.text.split())[: TrendParams().max_chars] for d in docs})

    started = time.perf_counter()
    encoder = get_encoder("use-m3")
    encoder.encode(["warm-up"])
    load_seconds = time.perf_counter() - started

    last = [-1.0]

    def progress(stage: str, fraction: float) -> None:
        if fraction - last[0] >= 0.1 or stage == "done":
            last[0] = fraction
            print(
                f"  {stage} {fraction:.0%} ({time.perf_counter() - started:.1f} s)", file=sys.stderr
            )

    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = detect_trends(docs, encoder=encoder, params=params, progress=progress)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = after.ru_maxrss / 1024
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    outliers = sum(1 for a in result.assignments if a < 0)
    print(
        f"\n{len(docs)} documents, {len(result.topics)} topics, {outliers} outliers, "
        f"periods {result.periods[0]}..{result.periods[-1]}; totals per period: "
        + " ".join(f"{p}:{int(t)}" for p, t in zip(result.periods, result.totals, strict=True))
    )
    emerging, declining = result.emerging(), result.declining()
    print(f"emerging ({len(emerging)}), strongest first:")
    for topic in emerging[:TOP]:
        print(_topic_line(topic, result.periods))
    print(f"declining ({len(declining)}), steepest first:")
    for topic in declining[:TOP]:
        print(_topic_line(topic, result.periods))
    shifts = known_shifts(docs, result)
    for name, entry in shifts.items():
        print(f"known shift {name}: {json.dumps(entry)}")
    print(
        json.dumps(
            {
                "docs": len(docs),
                "seconds": round(seconds, 1),
                "peak_rss_mb": round(peak),
                "topics": len(result.topics),
                "emerging": [t.label for t in emerging[:TOP]],
                "declining": [t.label for t in declining[:TOP]],
                "cpu_seconds": round(cpu, 1),
                "load_seconds": round(load_seconds, 1),
                "distinct_texts": distinct,
                "outliers": outliers,
                "period": args.period,
                "source": args.source,
                "known_shifts": {k: v.get("status", "no topic") for k, v in shifts.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
