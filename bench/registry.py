"""Registry benchmark: bulk import throughput and directory search latency at scale.

    .venv/bin/python bench/registry.py [--rows 100000] [--queries 200]

Generates N synthetic organizations shaped like the real registry (names, valid VAT numbers,
Emilia-Romagna postcodes, competences and clusters from the preset) into a CSV, imports it
into a fresh database (SQLite file, or PostgreSQL when DATABASE_URL is set) and then times
directory searches through the real HTTP stack (Django test client).

Baselines measured in the same run:
- memory: peak RSS of importing N/2 rows vs N rows, each in its own process into its own
  database (flat memory means a ratio near 1; both databases outgrow SQLite's 64 MB page
  cache, so the cache does not blur the comparison);
- search: the same directory page without a text query and the home page.

Ends with one JSON line of figures.
"""

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "advanced materials robotics food packaging energy biotech digital design mechanics "
    "automation sensors water agri health pharma textile ceramics logistics software "
    "composites vehicles laser additive manufacturing hydrogen circular biomass fashion "
    "heritage wellness diagnostics genomics vineyard dairy cheese pasta tomato precision "
    "motori meccanica alimentare ambiente energia sostenibile salute benessere servizi "
    "costruzioni edilizia materiali innovazione ricerca tecnologie laboratorio sistemi"
).split()
LEGAL = ["Srl", "Spa", "Srls", "Scarl", "Soc. Coop.", ""]
KINDS = ["firm"] * 6 + ["research_lab", "final_user", "intermediary", "association"]


def _vat(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(10)]
    total = 0
    for i, d in enumerate(digits):
        if i % 2 == 0:
            total += d
        else:
            total += d * 2 - 9 if d * 2 > 9 else d * 2
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def generate_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    import yaml

    preset_dir = ROOT / "presets" / "emilia-romagna"
    with open(preset_dir / "postcodes.csv", encoding="utf-8") as handle:
        postcodes = [row["postcode"] for row in csv.DictReader(handle)]
    preset = yaml.safe_load((preset_dir / "region.yaml").read_text(encoding="utf-8"))
    competences = [c["code"] for p in preset["competences"] for c in p["children"]]
    clusters = [c["slug"] for c in preset["clusters"]]
    seen_vat: set[str] = set()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "name",
                "kind",
                "vat_number",
                "postcode",
                "city",
                "description",
                "competences",
                "clusters",
            ]
        )
        for i in range(rows):
            vat = _vat(rng)
            while vat in seen_vat:
                vat = _vat(rng)
            seen_vat.add(vat)
            words = rng.sample(WORDS, 3)
            name = f"{words[0].title()} {words[1].title()} {i} {rng.choice(LEGAL)}".strip()
            writer.writerow(
                [
                    name,
                    rng.choice(KINDS),
                    vat,
                    rng.choice(postcodes),
                    "Bologna",
                    " ".join(rng.sample(WORDS, 12)),
                    "|".join(rng.sample(competences, rng.randint(1, 4))),
                    "|".join(rng.sample(clusters, rng.randint(1, 2))),
                ]
            )


def _setup_django(db_path: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["CLUSTERHUB_SQLITE_PATH"] = db_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()


def _fresh_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        # A throw-away database beside the configured one, dropped at the end.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("load_region", verbosity=0)


def child_run(csv_path: str, db_path: str, queries: int) -> None:
    """Import in a fresh database, then time searches on it; print the figures as JSON."""
    _setup_django(db_path)
    _fresh_database()
    from clusterhub.registry.importing import import_organizations

    started = time.perf_counter()
    report = import_organizations(Path(csv_path), dry_run=False)
    elapsed = time.perf_counter() - started
    figures = {
        "rows": report.rows,
        "errors": report.error_count,
        "seconds": elapsed,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if queries:
        figures.update(run_search(queries))
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    print(json.dumps(figures))


def run_child(rows: int, queries: int, workdir: Path) -> dict:
    csv_path = workdir / f"orgs-{rows}.csv"
    generate_csv(csv_path, rows)
    db_path = workdir / f"bench-{rows}.sqlite3"
    out = subprocess.run(
        [sys.executable, __file__, "_run", str(csv_path), str(db_path), str(queries)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"], 1)
    return figures


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_requests(client, urls: list[str]) -> dict:
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
    }


def run_search(queries: int) -> dict:
    from django.test import Client

    rng = random.Random(11)
    clusters = ["agrifood", "mech", "greentech", "health", ""]
    kinds = ["firm", "research_lab", ""]
    urls = []
    for _ in range(queries):
        words = rng.sample(WORDS, rng.choice([1, 1, 2]))
        q = " ".join(w[: rng.randint(4, len(w))] for w in words)
        params = f"q={q.replace(' ', '+')}"
        if rng.random() < 0.4:
            params += f"&cluster={rng.choice(clusters)}"
        if rng.random() < 0.3:
            params += f"&kind={rng.choice(kinds)}"
        urls.append(f"/organizations/?{params}")
    client = Client()
    client.get("/organizations/?q=warm+up")
    return {
        "search": time_requests(client, urls),
        "browse_baseline": time_requests(client, ["/organizations/"] * 50),
        "home_baseline": time_requests(client, ["/"] * 50),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    with tempfile.TemporaryDirectory(prefix="clusterhub-bench-") as tmp:
        workdir = Path(tmp)
        small = run_child(max(args.rows // 2, 1000), 0, workdir)
        print(
            f"import {small['rows']} rows: {small['rows_per_s']} rows/s, "
            f"peak RSS {small['peak_rss_mib']} MiB",
            file=sys.stderr,
        )
        large = run_child(args.rows, args.queries, workdir)
        print(
            f"import {large['rows']} rows: {large['rows_per_s']} rows/s, "
            f"peak RSS {large['peak_rss_mib']} MiB",
            file=sys.stderr,
        )
    search, home = large["search"], large["home_baseline"]
    result = {
        "backend": backend,
        "rows": large["rows"],
        "import_errors": large["errors"],
        "import_rows_per_s": large["rows_per_s"],
        "import_peak_rss_mib": large["peak_rss_mib"],
        "import_small_rows": small["rows"],
        "import_small_rows_per_s": small["rows_per_s"],
        "import_small_peak_rss_mib": small["peak_rss_mib"],
        "memory_ratio_large_vs_small": round(large["peak_rss_mib"] / small["peak_rss_mib"], 2),
        "search_queries": args.queries,
        "search_p50_ms": search["p50_ms"],
        "search_p95_ms": search["p95_ms"],
        "browse_p95_ms": large["browse_baseline"]["p95_ms"],
        "home_p95_ms": home["p95_ms"],
        "search_vs_home_p95_ratio": round(search["p95_ms"] / max(home["p95_ms"], 0.1), 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_run":
        child_run(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
